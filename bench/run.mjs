// Benchmark harness: `npm run bench` (builds first), or
// `node bench/run.mjs [--quick] [--filter <substring>] [--skip-peers] [--skip-large]` (--skip-large: the attention memory table without [8, 8192, 64]).
// Times the library against the naive three-pass loop and tfjs-cpu, and (section "wasm shapes") against
// TensorFlow.js's wasm backend, ONNX Runtime and a memcpy floor, with tinybench; prints markdown tables
// of median ns per element (stdout; progress goes to stderr), and writes bench/results/latest.json.
//
// Peers. tfjs-wasm and onnxruntime-node live in their own package, bench/peers (about 350 MB, mostly
// ORT's native libraries), so the root install stays small. When a selected case needs them and
// bench/peers/node_modules is missing or out of date with bench/peers/package-lock.json, the harness
// runs `npm ci --ignore-scripts` there first; if that or loading them fails (or with --skip-peers), the
// wasm section runs without the peer columns. The library under test is dist/esm, or the build named
// by SOFTMAX_BENCH_LIB (see bench/cases.mjs).
//
// Method. Each case's implementations share one input. Every tinybench sample is a batch of `reps`
// calls (enough for ~1e5 elements, so the timer's cost and resolution do not matter), recorded as the
// per-call mean via overriddenDuration. Each implementation is warmed up (tinybench's warmup phase)
// before any is timed; timing is then split into short rounds that rotate the order of the
// implementations, so that a burst of noise from a neighbour on a shared machine is spread over all
// of them, and the samples of all rounds are pooled and their median reported. An implementation whose
// call is slower than a round gets one call per round for about slowBudget ms (at least minRounds),
// which keeps tfjs on [16384, 512] (seconds per call) within the time budget. Every call's result is
// consumed. ONNX Runtime's session.run is asynchronous: its "ort" column awaits each call in turn (so
// includes the promise round trip: ORT's Node binding runs each call from a setImmediate callback),
// and "ort-batch" starts a sample's whole batch at once and awaits them together, which shares the
// event-loop turns among the calls (only where a sample has more than one call).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { loadTf } from "./baselines.mjs";
import { allCases, lib, MAIN_SHAPES, RATIO_SHAPES, WASM_SHAPES } from "./cases.mjs";
import { attentionCases, attentionLines } from "./attention.mjs";
import { measureAll as measureAttentionMemory, memoryLines } from "./attentionMemory.mjs";

const { values: args } = parseArgs({
  options: { quick: { type: "boolean", default: false }, filter: { type: "string" }, "skip-peers": { type: "boolean", default: false }, "skip-large": { type: "boolean", default: false } },
});
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

/** The library's active kernel set ('wasm-simd' or 'js'), once its kernels are ready. */
async function libraryBackend() {
  if (typeof lib.ready === "function") await lib.ready();
  return typeof lib.backend === "function" ? lib.backend() : "js (no backend() export)";
}

const PEERS = new URL("./peers/", import.meta.url);

/** The packages of bench/peers whose installed version differs from its lock file (all, if none is installed). */
function stalePeers() {
  const lock = JSON.parse(readFileSync(new URL("package-lock.json", PEERS), "utf8"));
  const wanted = Object.keys(lock.packages[""].dependencies ?? {});
  return wanted.filter((name) => {
    const installed = new URL(`node_modules/${name}/package.json`, PEERS);
    return !existsSync(installed) || JSON.parse(readFileSync(installed, "utf8")).version !== lock.packages[`node_modules/${name}`]?.version;
  });
}

