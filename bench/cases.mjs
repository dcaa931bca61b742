// What is timed. A case builds its inputs and outputs in setup() (seeded, so every run times the same
// numbers) and returns its implementations: run() makes one call and returns a number for the
// harness to consume; output() gives the result for the cross-check against ours. An implementation
// marked `async` returns promises from both; one marked `inFlight` is timed with a whole batch of calls
// started at once (Promise.all) instead of one after another. One without output() (the memcpy floor)
// is not cross-checked.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { normals, prng } from "./prng.mjs";
import {
  naiveLogSoftmax, naiveLogSumExp, naiveSoftmax, naiveSoftmaxAxis0, naiveSoftmaxT,
} from "./baselines.mjs";

/**
 * The library under test: the build in dist/esm (`npm run bench` builds it first), or the ESM build
 * named by SOFTMAX_BENCH_LIB (a path to its index.js; its folder needs a package.json with
 * "type": "module"), e.g. a `tsc -p tsconfig.esm.json --outDir <dir>` build made elsewhere.
 */
export const lib = await import(process.env.SOFTMAX_BENCH_LIB
  ? pathToFileURL(path.resolve(process.env.SOFTMAX_BENCH_LIB)).href
  : new URL("../dist/esm/index.js", import.meta.url).href);
const { createRng, crossEntropyWithGrad, filterTopK, filterTopP, logSoftmax, logSumExp, sampleLogits, softmax } = lib;

export const MAIN_SHAPES = [[1, 1000], [1, 32000], [1, 128256], [1, 1000000], [256, 1000], [4096, 128], [16384, 512]];
/** The shapes of the WebAssembly section (softmax, float32, last axis), timed against the wasm/native peers. */
export const WASM_SHAPES = [[1, 1000], [1, 32000], [1, 128256], [256, 1000], [4096, 128], [16384, 512], [1, 10000000]];
/** The shapes of the ratios between the library's own functions and dtypes. */
export const RATIO_SHAPES = [[1, 1000], [1, 32000], [256, 1000], [1, 1000000]];

/** Logits ~ Normal(0, 3^2) (Box-Muller), in a new array of the given type. */
function logits(Type, length, seed = 12345) {
  return normals(Type, length, seed, 3);
}

/** log(p) for p a random distribution (normalised Exponential(1) draws, i.e. Dirichlet(1, ..., 1)). */
function logProbabilities(length, seed = 54321) {
  const u = prng(seed), w = new Float64Array(length);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += w[i] = -Math.log(1 - u());
  for (let i = 0; i < length; i++) w[i] = Math.log(w[i] / sum);
  return w;
}

/** An implementation that writes into `out`: run() returns out[0] to be consumed. */
const writing = (name, call, out) => ({ name, run: () => (call(), out[0]), output: () => (call(), out) });

const label = (shape) => `[${shape.join(",")}]`;
const dtypeOf = (Type) => (Type === Float32Array ? "f32" : "f64");

/** The main tables: softmax and logSoftmax, last axis, float32, against naive and tfjs-cpu. */
function mainCases(tf) {
  const ops = [
    { fn: "softmax", ours: softmax, naive: naiveSoftmax, tfjs: (t) => tf.softmax(t) },
    { fn: "logSoftmax", ours: logSoftmax, naive: naiveLogSoftmax, tfjs: (t) => tf.logSoftmax(t) },
  ];
  return ops.flatMap((op) => MAIN_SHAPES.map((shape) => {
    const [rows, cols] = shape;
    return {
      section: "main", fn: op.fn, tfBackend: "cpu", id: `${op.fn} f32 ${label(shape)}`, shape, n: rows * cols,
      setup() {
        const data = logits(Float32Array, rows * cols);
        const x = rows === 1 ? data : { data, shape };
        const out = new Float32Array(data.length), naiveOut = new Float32Array(data.length);
        const t = tf.tensor2d(data, shape);
        return {
          impls: [
            writing("ours", () => op.ours(x, { out }), out),
            writing("naive", () => op.naive(data, naiveOut, cols), naiveOut),
            {
              name: "tfjs-cpu",
              run: () => { op.tfjs(t).dispose(); return 0; },
              output: () => { const r = op.tfjs(t), d = r.dataSync(); r.dispose(); return d; },
            },
          ],
          dispose: () => t.dispose(),
        };
      },
    };
  }));
}

/** A case of the extra section: ours and (optionally) naive, each writing to its own output. */
function extraCase(fn, id, shape, makeX, ours, naive, outLength = null) {
  const n = shape[0] * shape[1];
  return {
    section: "extra", fn, id, shape, n,
    setup() {
      const x = makeX();
      const data = x.data ?? x, Type = data.constructor, length = outLength ?? data.length;
      const out = new Type(length), naiveOut = new Type(length);
      const impls = [writing("ours", () => ours(x, out), out)];
      if (naive) impls.push(writing("naive", () => naive(data, naiveOut), naiveOut));
      return { impls };
    },
  };
}

