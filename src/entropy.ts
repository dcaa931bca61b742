import { reduceRows } from "./core/reduceRows.js";
import { entropyRow } from "./kernels/js/informationRows.js";
import type { FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedReduced, NestedResult } from "./nestedTypes.js";

interface Options {
  axis?: number;
  keepDims?: boolean;
}

/**
 * The Shannon entropy -sum p log p of each distribution along `axis`, in nats, with 0 log 0 = 0.
 *
 * ```ts
 * entropy([0.5, 0.25, 0.25]); // 1.0397207708399179
 * ```
 *
 * `probs` are used as given (not renormalised, unlike scipy.stats.entropy): pass softmax output. The
 * axis is removed (kept with size 1 under `keepDims`); a 1-D input gives a number. A negative entry
 * throws RangeError; a NaN gives NaN. Between 0 (one-hot) and log K (uniform) for a distribution.
 */
export function entropy(probs: FloatArray | readonly number[], options?: Options & { keepDims?: false }): number;
export function entropy<T extends FloatArray>(probs: TensorInput<T>, options?: Options): Tensor<T> | number;
export function entropy<X extends NestedInput>(probs: X, options: Options & { keepDims: true }): NestedResult<X>;
export function entropy<X extends NestedInput>(probs: X, options?: Options & { keepDims?: false }): NestedReduced<X>;
export function entropy(probs: FloatArray, options: Options & { keepDims: true }): FloatArray;
export function entropy(probs: unknown, options?: unknown): unknown {
  return reduceRows("entropy", probs, undefined, options, ["probs"], (p, _q, off, stride, n) => entropyRow(p, off, stride, n));
}
