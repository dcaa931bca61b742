import { filterAlongAxis, readCount } from "./core/filterAlongAxis.js";
import { topKThreshold } from "./kernels/js/logitFilters.js";
import type { FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/** The options of {@link filterTopK}. */
export interface FilterOptions {
  /** The axis along which rows are filtered; default -1 (the last). */
  axis?: number;
}

/**
 * Top-k filtering: keeps the `k` largest logits of each row along `axis` (default the last) and sets
 * the others to -Infinity, in a new array of the input's kind (the input is not changed).
 *
 * ```ts
 * filterTopK([2, 0.5, 3, 1], 2); // [2, -Infinity, 3, -Infinity]
 * filterTopK([3, 1, 2, 2], 2); // [3, -Infinity, 2, 2] (both entries tied with the 2nd largest)
 * ```
 *
 * Every entry equal to the k-th largest is kept too, so the result never depends on the order of the
 * vocabulary (more than k may be kept). Kept entries are bit-identical to the input; a Float32Array
 * stays float32. `k` is an integer >= 1; `Infinity` (or any k >= the row length) keeps everything.
 * +Infinity entries rank above every finite one; a row that is empty or all -Infinity comes back
 * unchanged. A NaN logit throws a RangeError naming its index: it cannot be ranked.
 *
 * Method: the k-th largest by quickselect (Hoare's FIND, expected O(n)), then one pass keeping the
 * entries at or above it; no sort. Follows Fan, Lewis & Dauphin (2018), "Hierarchical Neural Story
 * Generation", and Hugging Face's TopKLogitsWarper (which also keeps boundary ties).
 */
export function filterTopK(logits: Float32Array, k: number, options?: FilterOptions): Float32Array;
export function filterTopK(logits: Float64Array, k: number, options?: FilterOptions): Float64Array;
export function filterTopK<T extends FloatArray>(logits: TensorInput<T>, k: number, options?: FilterOptions): Tensor<T>;
export function filterTopK<X extends NestedInput>(logits: X, k: number, options?: FilterOptions): NestedResult<X>;
export function filterTopK(logits: unknown, k: unknown, options?: unknown): unknown {
  const count = readCount(k, "k", "filterTopK");
  return filterAlongAxis("filterTopK", logits, options, false, (x, off, stride, n) => topKThreshold(x, off, stride, n, count));
}
