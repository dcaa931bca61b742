// The shared pipeline of the logit filters (filterTopK, filterTopP, filterMinP): read the logits once,
// walk the rows along `axis`, and write a copy of the logits with the entries below each row's
// threshold set to -Infinity. Also the readers of the filters' numeric parameters, which sampleLogits
// shares.
import { dropBelow, scanRow, topKThreshold, type RowScan } from "../kernels/js/logitFilters.js";
import type { FloatArray, Nested, Tensor } from "../types.js";
import { rangeError, typeError } from "./describe.js";
import { entryName, readValues, type Input } from "./input.js";
import { readAxis, readOptions } from "./options.js";
import { toInputKind } from "./output.js";
import { planRows } from "./plan.js";

/** The threshold of one row (keep the entries >= it); `max` is the row's maximum, never NaN or -Infinity. */
export type RowThreshold = (x: FloatArray, off: number, stride: number, n: number, max: number) => number;

/** A count such as k or minKeep: an integer >= 1, or Infinity; with zeroIsOff (sampleLogits's topK), 0 too. */
export function readCount(value: unknown, name: string, fn: string, zeroIsOff = false): number {
  const what = zeroIsOff ? `${name} must be 0 (off), an integer >= 1 or Infinity` : `${name} must be an integer >= 1 (or Infinity)`;
  if (typeof value !== "number") throw typeError(fn, what, value);
  if (zeroIsOff && value === 0) return Infinity;
  if (!(value >= 1 && (Number.isInteger(value) || value === Infinity))) throw rangeError(fn, what, value);
  return value;
}

/** A probability parameter (p, minP): a number in [0, 1]. */
export function readUnitInterval(value: unknown, name: string, fn: string): number {
  if (typeof value !== "number") throw typeError(fn, `${name} must be a number in [0, 1]`, value);
  if (!(value >= 0 && value <= 1)) throw rangeError(fn, `${name} must be in [0, 1]`, value);
  return value;
}

export function nanError(fn: string, input: Input, flat: number): RangeError {
  return rangeError(fn, `${entryName(input, "logits", flat)} is NaN, and a NaN logit cannot be ranked`, NaN);
}

const scan: RowScan = { best: -1, nan: -1 };

/**
 * Applies a filter along an axis. `withMinKeep`: the `minKeep` option is read, and each row keeps at
 * least its minKeep largest entries (and their ties). Rows with no entry above -Infinity are left as
 * they are: there is nothing to keep.
 */
export function filterAlongAxis(
  fn: string, logits: unknown, options: unknown, withMinKeep: boolean, threshold: RowThreshold,
): Nested | FloatArray | Tensor {
  const input = readValues(logits, fn, "logits");
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const minKeep = withMinKeep && o.minKeep !== undefined ? readCount(o.minKeep, "minKeep", fn) : 1;
  const x = input.data;
  // Nested input was already copied into a fresh array by readValues: filter that one in place.
  const out = input.kind === "nested" ? x : x.slice();
  const { outer, n, inner } = planRows(input.shape, axis);
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) {
      const off = a * n * inner + i;
      scanRow(x, off, inner, n, scan);
      if (scan.nan >= 0) throw nanError(fn, input, scan.nan);
      if (scan.best < 0) continue;
      let t = threshold(x, off, inner, n, x[scan.best]);
      if (minKeep > 1) t = Math.min(t, topKThreshold(x, off, inner, n, minKeep));
      dropBelow(out, off, inner, n, t);
    }
  }
  return toInputKind(input, out, input.shape);
}
