import { nanError, readCount, readUnitInterval } from "./core/filterAlongAxis.js";
import { floatKindOf } from "./core/floatArrays.js";
import { readValues } from "./core/input.js";
import { readOptions, readTemperature } from "./core/options.js";
import { rangeError, typeError } from "./core/describe.js";
import { readRng } from "./core/rngOption.js";
import type { RandomOptions } from "./createRng.js";
import { temperatureParts } from "./kernels/js/doubleDouble.js";
import { drawIndex, samplingThreshold, scanRow, type RowScan } from "./kernels/js/logitFilters.js";
import type { FloatArray } from "./types.js";

const FN = "sampleLogits";

/** The options of {@link sampleLogits}: the filters, applied in this order, and the randomness. */
export interface SampleLogitsOptions extends RandomOptions {
  /** Samples from softmax(logits / temperature); >= 0, default 1; 0 returns the argmax. */
  temperature?: number;
  /** Keeps the topK largest logits (and their ties); an integer >= 1, or 0 / undefined for off. */
  topK?: number;
  /** Keeps the smallest top set with mass >= topP (see filterTopP); in [0, 1], undefined or 1 for off. */
  topP?: number;
  /** Drops tokens with probability < minP * the largest (see filterMinP); in [0, 1], undefined or 0 for off. */
  minP?: number;
}

const scan: RowScan = { best: -1, nan: -1 };

/**
 * Draws one token index from a row of logits: softmax at `temperature`, filtered by top-k, top-p and
 * min-p, in that order.
 *
 * ```ts
 * sampleLogits([1, 5, 2], { temperature: 0 }); // 1
 * sampleLogits([1, 5, 2, 4], { topK: 2, seed: 3 }); // 3 (only 1 and 3 can come out)
 * ```
 *
 * Each filter works on the distribution the previous one left, renormalised (as Hugging Face's
 * logits warpers chain): temperature, then top-k ({@link filterTopK}), then top-p ({@link filterTopP}),
 * then min-p ({@link filterMinP}), with their tie rules; the index is then drawn by inverse CDF with
 * one number from the generator: `rng` (an object with `next()`, or a bare function), or a fresh
 * `createRng(seed)`, or with neither a generator seeded from crypto. Only indices of positive
 * probability that every filter kept can come out (the scan's running sum ends exactly on the total
 * that u was scaled by). `temperature: 0` returns the first index of the maximum and draws nothing. `temperature: Infinity` is
 * uniform over the entries above -Infinity; k entries at +Infinity share the whole mass (API.md §2).
 * A NaN logit, and empty logits or all -Infinity ("nothing to sample"), throw RangeError.
 *
 * Method: no sort. One pass for the maximum; top-k by quickselect (expected O(n)); top-p from the
 * weights of what top-k kept, by a weighted quickselect (on long rows after a pass that bins the mass
 * by logit, so that it runs on one bin); min-p by one comparison pass; then the exponentials of the
 * kept entries and the inverse-CDF scan. Scratch buffers are reused between calls, so a typed-array
 * call allocates nothing of the row's size (a number[] is copied into a Float64Array first).
 */
export function sampleLogits(logits: readonly number[] | FloatArray, options?: SampleLogitsOptions): number {
  const x = readRow(logits);
  const o = readOptions(options, FN);
  const T = readTemperature(o.temperature, FN);
  const topK = o.topK === undefined ? Infinity : readCount(o.topK, "topK", FN, true);
  const topP = o.topP === undefined ? 1 : readUnitInterval(o.topP, "topP", FN);
  const minP = o.minP === undefined ? 0 : readUnitInterval(o.minP, "minP", FN);
  const draw = readRng(o.rng, o.seed, FN);
  const n = x.length;
  scanRow(x, 0, 1, n, scan);
  if (scan.nan >= 0) throw nanError(FN, { kind: "typed", float: "float64", data: x, shape: [n] }, scan.nan);
  if (scan.best < 0) throw rangeError(FN, "nothing to sample: logits is empty or every entry is -Infinity", logits);
  if (T === 0) return scan.best;
  const max = x[scan.best];
  const temperature = { T, parts: T === 1 || T === Infinity ? null : temperatureParts(T) };
  const threshold = samplingThreshold(x, 0, 1, n, max, temperature, topK, topP, minP);
  return drawIndex(x, 0, 1, n, threshold, max, temperature, draw());
}

function readRow(logits: unknown): FloatArray {
  if (floatKindOf(logits)) return logits as FloatArray;
  if (Array.isArray(logits)) {
    const input = readValues(logits, FN, "logits");
    if (input.shape.length === 1) return input.data;
  }
  throw typeError(FN, "logits must be one row: a number[], Float32Array or Float64Array", logits);
}
