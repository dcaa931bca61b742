// What is timed. A case builds its inputs and outputs in setup() (seeded, so every run times the same
// numbers) and returns its implementations: run() makes one call and returns a number for the
// harness to consume; output() gives the result for the cross-check against ours.
import { logSoftmax, logSumExp, softmax } from "../dist/esm/index.js";
import {
  naiveLogSoftmax, naiveLogSumExp, naiveSoftmax, naiveSoftmaxAxis0, naiveSoftmaxT,
} from "./baselines.mjs";

export const MAIN_SHAPES = [[1, 1000], [1, 32000], [1, 128256], [1, 1000000], [256, 1000], [4096, 128], [16384, 512]];

/** mulberry32: a small seeded PRNG giving uniforms in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Logits ~ Normal(0, 3^2) (Box-Muller), in a new array of the given type. */
function logits(Type, length, seed = 12345) {
  const u = prng(seed), x = new Type(length);
  for (let i = 0; i < length; i++) x[i] = 3 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return x;
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
      section: "main", fn: op.fn, id: `${op.fn} f32 ${label(shape)}`, shape, n: rows * cols,
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

export function allCases(tf) {
  return [...mainCases(tf), ...extraCases()];
}
