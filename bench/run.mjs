// Benchmark harness: `npm run bench` (builds first), or `node bench/run.mjs [--quick] [--filter <substring>]`.
// Times the library against the naive three-pass loop and tfjs-cpu with tinybench, prints markdown
// tables of median ns per element (stdout; progress goes to stderr), and writes bench/results/latest.json.
//
// Method. Each case's implementations share one input. Every tinybench sample is a batch of `reps`
// calls (enough for ~1e5 elements, so the timer's cost and resolution do not matter), recorded as the
// per-call mean via overriddenDuration. Each implementation is warmed up (tinybench's warmup phase)
// before any is timed; timing is then split into short rounds that rotate the order of the
// implementations, so that a burst of noise from a neighbour on a shared machine is spread over all
// of them, and the samples of all rounds are pooled and their median reported. An implementation whose
// call is slower than a round gets one call per round for about slowBudget ms (at least minRounds),
// which keeps tfjs on [16384, 512] (seconds per call) within the time budget. Every call's result is
// consumed.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { loadTf } from "./baselines.mjs";
import { allCases, MAIN_SHAPES } from "./cases.mjs";

const { values: args } = parseArgs({ options: { quick: { type: "boolean", default: false }, filter: { type: "string" } } });
const config = args.quick
  ? { rounds: 2, minRounds: 1, time: 100, slowBudget: 200, warmupTime: 100, batchElements: 1e5 }
  : { rounds: 10, minRounds: 3, time: 100, slowBudget: 2000, warmupTime: 300, batchElements: 1e5 };
// tinybench's minimum counts: one call per round, and at least one warm-up call beyond the cross-check
// call; everything else is time-bound. The largest single rows ([1, 1000000]) reach optimised code by
// their third call (checked with --trace-opt / --trace-deopt), well inside warmupTime.
const benchOptions = { time: config.time, iterations: 1, warmupTime: config.warmupTime, warmupIterations: 1 };

/** The library's revision: HEAD, and whether src/ has uncommitted changes (the build is of the working tree). */
function revision() {
  const git = (...a) => execFileSync("git", a, { cwd: new URL("..", import.meta.url), encoding: "utf8" }).trim();
  try {
    return { commit: git("rev-parse", "--short", "HEAD"), srcChanged: git("status", "--porcelain", "--", "src") !== "" };
  } catch {
    return { commit: "unknown", srcChanged: false };
  }
}

const library = revision(); // now: src/ may change while the benchmark runs
const tf = await loadTf();
const filter = args.filter?.toLowerCase();
const cases = allCases(tf).filter((c) => !filter || c.id.toLowerCase().includes(filter));
if (cases.length === 0) throw new Error(`--filter ${args.filter}: no case matches`);

let sink = 0; // every call's result is added here, and the total is written to the JSON

/** A tinybench task function running `run` reps times and reporting the mean duration of one call. */
function batched(run, reps) {
  return () => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) sink += run();
    const elapsed = performance.now() - t0;
    return { overriddenDuration: elapsed / reps, overriddenIterationCost: elapsed };
  };
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q, lo = Math.floor(pos);
  return lo + 1 < sorted.length ? sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (pos - lo) : sorted[lo];
}

function maxAbsDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= worst)) worst = d; // NaN sticks
  }
  return worst;
}

function timeCase(c) {
  const { impls, dispose } = c.setup();
  // One call each, to cross-check the baselines against ours; its duration sets the number of rounds.
  const rounds = {}, check = {};
  let reference;
  for (const impl of impls) {
    const t0 = performance.now();
    const output = impl.output();
    const ms = performance.now() - t0;
    rounds[impl.name] = Math.min(config.rounds, Math.max(config.minRounds, Math.floor(config.slowBudget / ms)));
    if (reference === undefined) reference = output;
    else check[impl.name] = maxAbsDiff(reference, output);
  }

  const reps = Math.max(1, Math.round(config.batchElements / c.n));
  const pooled = Object.fromEntries(impls.map((impl) => [impl.name, []]));
  for (let round = 0; round < config.rounds; round++) {
    const order = impls.map((_, i) => impls[(i + round) % impls.length]).filter((impl) => rounds[impl.name] > round);
    if (order.length === 0) break;
    const bench = new Bench({ ...benchOptions, warmup: round === 0, retainSamples: true, throws: true });
    for (const impl of order) bench.add(impl.name, batched(impl.run, reps), { async: false });
    bench.runSync();
    for (const task of bench.tasks) pooled[task.name].push(...task.result.latency.samples);
  }
  dispose?.();

  const stats = {};
  for (const [name, samples] of Object.entries(pooled)) {
    samples.sort((a, b) => a - b);
    const perElement = (q) => (quantile(samples, q) * 1e6) / c.n; // ms per call -> ns per element
    stats[name] = {
      medianNsPerElement: perElement(0.5), p25NsPerElement: perElement(0.25), p75NsPerElement: perElement(0.75),
      medianMsPerCall: quantile(samples, 0.5), samples: samples.length,
    };
  }
  const ratios = {};
  for (const name of Object.keys(stats).slice(1)) ratios[name] = stats[name].medianNsPerElement / stats.ours.medianNsPerElement;
  return { id: c.id, section: c.section, fn: c.fn, shape: c.shape, n: c.n, reps, rounds, check, stats, ratios };
}

