import { reduceAlongAxis } from "./core/alongAxis.js";
import type { AxisOptions, FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedReduced, NestedResult } from "./nestedTypes.js";

export interface LogSumExpOptions extends AxisOptions {
  /** SciPy's `b`: computes log(sum(weights * exp(x))); same shape as x. A weight of 0 drops its entry. */
  weights?: Values;
  /** Keep the reduced axis with size 1 (default false). */
  keepDims?: boolean;
}

interface Kept<T extends FloatArray> extends LogSumExpOptions {
  keepDims: true;
  out?: T;
}
interface Dropped extends LogSumExpOptions {
  keepDims?: false;
}

/**
 * log(sum_j exp(x_j / T)) along `axis`, without overflow: max / T + log1p(sum of the other terms).
 * The axis is removed (kept with size 1 under `keepDims`); a 1-D input gives a plain number.
 *
 * ```ts
 * logSumExp([1000, 1001, 1002]); // 1002.4076059644444
 * ```
 *
 * Edge cases (API.md §2): masked and -Infinity entries contribute 0; nothing left (or an empty axis)
 * gives -Infinity; any +Infinity gives +Infinity; a kept NaN gives NaN; temperature 0 gives the limit
 * of logsumexp(x / T) (+Infinity, -Infinity, or log(k) when the maximum is 0), Infinity gives log(n).
 * With `weights`, a negative total gives NaN (SciPy).
 *
 * Method: two-sum exact shift and compensated sum; where max / T and the log of the sum cancel (a
 * result near 0, as for log-probabilities that sum to about 1), one Newton step in double-double.
 */
export function logSumExp(x: FloatArray | readonly number[], options?: Dropped & { out?: never }): number;
export function logSumExp(x: Float32Array, options: Kept<Float32Array>): Float32Array;
export function logSumExp(x: Float64Array, options: Kept<Float64Array>): Float64Array;
export function logSumExp<T extends FloatArray>(x: TensorInput<T>, options: Kept<T>): Tensor<T>;
/** A 1-D tensor reduces to a number; higher ranks to a tensor. */
export function logSumExp<T extends FloatArray>(x: TensorInput<T>, options?: Dropped & { out?: T }): Tensor<T> | number;
export function logSumExp<X extends NestedInput>(x: X, options: LogSumExpOptions & { keepDims: true }): NestedResult<X>;
export function logSumExp<X extends NestedInput>(x: X, options?: Dropped): NestedReduced<X>;
/** keepDims known only at run time. */
export function logSumExp(x: Values, options: LogSumExpOptions & { keepDims: boolean; out?: FloatArray }): number | Values;
export function logSumExp(x: unknown, options?: unknown): unknown {
  return reduceAlongAxis("logSumExp", x, options);
}
