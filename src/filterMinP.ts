import { filterAlongAxis, readUnitInterval } from "./core/filterAlongAxis.js";
import { minPThreshold, UNIT_TEMPERATURE } from "./kernels/js/logitFilters.js";
import type { FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/** The options of {@link filterMinP}. */
export interface MinPOptions {
  /** The axis along which rows are filtered; default -1 (the last). */
  axis?: number;
  /** At least this many of the largest logits (and their ties) are kept: an integer >= 1 (or Infinity); default 1. */
  minKeep?: number;
}

/**
 * Min-p filtering: in each row along `axis` (default the last), sets to -Infinity the tokens whose
 * probability is below `minP` times the largest probability, in a new array of the input's kind (the
 * input is not changed).
 *
 * ```ts
 * filterMinP([3, 2, 1, 0], 0.2); // [3, 2, -Infinity, -Infinity]
 * ```
 *
 * Computed without normalising: p_i / max p = exp(x_i - max), so a token is dropped when
 * exp(x_i - max) < minP, and kept when it is exactly minP. `minP` is in [0, 1]: 0 keeps every token, 1
 * keeps the largest logit and its ties. With +Infinity entries (which share the whole mass, API.md §2)
 * any minP > 0 keeps only them. `minKeep` (integer >= 1, default 1): the `minKeep` largest and their
 * ties are kept whatever minP. Kept entries are bit-identical to the input; a row that is empty or all
 * -Infinity comes back unchanged; a NaN logit throws a RangeError naming its index.
 *
 * Method: one pass comparing exp(x_i - max) (within about an ulp, as in softmax) with minP. Follows
 * Nguyen et al. (2024), "Turning Up the Heat: Min-p Sampling for Creative and Coherent LLM Outputs",
 * and Hugging Face's MinPLogitsWarper.
 */
export function filterMinP(logits: Float32Array, minP: number, options?: MinPOptions): Float32Array;
export function filterMinP(logits: Float64Array, minP: number, options?: MinPOptions): Float64Array;
export function filterMinP<T extends FloatArray>(logits: TensorInput<T>, minP: number, options?: MinPOptions): Tensor<T>;
export function filterMinP<X extends NestedInput>(logits: X, minP: number, options?: MinPOptions): NestedResult<X>;
export function filterMinP(logits: unknown, minP: unknown, options?: unknown): unknown {
  const ratio = readUnitInterval(minP, "minP", "filterMinP");
  return filterAlongAxis("filterMinP", logits, options, true,
    (x, off, stride, n, max) => minPThreshold(x, off, stride, n, ratio, -Infinity, max, UNIT_TEMPERATURE));
}