const ns = (v) => (v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (v) => (v === undefined ? "—" : `${v.toFixed(2)}×`);

const results = [];
const started = performance.now();
for (const [i, c] of cases.entries()) {
  const caseStart = performance.now();
  const r = timeCase(c);
  r.seconds = (performance.now() - caseStart) / 1000;
  results.push(r);
  const line = Object.entries(r.stats).map(([name, s]) => `${name} ${ns(s.medianNsPerElement)} (${s.samples})`).join(", ");
  const worst = Math.max(...Object.values(r.check));
  console.error(`[${i + 1}/${cases.length}] ${c.id}: ${line} ns/el (samples); max |diff| vs ours ${worst.toExponential(1)}; ${r.seconds.toFixed(1)} s`);
  if (!(worst <= 1e-3)) console.error(`  WARNING: results differ from ours by ${worst}`);
}
const seconds = (performance.now() - started) / 1000;

const cpus = os.cpus();
const meta = {
  library,
  cpu: cpus[0]?.model.trim() ?? "unknown", cores: cpus.length, node: process.version,
  platform: `${process.platform} ${process.arch}`, date: new Date().toISOString(), tfjsCore: tf.version_core,
  quick: args.quick, filter: args.filter ?? null, config, seconds,
};

const lines = [
  "## Benchmarks",
  "",
  `${meta.cpu} (${meta.cores} cores) · Node ${meta.node} (${meta.platform}) · ${meta.date.slice(0, 10)} · commit ${meta.library.commit}${meta.library.srcChanged ? " + uncommitted changes in src/" : ""}${args.quick ? " · **--quick run**" : ""}`,
  "",
  "Median time per element in ns (lower is better); ratios are baseline / ours, so > 1 means this library is faster.",
  "Inputs are float32 logits ~ N(0, 3²) made beforehand; last axis; a row count > 1 is passed as a tensor `{ data, shape }`.",
  "- **ours**: `softmax(x, { out })` / `logSoftmax(x, { out })` with `out` pre-allocated.",
  "- **naive**: three-pass loop over the Float32Array into a pre-allocated output: max; `e = Math.exp(x - max)` stored and summed; divide (logSoftmax: max; sum of exp; `x - max - log(sum)`).",
  `- **tfjs-cpu**: @tensorflow/tfjs-core ${meta.tfjsCore} with tfjs-backend-cpu, tensor made beforehand; timed: \`tf.softmax(t)\` / \`tf.logSoftmax(t)\` plus \`dispose()\` of the result (the CPU backend computes eagerly inside the op; no \`dataSync()\`).`,
  "",
];
for (const fn of ["softmax", "logSoftmax"]) {
  const rows = results.filter((r) => r.section === "main" && r.fn === fn);
  if (rows.length === 0) continue;
  lines.push(`### ${fn} (float32, last axis)`, "",
    "| shape | ours | naive | tfjs-cpu | naive / ours | tfjs / ours |",
    "|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const s = r.stats;
    lines.push(`| [${r.shape.join(", ")}] | ${ns(s.ours.medianNsPerElement)} | ${ns(s.naive.medianNsPerElement)} | ${ns(s["tfjs-cpu"].medianNsPerElement)} | ${ratio(r.ratios.naive)} | ${ratio(r.ratios["tfjs-cpu"])} |`);
  }
  lines.push("");
}
const extras = results.filter((r) => r.section === "extra");
if (extras.length > 0) {
  lines.push("### Other paths (for tuning)", "",
    "Ours vs the same naive loop (float64 / temperature / strided-column variants of it; logSumExp: max + log(sum of exp)). `out` pre-allocated except for 1-D logSumExp, which returns a number.", "",
    "| case | ours | naive | naive / ours |", "|---|---:|---:|---:|");
  for (const r of extras) {
    lines.push(`| ${r.id} | ${ns(r.stats.ours.medianNsPerElement)} | ${ns(r.stats.naive?.medianNsPerElement)} | ${ratio(r.ratios.naive)} |`);
  }
  lines.push("");
}
lines.push(`_${results.length} cases in ${seconds.toFixed(0)} s: per implementation ${config.warmupTime} ms of warm-up, then up to ${config.rounds} interleaved rounds of ${config.time} ms (at least one call each); samples and quartiles in bench/results/latest.json._`);
console.log(lines.join("\n"));

const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL("latest.json", dir), `${JSON.stringify({ meta, shapes: MAIN_SHAPES, results, sink }, null, 2)}\n`);