/** The tuning section: float64, temperature, a strided axis, and the two logSumExp paths. */
function extraCases() {
  const list = [];
  for (const shape of [[1, 32000], [256, 1000]]) {
    const [rows, cols] = shape;
    list.push(extraCase("softmax", `softmax f64 ${label(shape)}`, shape,
      () => (rows === 1 ? logits(Float64Array, cols) : { data: logits(Float64Array, rows * cols), shape }),
      (x, out) => softmax(x, { out }), (x, out) => naiveSoftmax(x, out, cols)));
  }
  for (const Type of [Float32Array, Float64Array]) {
    list.push(extraCase("softmax", `softmax ${dtypeOf(Type)} T=0.7 [1,32000]`, [1, 32000],
      () => logits(Type, 32000),
      (x, out) => softmax(x, { temperature: 0.7, out }), (x, out) => naiveSoftmaxT(x, out, 32000, 0.7)));
  }
  list.push(extraCase("softmax", "softmax f32 axis=0 [1000,256]", [1000, 256],
    () => ({ data: logits(Float32Array, 1000 * 256), shape: [1000, 256] }),
    (x, out) => softmax(x, { axis: 0, out }), (x, out) => naiveSoftmaxAxis0(x, out, 1000, 256)));
  list.push(extraCase("logSumExp", "logSumExp f64 [256,1000]", [256, 1000],
    () => ({ data: logits(Float64Array, 256 * 1000), shape: [256, 1000] }),
    (x, out) => logSumExp(x, { out }), (x, out) => naiveLogSumExp(x, out, 1000), 256));
  // 1-D logSumExp returns a plain number, kept in out[0] so the harness treats it like the others.
  list.push(extraCase("logSumExp", "logSumExp f64 [1,32000] logits", [1, 32000],
    () => logits(Float64Array, 32000),
    (x, out) => { out[0] = logSumExp(x); }, (x, out) => naiveLogSumExp(x, out, 32000), 1));
  list.push(extraCase("logSumExp", "logSumExp f64 [1,32000] log-probs (exact path)", [1, 32000],
    () => logProbabilities(32000),
    (x, out) => { out[0] = logSumExp(x); }, (x, out) => naiveLogSumExp(x, out, 32000), 1));
  return list;
}

/**
 * The WebAssembly section: softmax f32 against the naive loop, TensorFlow.js on its wasm backend (SIMD,
 * one thread) and ONNX Runtime (one thread) running a one-node Softmax model, plus a
 * Float32Array.prototype.set copy of the same size as the floor (read n floats, write n floats). The
 * peers come from bench/peers (setup's argument); without them the case times ours, naive and memcpy.
 */
function wasmCases() {
  return WASM_SHAPES.map((shape) => {
    const [rows, cols] = shape, n = rows * cols;
    return {
      section: "wasm", fn: "softmax", tfBackend: "wasm", usesPeers: true, id: `wasm softmax f32 ${label(shape)}`, shape, n,
      async setup(peers) {
        const data = logits(Float32Array, n);
        const x = rows === 1 ? data : { data, shape };
        const out = new Float32Array(n), naiveOut = new Float32Array(n), copy = new Float32Array(n);
        const impls = [
          writing("ours", () => softmax(x, { out }), out),
          writing("naive", () => naiveSoftmax(data, naiveOut, cols), naiveOut),
        ];
        const cleanup = [];
        if (peers) {
          const { tf, ort } = peers;
          // tfjs: the input tensor is made once; timed: the op, the read of its result into a typed
          // array (dataSync copies it out of the wasm heap) and the disposal of the result.
          const t = tf.tensor2d(data, shape);
          cleanup.push(() => t.dispose());
          const tfjsCall = () => { const r = tf.softmax(t), d = r.dataSync(); r.dispose(); return d; };
          impls.push({ name: "tfjs-wasm", run: () => tfjsCall()[0], output: tfjsCall });
          // ORT: input and pre-allocated output tensors made once; timed: session.run, awaited.
          const session = await peers.ortSoftmaxSession(shape);
          cleanup.push(() => session.release());
          const ortOut = new Float32Array(n);
          const feeds = { x: new ort.Tensor("float32", data, shape) }, fetches = { y: new ort.Tensor("float32", ortOut, shape) };
          const ortRun = async () => { await session.run(feeds, fetches); return ortOut[0]; };
          const ortOutput = async () => { await session.run(feeds, fetches); return ortOut; };
          impls.push({ name: "ort", async: true, run: ortRun, output: ortOutput });
          impls.push({ name: "ort-batch", async: true, inFlight: true, run: ortRun, output: ortOutput });
        }
        impls.push({ name: "memcpy", run: () => (copy.set(data), copy[0]) });
        return { impls, dispose: async () => { for (const f of cleanup) await f(); } };
      },
    };
  });
}

