import { mapAlongAxis } from "./core/alongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * logSoftmax(x)_i = x_i / T - logSumExp(x / T) along `axis`: the log of softmax, computed directly so
 * that far-tail entries keep their value instead of underflowing to -Infinity.
 *
 * ```ts
 * logSoftmax([0, -1000]); // [0, -1000]   (log(softmax) would give [0, -Infinity])
 * ```
 *
 * Edge cases (API.md §2): masked and -Infinity entries give -Infinity; +Infinity entries (k of them)
 * give -log(k); a kept NaN makes its row NaN; temperature 0 and Infinity give the log of the limits.
 *
 * Method: two-sum exact shift, compensated sum of the non-max terms and log1p of it.
 */
export function logSoftmax(x: Float32Array, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function logSoftmax(x: Float64Array, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function logSoftmax<T extends FloatArray>(x: TensorInput<T>, options?: AxisOptionsOut<T>): Tensor<T>;
export function logSoftmax<X extends NestedInput>(x: X, options?: AxisOptions): NestedResult<X>;
export function logSoftmax(x: unknown, options?: unknown): unknown {
  return mapAlongAxis("logSoftmax", x, options);
}
