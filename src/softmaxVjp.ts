import { vjpAlongAxis } from "./core/vjpAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * The vector-Jacobian product of softmax: given probs = softmax(x / T) and a cotangent g (dL/dprobs),
 * returns dL/dx = probs * (g - sum(g * probs)) / T along `axis`. The softmax Jacobian is symmetric, so
 * this is also its Jacobian-vector product.
 *
 * ```ts
 * softmaxVjp([0.5, 0.3, 0.2], [1, 0, 0]); // [0.25, -0.15, -0.1]
 * ```
 *
 * `cotangent` has the shape of `probs` (nested, a tensor, or flat). Masked entries take no part in the
 * sum and get 0; temperature 0 gives 0 (the limit map is piecewise constant). float32 inputs are
 * computed in float64 and rounded once. Method: the sum is an accurate dot product (Ogita, Rump & Oishi
 * 2005) kept in double-double, so g_i - sum loses nothing when the two are close.
 */
export function softmaxVjp(probs: Float32Array, cotangent: Values, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function softmaxVjp(probs: Float64Array, cotangent: Values, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function softmaxVjp<T extends FloatArray>(probs: TensorInput<T>, cotangent: Values, options?: AxisOptionsOut<T>): Tensor<T>;
export function softmaxVjp<X extends NestedInput>(probs: X, cotangent: Values, options?: AxisOptions): NestedResult<X>;
export function softmaxVjp(probs: unknown, cotangent: unknown, options?: unknown): unknown {
  return vjpAlongAxis("softmaxVjp", probs, cotangent, options);
}
