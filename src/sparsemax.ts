import { sparseMapAlongAxis } from "./core/sparseAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * sparsemax(x)_i = max(z_i - tau, 0) with z = x / T and tau chosen so that the result sums to 1: the
 * Euclidean projection of z onto the probability simplex, along `axis` (default the last). Unlike
 * softmax, entries far enough below the maximum get exactly 0.
 *
 * ```ts
 * sparsemax([0.5, 0.3, 0.1]); // [0.5333333333333333, 0.3333333333333333, 0.13333333333333333]
 * sparsemax([1.5, 1, -1]);    // [0.75, 0.25, 0]
 * ```
 *
 * Edge cases (API.md §2, as softmax): masked and -Infinity entries get exactly 0; a row with nothing
 * left is all 0 (never NaN); k entries at +Infinity get 1/k each; a kept NaN makes its row NaN;
 * temperature 0 gives 1/k on the k entries equal to the maximum, temperature Infinity the uniform
 * distribution over the entries left. float32 inputs are computed in float64 and rounded once.
 *
 * Method: Martins & Astudillo (2016), "From Softmax to Sparsemax: A Sparse Model of Attention and
 * Multi-Label Classification" (ICML), Algorithm 1: sort, support size k = max{k : 1 + k z_(k) >
 * sum_{j<=k} z_(j)}, tau = (sum_{j<=k} z_(j) - 1) / k; O(n log n). z - max and tau are carried in
 * double-double, so each entry is within a few ulps of the exact value, at large offsets too; an entry
 * just above the threshold (a difference of numbers of the row's scale) to within 2^-100 of that scale.
 */
export function sparsemax(x: Float32Array, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function sparsemax(x: Float64Array, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function sparsemax<T extends FloatArray>(x: TensorInput<T>, options?: AxisOptionsOut<T>): Tensor<T>;
export function sparsemax<X extends NestedInput>(x: X, options?: AxisOptions): NestedResult<X>;
export function sparsemax(x: unknown, options?: unknown): unknown {
  return sparseMapAlongAxis("sparsemax", x, options);
}
