import { sparseMapAlongAxis } from "./core/sparseAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * 1.5-entmax: entmax15(x)_i = max(z_i / 2 - tau, 0)^2 with z = x / T and tau chosen so that the result
 * sums to 1, along `axis` (default the last). Between softmax (alpha = 1) and sparsemax (alpha = 2):
 * sparse, but smoother than sparsemax.
 *
 * ```ts
 * entmax15([0.5, 0.3, 0.1]); // [0.4509761879965483, 0.32666666666666666, 0.22235714533678502]
 * entmax15([1.5, 1, -1]);    // [0.6739926363384382, 0.3260073636615618, 0]
 * ```
 *
 * Edge cases (API.md §2, as softmax): masked and -Infinity entries get exactly 0; a row with nothing
 * left is all 0 (never NaN); k entries at +Infinity get 1/k each; a kept NaN makes its row NaN;
 * temperature 0 gives 1/k on the k entries equal to the maximum, temperature Infinity the uniform
 * distribution over the entries left. float32 inputs are computed in float64 and rounded once.
 *
 * Method: the exact sort-based threshold of Peters, Niculae & Martins (2019), "Sparse Sequence-to-
 * Sequence Models" (ACL), Algorithm 2: with u = z / 2 sorted, the top k entries give tau_k =
 * mean_k - sqrt((1 - S_k) / k) (S_k the sum of their squared deviations), and the support is the
 * largest k with tau_k < u_(k); O(n log n). z - max and tau are carried in double-double, so each
 * entry is within a few ulps of the exact value (an entry just above the threshold: to within 2^-100
 * of the row's scale).
 */
export function entmax15(x: Float32Array, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function entmax15(x: Float64Array, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function entmax15<T extends FloatArray>(x: TensorInput<T>, options?: AxisOptionsOut<T>): Tensor<T>;
export function entmax15<X extends NestedInput>(x: X, options?: AxisOptions): NestedResult<X>;
export function entmax15(x: unknown, options?: unknown): unknown {
  return sparseMapAlongAxis("entmax15", x, options);
}