/** bench/peers, installed first if needed; null (with a message saying why) if they cannot be had. */
async function loadPeersOrNull() {
  const without = "the wasm-shapes section runs without the tfjs-wasm and ORT columns";
  if (args["skip-peers"]) {
    console.error(`--skip-peers: ${without}.`);
    return null;
  }
  try {
    const stale = stalePeers();
    if (stale.length > 0) {
      console.error(`bench/peers: installing ${stale.join(", ")} (npm ci --ignore-scripts in bench/peers; once, ~350 MB)...`);
      const t0 = performance.now();
      execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
        cwd: PEERS, stdio: ["ignore", 2, 2], shell: process.platform === "win32",
      });
      console.error(`bench/peers: installed in ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
    }
    const { loadPeers } = await import(new URL("index.mjs", PEERS).href);
    return await loadPeers();
  } catch (error) {
    console.error(`bench/peers could not be installed or loaded (${error.message?.split("\n")[0] ?? error}); ${without}.`);
    console.error("  To retry by hand: (cd bench/peers && npm ci --ignore-scripts), or pass --skip-peers to silence this.");
    return null;
  }
}

const library = revision(); // now: src/ may change while the benchmark runs
const tf = await loadTf();
const filter = args.filter?.toLowerCase();
const cases = [...allCases(tf), ...attentionCases(lib)].filter((c) => !filter || c.id.toLowerCase().includes(filter));
if (cases.length === 0) throw new Error(`--filter ${args.filter}: no case matches`);
const backendAtStart = await libraryBackend();
const peers = cases.some((c) => c.usesPeers) ? await loadPeersOrNull() : null;
console.error(`library backend: ${backendAtStart}${peers ? `; peers: tfjs-backend-wasm ${peers.info.tfjsBackendWasm} (SIMD ${peers.info.tfjsWasmSimd}, ${peers.info.tfjsWasmThreads} thread), onnxruntime-node ${peers.info.onnxruntimeNode}, loaded in ${peers.info.loadMs.toFixed(0)} ms` : ""}`);

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

/** batched() for an async `run`: each call awaited before the next starts, or (inFlight) all started at once. */
function batchedAsync(run, reps, inFlight) {
  return async () => {
    const t0 = performance.now();
    if (inFlight) {
      for (const v of await Promise.all(Array.from({ length: reps }, run))) sink += v;
    } else {
      for (let i = 0; i < reps; i++) sink += await run();
    }
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

/** The largest |a - b| / |a| (|a| floored at 1e-30, so that underflow to zero or to a subnormal does not count). */
function maxRelDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-30);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

async function timeCase(c) {
  if (peers && c.tfBackend) await peers.useTfBackend(c.tfBackend); // the tfjs backend is process-wide
  const reps = Math.max(1, Math.round(config.batchElements / c.n));
  const setup = await c.setup(peers);
  const { dispose } = setup;
  // An in-flight batch of one call is the same as awaiting it: only where a sample has several.
  const impls = setup.impls.filter((impl) => !(impl.inFlight && reps < 2));
  // One call each, to cross-check the baselines against ours; its duration sets the number of rounds.
  const rounds = {}, check = {}, checkRel = {};
  let reference;
  for (const impl of impls) {
    const t0 = performance.now();
    const output = await (impl.output ?? impl.run)();
    const ms = performance.now() - t0;
    rounds[impl.name] = Math.min(config.rounds, Math.max(config.minRounds, Math.floor(config.slowBudget / ms)));
    if (!impl.output) continue;
    if (reference === undefined) reference = output;
    else {
      check[impl.name] = maxAbsDiff(reference, output);
      checkRel[impl.name] = maxRelDiff(reference, output);
    }
  }

  const pooled = Object.fromEntries(impls.map((impl) => [impl.name, []]));
  for (let round = 0; round < config.rounds; round++) {
    const order = impls.map((_, i) => impls[(i + round) % impls.length]).filter((impl) => rounds[impl.name] > round);
    if (order.length === 0) break;
    const bench = new Bench({ ...benchOptions, warmup: round === 0, retainSamples: true, throws: true });
    for (const impl of order) {
      bench.add(impl.name, impl.async ? batchedAsync(impl.run, reps, impl.inFlight) : batched(impl.run, reps), { async: Boolean(impl.async) });
    }
    if (order.some((impl) => impl.async)) await bench.run();
    else bench.runSync();
    for (const task of bench.tasks) pooled[task.name].push(...task.result.latency.samples);
  }
  await dispose?.();

  const stats = {};
  for (const [name, samples] of Object.entries(pooled)) {
    samples.sort((a, b) => a - b);
    const perElement = (q) => (quantile(samples, q) * 1e6) / c.n; // ms per call -> ns per element
    stats[name] = {
      medianNsPerElement: perElement(0.5), p25NsPerElement: perElement(0.25), p75NsPerElement: perElement(0.75),
      medianMsPerCall: quantile(samples, 0.5), samples: samples.length,
    };
  }
  // Each implementation's median over the first's (ours; in the ratios section, float32 softmax).
  const ratios = {}, [first, ...others] = Object.keys(stats);
  for (const name of others) ratios[name] = stats[name].medianNsPerElement / stats[first].medianNsPerElement;
  return { id: c.id, section: c.section, fn: c.fn, shape: c.shape, n: c.n, reps, rounds, check, checkRel, stats, ratios };
}

const ns = (v) => (v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (v) => (v === undefined ? "—" : `${v.toFixed(2)}×`);

const results = [];
const started = performance.now();
for (const [i, c] of cases.entries()) {
  const caseStart = performance.now();
  const r = await timeCase(c);
  r.seconds = (performance.now() - caseStart) / 1000;
  results.push(r);
  const line = Object.entries(r.stats).map(([name, s]) => `${name} ${ns(s.medianNsPerElement)} (${s.samples})`).join(", ");
  const worst = Math.max(0, ...Object.values(r.check)), worstRel = Math.max(0, ...Object.values(r.checkRel));
  console.error(`[${i + 1}/${cases.length}] ${c.id}: ${line} ns/el (samples); max |diff| vs ours ${worst.toExponential(1)} (relative ${worstRel.toExponential(1)}); ${r.seconds.toFixed(1)} s`);
  if (!(worst <= 1e-3)) console.error(`  WARNING: results differ from ours by ${worst}`);
}
const seconds = (performance.now() - started) / 1000;
// The attention section's peak memory: one child process per configuration (--skip-large: without [8, 8192, 64]).
const attentionMemory = results.some((r) => r.section === "attention") ? measureAttentionMemory({ skipLarge: args["skip-large"] }) : null;
const backendAtEnd = await libraryBackend();

const cpus = os.cpus();
const meta = {
  library,
  cpu: cpus[0]?.model.trim() ?? "unknown", cores: cpus.length, node: process.version,
  platform: `${process.platform} ${process.arch}`, date: new Date().toISOString(), tfjsCore: tf.version_core,
  libraryBuild: process.env.SOFTMAX_BENCH_LIB ?? "dist/esm", backend: backendAtEnd, backendAtStart, peers: peers?.info ?? null,
  quick: args.quick, filter: args.filter ?? null, config, seconds,
};

const lines = [
  "## Benchmarks",
  "",
  `${meta.cpu} (${meta.cores} cores) · Node ${meta.node} (${meta.platform}) · ${meta.date.slice(0, 10)} · commit ${meta.library.commit}${meta.library.srcChanged ? " + uncommitted changes in src/" : ""} · library backend **${backendAtEnd}**${backendAtStart === backendAtEnd ? "" : ` (was ${backendAtStart} at the start)`}${args.quick ? " · **--quick run**" : ""}`,
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
const wasmRows = results.filter((r) => r.section === "wasm");
if (wasmRows.length > 0) {
  const info = peers?.info;
  const batchShapes = wasmRows.filter((r) => r.stats["ort-batch"]).map((r) => `[${r.shape.join(", ")}]`);
  lines.push("### wasm shapes: softmax (float32, last axis) against WebAssembly and native peers", "",
    `Library backend: **${backendAtEnd}**. Median ns per element; ratios are peer / ours (> 1: this library is faster), except the last column: ours / memcpy, the cost of one softmax in copies of the array.`,
    "- **ours**, **naive**: as above.",
    info
      ? `- **tfjs-wasm**: @tensorflow/tfjs-backend-wasm ${info.tfjsBackendWasm} (SIMD binary: ${info.tfjsWasmSimd}; ${info.tfjsWasmThreads} thread, the only choice in Node), tensor made beforehand; timed: \`tf.softmax(t)\`, \`dataSync()\` (copies the result out of the wasm heap into a Float32Array) and \`dispose()\`.`
      : "- **tfjs-wasm**, **ORT**: not run (bench/peers unavailable or --skip-peers).",
    ...(info ? [
      `- **ORT**: onnxruntime-node ${info.onnxruntimeNode}, CPU provider, a one-node opset-13 Softmax model (axis -1, fixed shape) built in bench/peers/onnxModel.mjs; session options intraOpNumThreads 1, interOpNumThreads 1, sequential, graphOptimizationLevel "all"; input tensor and pre-allocated output tensor (passed as fetches) made beforehand. Timed: \`await session.run(feeds, fetches)\`, one call after another, so each includes the promise round trip (the binding runs the call from a setImmediate callback) and the binding's wrapping of the result.`,
      `- **ORT batch**: the same calls, but each sample's calls (as many as make ${config.batchElements.toExponential(0).replace("e+", "e")} elements) started together and awaited with one Promise.all, so that they share event-loop turns: the per-call time with little of the round trip. "—" where a sample is a single call${batchShapes.length ? "" : " (here: every shape)"}.`,
    ] : []),
    "- **memcpy**: `Float32Array.prototype.set` of an array of the same size into another: the physical floor (read n floats, write n floats).", "",
    "| shape | ours | naive | tfjs-wasm | ORT | ORT batch | memcpy | naive / ours | tfjs-wasm / ours | ORT / ours | ORT batch / ours | ours / memcpy |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of wasmRows) {
    const s = r.stats, q = r.ratios;
    const overCopy = q.memcpy === undefined ? undefined : 1 / q.memcpy;
    lines.push(`| [${r.shape.join(", ")}] | ${ns(s.ours.medianNsPerElement)} | ${ns(s.naive?.medianNsPerElement)} | ${ns(s["tfjs-wasm"]?.medianNsPerElement)} | ${ns(s.ort?.medianNsPerElement)} | ${ns(s["ort-batch"]?.medianNsPerElement)} | ${ns(s.memcpy?.medianNsPerElement)} | ${ratio(q.naive)} | ${ratio(q["tfjs-wasm"])} | ${ratio(q.ort)} | ${ratio(q["ort-batch"])} | ${ratio(overCopy)} |`);
  }
  const perCall = (ms) => (ms >= 1 ? `${ms.toFixed(ms >= 10 ? 0 : 1)} ms` : `${(ms * 1000).toFixed(ms >= 0.1 ? 0 : 1)} µs`);
  const ortCall = wasmRows.filter((r) => r.stats.ort).map((r) => `[${r.shape.join(", ")}] ${perCall(r.stats.ort.medianMsPerCall)}`);
  if (ortCall.length > 0) lines.push("", `ORT per call (median, awaited): ${ortCall.join(" · ")}.`);
  lines.push("");
}
const ratioRows = results.filter((r) => r.section === "ratios");
if (ratioRows.length > 0) {
  lines.push("### Ratios between the library's own paths", "",
    "The same float32 logits (float64: the same values widened), last axis, `out` pre-allocated (1-D logSumExp returns a number). Median ns per element, and each path's time over float32 softmax's.", "",
    "| shape | softmax f32 | logSoftmax f32 | logSumExp f32 | softmax f64 | logSoftmax / softmax | logSumExp / softmax | f64 / f32 softmax |",
    "|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of ratioRows) {
    const s = r.stats, q = r.ratios;
    lines.push(`| [${r.shape.join(", ")}] | ${ns(s.softmax.medianNsPerElement)} | ${ns(s.logSoftmax.medianNsPerElement)} | ${ns(s.logSumExp.medianNsPerElement)} | ${ns(s["softmax f64"].medianNsPerElement)} | ${ratio(q.logSoftmax)} | ${ratio(q.logSumExp)} | ${ratio(q["softmax f64"])} |`);
  }
  lines.push("");
}
const lossRows = results.filter((r) => r.section === "losses");
if (lossRows.length > 0) {
  lines.push("### Losses: crossEntropyWithGrad (float32 logits, class indices, mean)", "",
    "- **ours**: `crossEntropyWithGrad({ data, shape }, target)`: loss and gradient in one pass over the logits (it allocates the gradient).",
    "- **separate**: `softmax(x, { out: p })` (this library), then `Math.log` over p, then the loss from log p at the targets and the gradient (p - onehot) / N, into pre-allocated arrays.",
    "- **naive**: the same three passes with the naive softmax loop.", "",
    "| shape | ours | separate | naive | separate / ours | naive / ours |", "|---|---:|---:|---:|---:|---:|");
  for (const r of lossRows) {
    const s = r.stats, q = r.ratios;
    lines.push(`| [${r.shape.join(", ")}] | ${ns(s.ours.medianNsPerElement)} | ${ns(s.separate.medianNsPerElement)} | ${ns(s.naive.medianNsPerElement)} | ${ratio(q.separate)} | ${ratio(q.naive)} |`);
  }
  lines.push("");
}
const samplingRows = results.filter((r) => r.section === "sampling");
if (samplingRows.length > 0) {
  const time = (ms) => (ms >= 1 ? `${ms.toFixed(ms >= 10 ? 1 : 2)} ms` : `${(ms * 1000).toFixed(0)} µs`);
  lines.push("### Sampling: sampleLogits (one row of float32 logits, 128,256 tokens)", "",
    "Median time per call (lower is better); the ratio is naive / ours. Logits: a Normal(0, 2²) body, plus (peaked) 32 tokens lifted to 12 + Exponential(1); see llmLogits in bench/cases.mjs.",
    "- **ours**: `sampleLogits(x, { topK: 50, rng })` / `sampleLogits(x, { topP: 0.9, rng })`, rng a `createRng` generator: no sort (quickselect, weighted selection).",
    "- **naive**: softmax over the vocabulary, every index sorted by probability with `Array.prototype.sort`, cumulative sum to the cut, renormalise, draw (arrays allocated per call).", "",
    "| case | logits | kept | ours | naive | naive / ours |", "|---|---|---:|---:|---:|---:|");
  for (const r of samplingRows) {
    const c = cases.find((k) => k.id === r.id);
    lines.push(`| ${c.label} | ${c.logits} | ${c.kept ?? "—"} | ${time(r.stats.ours.medianMsPerCall)} | ${time(r.stats.naive.medianMsPerCall)} | ${ratio(r.ratios.naive)} |`);
  }
  lines.push("");
}
lines.push(...attentionLines(results), ...(attentionMemory ? memoryLines(attentionMemory) : []));
lines.push(`_${results.length} cases in ${seconds.toFixed(0)} s: per implementation ${config.warmupTime} ms of warm-up, then up to ${config.rounds} interleaved rounds of ${config.time} ms (at least one call each); samples and quartiles in bench/results/latest.json._`);
console.log(lines.join("\n"));

const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL("latest.json", dir), `${JSON.stringify({ meta, shapes: MAIN_SHAPES, wasmShapes: WASM_SHAPES, ratioShapes: RATIO_SHAPES, results, attentionMemory, sink }, null, 2)}\n`);
