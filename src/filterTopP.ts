import { filterAlongAxis, readUnitInterval } from "./core/filterAlongAxis.js";
import { topPThreshold, UNIT_TEMPERATURE } from "./kernels/js/logitFilters.js";
import type { FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/** The options of {@link filterTopP}. */
export interface TopPOptions {
  /** The axis along which rows are filtered; default -1 (the last). */
  axis?: number;
  /** At least this many of the largest logits (and their ties) are kept: an integer >= 1 (or Infinity); default 1. */
  minKeep?: number;
}

/**
 * Top-p (nucleus) filtering: keeps, in each row along `axis` (default the last), the smallest set of
 * largest logits whose softmax probability adds up to at least `p`, and sets the others to -Infinity,
 * in a new array of the input's kind (the input is not changed).
 *
 * ```ts
 * filterTopP([3, 2, 1, 0], 0.9); // [3, 2, 1, -Infinity]
 * ```
 *
 * Walking down from the largest logit, the token whose mass makes the total reach p (the crossing
 * token) is kept, with every entry tied with it; when the total reaches p exactly, no further token is
 * added. `p = 0` keeps the largest logit and its ties (greedy); `p = 1` keeps every token needed to
 * reach mass 1 (every entry above -Infinity, or only the +Infinity entries when there are some: they
 * share the whole mass, API.md §2). `minKeep` (integer >= 1, default 1): the `minKeep` largest and their
 * ties are kept whatever p. Kept entries are bit-identical to the input; a row that is empty or all
 * -Infinity comes back unchanged; a NaN logit throws a RangeError naming its index.
 *
 * Method: probabilities exp(x - max) / sum as the softmax kernels compute them, summed with their
 * rounding errors kept (Ogita-Rump-Oishi Sum2), and the mass compared with p * total in double-double.
 * A mass within 2^-52 of p (relative to the total, the accuracy of the probabilities themselves) counts
 * as reaching it, so that the logs of dyadic probabilities land where they should: the logits
 * `[0.5, 0.25, 0.125, 0.0625, 0.03125, 0.03125].map(Math.log)` at p = 0.75 keep 2 entries, although
 * the rounding of Math.log(0.125) makes that weight an ulp heavy (and at p = 0.7500001, 3). The
 * crossing token is found by a weighted quickselect (partition around a pivot, go on into the side
 * that holds it: expected O(n)), on long rows after a pass that bins the mass by logit; no sort.
 * Follows Holtzman et al. (2020), "The Curious Case of Neural Text Degeneration".
 */
export function filterTopP(logits: Float32Array, p: number, options?: TopPOptions): Float32Array;
export function filterTopP(logits: Float64Array, p: number, options?: TopPOptions): Float64Array;
export function filterTopP<T extends FloatArray>(logits: TensorInput<T>, p: number, options?: TopPOptions): Tensor<T>;
export function filterTopP<X extends NestedInput>(logits: X, p: number, options?: TopPOptions): NestedResult<X>;
export function filterTopP(logits: unknown, p: unknown, options?: unknown): unknown {
  const mass = readUnitInterval(p, "p", "filterTopP");
  return filterAlongAxis("filterTopP", logits, options, true,
    (x, off, stride, n, max) => topPThreshold(x, off, stride, n, mass, -Infinity, max, UNIT_TEMPERATURE));
}
