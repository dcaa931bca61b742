// Peak memory of one attention call, each configuration in a fresh Node process.
// Standalone: `node bench/attentionMemory.mjs [--skip-large]` (after a build: the library is dist/esm, or
// the build named by SOFTMAX_BENCH_LIB, as in bench/cases.mjs); the attention section of
// bench/run.mjs runs it too. Prints a markdown table on stdout (progress on stderr).
//
// Method (in the child, see child() below): load the library and wait for its kernels; build the seeded
// inputs (straight into Float32Arrays, no temporaries); make one small call of the same
// implementation, so that loading and compiling its code is not counted; gc() (the child runs with
// --expose-gc); read process.memoryUsage() (rss: the resident set now) and
// process.resourceUsage().maxRSS (the process's peak so far, KiB); make the one call, keeping its
// result; read maxRSS again. Peak extra = maxRSS after - rss before: the most the call held on top of
// what the process held when it began (its output and weights included; temporaries and garbage not
// yet collected too, as a user would see them). If the peak after is no higher than the peak before,
// the call never reached the process's earlier peak, and the figure is an upper bound (flagged).
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { attentionInputs, threeStepAttention, time } from "./attention.mjs";

const SELF = fileURLToPath(import.meta.url);
const MiB = 2 ** 20;

/** The library under test, as bench/cases.mjs chooses it (not imported from there: it loads tfjs). */
export function defaultLibUrl() {
  return process.env.SOFTMAX_BENCH_LIB
    ? pathToFileURL(path.resolve(process.env.SOFTMAX_BENCH_LIB)).href
    : new URL("../dist/esm/index.js", import.meta.url).href;
}

/**
 * Measures one attention call in a fresh Node process (spawned synchronously with process.execPath).
 * - impl: "ours" (the library's attention) or "three-step" (bench/attention.mjs's baseline; ignores returnWeights)
 * - shape: [B, T, d] of query, key and value (float32, seeded N(0, 1)); causal, returnWeights: attention's options
 * - libUrl: a file: URL (or path) of an ES module exporting attention (default: defaultLibUrl())
 * - timeoutMs: the child's time limit (default 15 minutes)
 * - attempts: the most child processes to run (default 3): another is started only while the call's peak
 *   stayed below the process's earlier peak (it happens now and then on a busy machine: the figure is then
 *   only an upper bound)
 * Returns { impl, shape, causal, returnWeights, ioBytes (Q+K+V+O), weightsBytes, rssBefore, maxRSSBefore,
 * maxRSSAfter, peakExtraBytes, peakBeforeCall (true: peakExtraBytes is only an upper bound), ms, memoryUsageBefore,
 * memoryUsageAfter, attempts }, every size in bytes (ms: the call's duration).
 */
export function measureAttentionMemory({ attempts = 3, ...options } = {}) {
  let m;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    m = { ...measureOnce(options), attempts: attempt };
    if (!m.peakBeforeCall) break;
  }
  return m;
}

function measureOnce({
  impl = "ours", shape, causal = false, returnWeights = false, libUrl = defaultLibUrl(), timeoutMs = 15 * 60e3,
} = {}) {
  if (impl !== "ours" && impl !== "three-step") throw new TypeError(`impl must be "ours" or "three-step", not ${impl}`);
  if (!Array.isArray(shape) || shape.length !== 3) throw new TypeError("shape must be [B, T, d]");
  const href = /^file:/.test(libUrl) ? libUrl : pathToFileURL(path.resolve(libUrl)).href;
  const config = { impl, shape, causal, returnWeights, libUrl: href };
  const stdout = execFileSync(process.execPath, ["--expose-gc", SELF, "--child", JSON.stringify(config)], {
    encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: timeoutMs, maxBuffer: 1 << 20,
  });
  const m = JSON.parse(stdout.trim().split("\n").pop());
  const rssBefore = m.memoryUsageBefore.rss, maxRSSBefore = m.maxRSSBeforeKiB * 1024, maxRSSAfter = m.maxRSSAfterKiB * 1024;
  return {
    ...config, ioBytes: m.ioBytes, weightsBytes: m.weightsBytes, rssBefore, maxRSSBefore, maxRSSAfter,
    peakExtraBytes: maxRSSAfter - rssBefore, peakBeforeCall: maxRSSAfter <= maxRSSBefore, ms: m.ms,
    memoryUsageBefore: m.memoryUsageBefore, memoryUsageAfter: m.memoryUsageAfter,
  };
}

/** The configurations of the table; large: [8, 8192, 64], ours only, no weights (about a minute). */
export function memoryConfigs({ skipLarge = false } = {}) {
  const list = [];
  for (const shape of [[8, 512, 64], [8, 2048, 64]]) {
    list.push({ impl: "ours", shape, returnWeights: false });
    list.push({ impl: "ours", shape, returnWeights: true });
    list.push({ impl: "three-step", shape });
  }
  const large = { impl: "ours", shape: [8, 8192, 64], returnWeights: false, large: true };
  return { configs: skipLarge ? list : [...list, large], skipped: skipLarge ? [configLabel(large)] : [] };
}

