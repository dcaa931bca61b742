import { vjpAlongAxis } from "./core/vjpAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/**
 * The vector-Jacobian product of logSoftmax: given logProbs = logSoftmax(x / T) and a cotangent g
 * (dL/dlogProbs), returns dL/dx = (g - exp(logProbs) * sum(g)) / T along `axis`.
 *
 * ```ts
 * logSoftmaxVjp([Math.log(0.5), Math.log(0.3), Math.log(0.2)], [1, 0, 0]); // [0.5, -0.29999999999999993, -0.2]
 * ```
 *
 * `cotangent` has the shape of `logProbs` (nested, a tensor, or flat). Masked entries take no part in
 * the sum and get 0; a -Infinity log-probability passes g through (exp(-Infinity) = 0), as in torch;
 * temperature 0 gives 0. The sum of g is compensated (Ogita, Rump & Oishi 2005).
 */
export function logSoftmaxVjp(logProbs: Float32Array, cotangent: Values, options?: AxisOptionsOut<Float32Array>): Float32Array;
export function logSoftmaxVjp(logProbs: Float64Array, cotangent: Values, options?: AxisOptionsOut<Float64Array>): Float64Array;
export function logSoftmaxVjp<T extends FloatArray>(logProbs: TensorInput<T>, cotangent: Values, options?: AxisOptionsOut<T>): Tensor<T>;
export function logSoftmaxVjp<X extends NestedInput>(logProbs: X, cotangent: Values, options?: AxisOptions): NestedResult<X>;
export function logSoftmaxVjp(logProbs: unknown, cotangent: unknown, options?: unknown): unknown {
  return vjpAlongAxis("logSoftmaxVjp", logProbs, cotangent, options);
}
