import { mapAlongAxis } from "./core/alongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * softmax(x)_i = exp(x_i / T) / sum_j exp(x_j / T) along `axis` (default the last).
 *
 * ```ts
 * softmax([2, 1, 0.1]); // [0.6590011388859679, 0.24243297070471392, 0.09856589040931818]
 * ```
 *
 * Edge cases (API.md §2): masked and -Infinity entries get exactly 0; a row with nothing left is all
 * 0 (never NaN); k entries at +Infinity get 1/k each; a kept NaN makes its row NaN; temperature 0 and
 * Infinity give the limits (ties at the maximum share equally; uniform over the entries left).
 *
 * Method: max-shift with the rounding error of x - max recovered exactly (two-sum) and a compensated
 * sum; within 4 ulp of the correctly rounded result (see the README for the measured figures).
 */
export function softmax(x: Float32Array, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function softmax(x: Float64Array, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function softmax<T extends FloatArray>(x: TensorInput<T>, options?: AxisOptionsOut<T>): Tensor<T>;
export function softmax<X extends NestedInput>(x: X, options?: AxisOptions): NestedResult<X>;
export function softmax(x: unknown, options?: unknown): unknown {
  return mapAlongAxis("softmax", x, options);
}
