// The heavy peers of the "wasm shapes" benchmark, loaded from this package's own node_modules so the
// root install stays small: TensorFlow.js on its WebAssembly backend, and ONNX Runtime's Node binding.
// bench/run.mjs installs this package (npm ci --ignore-scripts) when its node_modules is missing.
import { createRequire } from "node:module";
import path from "node:path";
import { softmaxModel } from "./onnxModel.mjs";

// All three are CommonJS in Node; require() (rather than import) makes a failure to load one (say,
// ORT's native binding) a plain exception that the harness catches, not also an unhandled rejection.
const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs-core");
const { getThreadsCount, setThreadsCount, setWasmPaths } = require("@tensorflow/tfjs-backend-wasm");
const ort = require("onnxruntime-node");
const versionOf = (name) => require(`${name}/package.json`).version;

/**
 * Makes the tfjs WebAssembly backend ready: SIMD on, one thread. In Node, tfjs-backend-wasm never
 * reports thread support (WASM_HAS_MULTITHREAD_SUPPORT is false there), so it loads the
 * single-threaded SIMD binary; setThreadsCount(1) only makes the intent explicit. The .wasm files are
 * read from the package's dist folder.
 *
 * Both tfjs-core copies in the process (the root's, on the CPU backend, and this one) keep their
 * engine in the same global, so the active tfjs backend is process-wide: the harness switches it per
 * case with useTfBackend().
 */
async function loadTfWasm() {
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) {
    throw new Error("this engine has no WebAssembly SIMD: tfjs-wasm would run its scalar binary");
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  setWasmPaths(`${path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"))}${path.sep}`);
  setThreadsCount(1);
  const previous = tf.getBackend();
  const t0 = performance.now();
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend failed to initialise");
  const ms = performance.now() - t0;
  const threads = getThreadsCount();
  if (previous) await tf.setBackend(previous);
  return { initMs: ms, threads };
}

/** ONNX Runtime session options: one thread, sequential, every graph optimisation. */
export const ORT_SESSION_OPTIONS = {
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all",
};

/** A session running the one-node Softmax model on a float32 input of this fixed shape. */
export function ortSoftmaxSession(shape) {
  return ort.InferenceSession.create(softmaxModel(shape), ORT_SESSION_OPTIONS);
}

/** Loads both peers; throws if either cannot run. */
export async function loadPeers() {
  const t0 = performance.now();
  const wasm = await loadTfWasm();
  const check = await ortSoftmaxSession([1, 4]); // loads the native binding
  const x = new ort.Tensor("float32", new Float32Array([0, 1, 2, 3]), [1, 4]);
  const y = new ort.Tensor("float32", new Float32Array(4), [1, 4]);
  await check.run({ x }, { y });
  if (!(Math.abs(y.data[3] - 0.6439142598879722) < 1e-6)) throw new Error(`onnxruntime-node: wrong softmax ${y.data}`);
  await check.release();
  return {
    tf, ort, ortSoftmaxSession,
    /** Makes `name` ('cpu' or 'wasm') the active tfjs backend of the process. */
    useTfBackend: async (name) => {
      if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`tfjs: backend ${name} failed`);
    },
    info: {
      tfjsCore: versionOf("@tensorflow/tfjs-core"), tfjsBackendWasm: versionOf("@tensorflow/tfjs-backend-wasm"),
      tfjsWasmThreads: wasm.threads, tfjsWasmSimd: tf.env().getBool("WASM_HAS_SIMD_SUPPORT"),
      onnxruntimeNode: versionOf("onnxruntime-node"), ortSessionOptions: ORT_SESSION_OPTIONS,
      loadMs: performance.now() - t0, tfjsWasmInitMs: wasm.initMs,
    },
  };
}