/**
 * The ratios between the library's own paths on the same row (or rows): logSoftmax, logSumExp and
 * float64 softmax against float32 softmax. Each is cross-checked as a softmax: exp(logSoftmax),
 * exp(x - logSumExp), and the float64 result.
 */
function ratioCases() {
  return RATIO_SHAPES.map((shape) => {
    const [rows, cols] = shape, n = rows * cols;
    return {
      section: "ratios", fn: "softmax", id: `ratios ${label(shape)}`, shape, n,
      setup() {
        const data = logits(Float32Array, n), data64 = Float64Array.from(data);
        const x = rows === 1 ? data : { data, shape }, x64 = rows === 1 ? data64 : { data: data64, shape };
        const out = new Float32Array(n), logOut = new Float32Array(n), out64 = new Float64Array(n);
        const lse = new Float32Array(rows);
        const lseCall = rows === 1 ? () => { lse[0] = logSumExp(x); } : () => logSumExp(x, { out: lse });
        const asSoftmax = (f) => () => {
          const p = new Float32Array(n);
          for (let i = 0; i < n; i++) p[i] = f(i);
          return p;
        };
        return {
          impls: [
            writing("softmax", () => softmax(x, { out }), out),
            {
              name: "logSoftmax", run: () => (logSoftmax(x, { out: logOut }), logOut[0]),
              output: () => (logSoftmax(x, { out: logOut }), asSoftmax((i) => Math.exp(logOut[i]))()),
            },
            {
              name: "logSumExp", run: () => (lseCall(), lse[0]),
              output: () => (lseCall(), asSoftmax((i) => Math.exp(data[i] - lse[Math.floor(i / cols)]))()),
            },
            writing("softmax f64", () => softmax(x64, { out: out64 }), out64),
          ],
        };
      },
    };
  });
}

/** The shapes of the losses section: a batch of rows over a language-model vocabulary. */
export const LOSS_SHAPES = [[256, 32000]];

/**
 * The losses section: crossEntropyWithGrad (mean over class indices, float32 logits) against the same
 * loss and gradient computed as separate passes, the way code ported from Python often does it:
 * p = softmax(x) (this library's, so the exp pass is as fast as ours), then log(p) over the whole
 * array, then the loss from log p at the targets and the gradient (p - onehot) / N. Also the same three
 * passes written plainly in JS. Each returns the gradient for the cross-check.
 */
function lossCases() {
  return LOSS_SHAPES.map((shape) => {
    const [rows, cols] = shape, n = rows * cols;
    return {
      section: "losses", fn: "crossEntropyWithGrad", id: `crossEntropyWithGrad f32 ${label(shape)}`, shape, n,
      setup() {
        const data = logits(Float32Array, n), x = { data, shape };
        const u = prng(777), target = new Int32Array(rows);
        for (let r = 0; r < rows; r++) target[r] = Math.floor(u() * cols);
        const p = new Float32Array(n), logP = new Float32Array(n), grad = new Float32Array(n);
        const separate = (softmaxPass) => () => {
          softmaxPass(p);
          for (let i = 0; i < n; i++) logP[i] = Math.log(p[i]);
          let loss = 0;
          for (let r = 0; r < rows; r++) loss -= logP[r * cols + target[r]];
          for (let i = 0; i < n; i++) grad[i] = p[i] / rows;
          for (let r = 0; r < rows; r++) grad[r * cols + target[r]] -= 1 / rows;
          return loss / rows;
        };
        const librarySeparate = separate((into) => softmax(x, { out: into }));
        const naiveSeparate = separate((into) => naiveSoftmax(data, into, cols));
        let last = null;
        return {
          impls: [
            { name: "ours", run: () => (last = crossEntropyWithGrad(x, target)).loss, output: () => crossEntropyWithGrad(x, target).grad.data },
            { name: "separate", run: librarySeparate, output: () => (librarySeparate(), grad) },
            { name: "naive", run: naiveSeparate, output: () => (naiveSeparate(), grad) },
          ],
          dispose: () => { last = null; },
        };
      },
    };
  });
}

/** The vocabulary of the sampling section: Llama 3's. */
export const SAMPLING_VOCAB = 128256;