function configLabel(c) {
  return `${c.impl === "ours" ? `ours${c.returnWeights ? ", returnWeights" : ""}` : "three-step"} [${c.shape.join(", ")}]${c.causal ? " causal" : ""}`;
}

/** Every configuration, one child process each; `log` gets a progress line per configuration. */
export function measureAll({ skipLarge = false, libUrl = defaultLibUrl(), log = (line) => console.error(line) } = {}) {
  const { configs, skipped } = memoryConfigs({ skipLarge });
  const started = performance.now(), rows = [];
  for (const [i, c] of configs.entries()) {
    const t0 = performance.now();
    const m = measureAttentionMemory({ ...c, libUrl });
    const row = { label: configLabel(c), ...m };
    rows.push(row);
    log(`[memory ${i + 1}/${configs.length}] ${row.label}: peak extra ${(m.peakExtraBytes / MiB).toFixed(1)} MiB over Q+K+V+O ${(m.ioBytes / MiB).toFixed(1)} MiB; call ${time(m.ms)}; process ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { rows, skipped, seconds: (performance.now() - started) / 1000 };
}

const mib = (bytes) => (bytes / MiB).toFixed(bytes >= 100 * MiB ? 0 : 1);

/** The markdown of the memory table, from measureAll's result. */
export function memoryLines(memory) {
  const lines = ["### Attention: peak memory of one call (float32)", "",
    "Each configuration in a fresh Node process (bench/attentionMemory.mjs): seeded N(0, 1) inputs built and one small warm-up call made, then `gc()`, the RSS read, one call, and the process's peak RSS (`process.resourceUsage().maxRSS`) read after it. **Peak extra** = that peak − the RSS just before the call: what the call added at its peak, its output (and weights) included (a call whose peak stays below the process's earlier one is measured again in a new process, up to 3). **Q+K+V+O**: the bytes of the three inputs and the output; the ratio is peak extra / Q+K+V+O. Three-step: bench/attention.mjs's baseline (a new Float32Array(T·T) of scores per head).", "",
    "| configuration | Q+K+V+O MiB | weights MiB | peak extra RSS MiB | peak extra / (Q+K+V+O) | call time |", "|---|---:|---:|---:|---:|---:|"];
  for (const m of memory.rows) {
    const upper = m.peakBeforeCall ? ` (upper bound: below the process's earlier peak in ${m.attempts} processes)` : "";
    lines.push(`| ${m.label} | ${mib(m.ioBytes)} | ${m.weightsBytes ? mib(m.weightsBytes) : "—"} | ${mib(m.peakExtraBytes)}${upper} | ${(m.peakExtraBytes / m.ioBytes).toFixed(2)} | ${time(m.ms)} |`);
  }
  if (memory.skipped.length > 0) lines.push("", `Not measured (--skip-large): ${memory.skipped.join(", ")}.`);
  lines.push("", `_${memory.rows.length} child processes in ${memory.seconds.toFixed(0)} s._`, "");
  return lines;
}

/** The child: one measurement, printed as one JSON line on stdout. */
async function child(config) {
  const { impl, shape, causal, returnWeights, libUrl } = config;
  let call;
  if (impl === "ours") {
    const lib = await import(libUrl);
    if (typeof lib.attention !== "function") throw new Error(`${libUrl} has no attention export`);
    if (typeof lib.ready === "function") await lib.ready();
    call = (q, k, v) => lib.attention(q, k, v, { causal, returnWeights });
  } else {
    call = (q, k, v) => ({ output: threeStepAttention(q, k, v, { causal }) });
  }
  const small = attentionInputs([1, 16, shape[2]]);
  call(small.q, small.k, small.v);
  const { q, k, v } = attentionInputs(shape);
  globalThis.gc();
  const memoryUsageBefore = process.memoryUsage(), maxRSSBeforeKiB = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const result = call(q, k, v);
  const ms = performance.now() - t0;
  const maxRSSAfterKiB = process.resourceUsage().maxRSS, memoryUsageAfter = process.memoryUsage();
  const ioBytes = q.data.byteLength + k.data.byteLength + v.data.byteLength + result.output.data.byteLength;
  const weightsBytes = result.weights?.data.byteLength ?? 0;
  process.stdout.write(`${JSON.stringify({ ioBytes, weightsBytes, ms, maxRSSBeforeKiB, maxRSSAfterKiB, memoryUsageBefore, memoryUsageAfter })}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const { values: args } = parseArgs({
    options: { child: { type: "string" }, "skip-large": { type: "boolean", default: false } },
  });
  if (args.child) {
    await child(JSON.parse(args.child));
  } else {
    const cpus = os.cpus();
    const memory = measureAll({ skipLarge: args["skip-large"] });
    console.log([
      "## Attention memory", "",
      `${cpus[0]?.model.trim() ?? "unknown"} (${cpus.length} cores) · Node ${process.version} (${process.platform} ${process.arch}) · ${new Date().toISOString().slice(0, 10)} · ${os.totalmem() / 2 ** 30 >= 1 ? `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM · ` : ""}library ${process.env.SOFTMAX_BENCH_LIB ?? "dist/esm"}`, "",
      ...memoryLines(memory),
    ].join("\n"));
  }
}
