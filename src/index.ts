// The public API (API.md). This file only re-exports.
export { softmax } from "./softmax.js";
export { logSoftmax } from "./logSoftmax.js";
export { logSumExp, type LogSumExpOptions } from "./logSumExp.js";
export type {
  AxisOptions, AxisOptionsOut, FloatArray, Mask, Nested, NestedInput, Tensor, TensorInput, Values,
} from "./types.js";
export type { NestedReduced, NestedResult } from "./nestedTypes.js";
export { backend, ready, setBackend, type BackendName } from "./backend.js";