/**
 * Next-token logits shaped like a language model's. The body of the vocabulary is Normal(0, 2^2): the
 * logits of the bulk of an LLM's vocabulary look roughly Gaussian with a standard deviation of a few
 * units. "peaked" (a confident step, the common case) lifts 32 random tokens to 12 + Exponential(1),
 * plausible continuations standing far above the rest (the top logit some 15 above the body's mean):
 * the top-p 0.9 set is then a couple of dozen tokens. "flat" (an uncertain step, or a high temperature)
 * is the body alone: the top-p 0.9 set holds about a quarter of the vocabulary, the hard case for a
 * selection that does not sort. The table prints the size of each kept set.
 */
function llmLogits(shape, seed) {
  const u = prng(seed), x = new Float32Array(SAMPLING_VOCAB);
  for (let i = 0; i < x.length; i++) x[i] = 2 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  if (shape === "peaked") {
    for (let j = 0; j < 32; j++) x[Math.floor(u() * x.length)] = 12 - Math.log(1 - u());
  }
  return x;
}

/**
 * Sampling as JS code does it today (transformers.js's generation utilities, most hand-written
 * samplers): softmax over the whole vocabulary, all indices sorted by probability with
 * Array.prototype.sort, the cumulative sum walked to the cut (k tokens, or the mass p), the kept
 * probabilities renormalised, and one draw u in [0, 1). Allocates its arrays on each call, as that code does.
 */
function naiveCut(x, topK, topP) {
  const n = x.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (x[i] > max) max = x[i];
  const probs = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += probs[i] = Math.exp(x[i] - max);
  for (let i = 0; i < n; i++) probs[i] /= sum;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b] - probs[a]);
  let cut = Math.min(topK, n), mass = 0;
  for (let i = 0; i < cut; i++) {
    mass += probs[order[i]];
    if (mass >= topP) cut = i + 1;
  }
  return { probs, order, cut };
}

function naiveSample(x, topK, topP, u) {
  const { probs, order, cut } = naiveCut(x, topK, topP);
  let kept = 0;
  for (let i = 0; i < cut; i++) kept += probs[order[i]];
  let r = u * kept;
  for (let i = 0; i < cut; i++) {
    r -= probs[order[i]];
    if (r < 0) return order[i];
  }
  return order[cut - 1];
}

/** The naive sampler's kept set, as 0 / 1 per token (for the cross-check). */
function naiveKept(x, topK, topP) {
  const { order, cut } = naiveCut(x, topK, topP), kept = new Float64Array(x.length);
  for (let i = 0; i < cut; i++) kept[order[i]] = 1;
  return kept;
}

/**
 * The sampling section: sampleLogits on one row of float32 logits (a generator object passed as rng)
 * against naiveSample. The cross-check compares the kept sets (filterTopK / filterTopP, which share
 * sampleLogits's thresholds, against the naive cut) and checks that 200 of our draws fall inside.
 */
function samplingCases() {
  const list = [
    { logits: "peaked", label: "topK 50", options: { topK: 50 }, topK: 50, topP: Infinity },
    { logits: "peaked", label: "topP 0.9", options: { topP: 0.9 }, topK: Infinity, topP: 0.9 },
    { logits: "flat", label: "topP 0.9", options: { topP: 0.9 }, topK: Infinity, topP: 0.9 },
  ];
  return list.map((s) => {
    const c = {
      section: "sampling", fn: "sampleLogits", id: `sampleLogits f32 [1,${SAMPLING_VOCAB}] ${s.label} (${s.logits} logits)`,
      shape: [1, SAMPLING_VOCAB], n: SAMPLING_VOCAB, label: s.label, logits: s.logits, kept: undefined,
      setup() {
        const x = llmLogits(s.logits, 4242);
        const rng = createRng(7), u = prng(8);
        const filtered = s.topP <= 1 ? filterTopP(x, s.topP) : filterTopK(x, s.topK);
        const ours = Float64Array.from(filtered, (v) => (v > -Infinity ? 1 : 0));
        c.kept = ours.reduce((a, b) => a + b, 0);
        return {
          impls: [
            {
              name: "ours", run: () => sampleLogits(x, { ...s.options, rng }),
              output: () => {
                for (let d = 0; d < 200; d++) {
                  const i = sampleLogits(x, { ...s.options, rng });
                  if (ours[i] !== 1) throw new Error(`sampleLogits drew ${i}, outside the kept set`);
                }
                return ours;
              },
            },
            { name: "naive", run: () => naiveSample(x, s.topK, s.topP, u()), output: () => naiveKept(x, s.topK, s.topP) },
          ],
        };
      },
    };
    return c;
  });
}

export function allCases(tf) {
  return [...mainCases(tf), ...extraCases(), ...wasmCases(), ...ratioCases(), ...lossCases(), ...samplingCases()];
}
