import { vjpAlongAxis } from "./core/vjpAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * The vector-Jacobian product of sparsemax: given probs = sparsemax(x / T) and a cotangent g
 * (dL/dprobs), returns dL/dx along `axis`: on the support S (kept entries with probs > 0),
 * (g_i - mean_S g) / T; 0 elsewhere. The Jacobian is symmetric, so this is also the JVP.
 *
 * ```ts
 * sparsemaxVjp([0.75, 0.25, 0], [1, 0, 5]); // [0.5, -0.5, 0]
 * ```
 *
 * `cotangent` has the shape of `probs` (nested, a tensor, or flat). Masked entries take no part in the
 * mean and get 0; temperature 0 gives 0 (the limit map is piecewise constant). A NaN in probs or in g
 * on the support makes the support NaN. float32 inputs are computed in float64 and rounded once.
 *
 * Method: the Jacobian diag(s) - s s^T / |S| of Martins & Astudillo (2016), "From Softmax to Sparsemax"
 * (ICML), eq. 12, with s the support's indicator; the mean is an accurate sum kept in double-double.
 */
export function sparsemaxVjp(probs: Float32Array, cotangent: Values, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function sparsemaxVjp(probs: Float64Array, cotangent: Values, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function sparsemaxVjp<T extends FloatArray>(probs: TensorInput<T>, cotangent: Values, options?: AxisOptionsOut<T>): Tensor<T>;
export function sparsemaxVjp<X extends NestedInput>(probs: X, cotangent: Values, options?: AxisOptions): NestedResult<X>;
export function sparsemaxVjp(probs: unknown, cotangent: unknown, options?: unknown): unknown {
  return vjpAlongAxis("sparsemaxVjp", probs, cotangent, options);
}
