import { vjpAlongAxis } from "./core/vjpAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * The vector-Jacobian product of entmax15: given probs = entmax15(x / T) and a cotangent g
 * (dL/dprobs), returns dL/dx along `axis`: with s = sqrt(probs) on the support S (kept entries with
 * probs > 0), s_i (g_i - sum(s g) / sum(s)) / T; 0 elsewhere. The Jacobian is symmetric, so this is
 * also the JVP.
 *
 * ```ts
 * entmax15Vjp([0.64, 0.36, 0], [1, 0, 5]); // [0.34285714285714286, -0.34285714285714286, 0]
 * ```
 *
 * `cotangent` has the shape of `probs` (nested, a tensor, or flat). Masked entries take no part in the
 * sums and get 0; temperature 0 gives 0 (the limit map is piecewise constant). A NaN in probs or in g
 * on the support makes the support NaN. float32 inputs are computed in float64 and rounded once.
 *
 * Method: the Jacobian diag(s) - s s^T / sum(s), s = p^(2 - alpha), of alpha-entmax (Peters, Niculae &
 * Martins 2019, "Sparse Sequence-to-Sequence Models", ACL, Proposition 2) at alpha = 1.5; s, the sums
 * and their quotient are kept in double-double (Ogita, Rump & Oishi 2005, Dot2), so g_i minus the
 * quotient loses nothing when the two are close.
 */
export function entmax15Vjp(probs: Float32Array, cotangent: Values, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function entmax15Vjp(probs: Float64Array, cotangent: Values, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function entmax15Vjp<T extends FloatArray>(probs: TensorInput<T>, cotangent: Values, options?: AxisOptionsOut<T>): Tensor<T>;
export function entmax15Vjp<X extends NestedInput>(probs: X, cotangent: Values, options?: AxisOptions): NestedResult<X>;
export function entmax15Vjp(probs: unknown, cotangent: unknown, options?: unknown): unknown {
  return vjpAlongAxis("entmax15Vjp", probs, cotangent, options);
}
