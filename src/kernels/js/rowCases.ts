// What every row kernel does first: find the row's maximum, and decide whether the row is one of the
// edge cases of API.md §2 (NaN, +Infinity, nothing left, temperature 0 or Infinity) or a regular row.
// Rows are strided: entry j of a row is at off + j * stride, in x, in the mask and in the weights.
import type { FloatArray } from "../../types.js";

/** The row is computed by the regular (exp and sum) path. */
export const REGULAR = 0;
/** An entry that is kept is NaN: the whole row is NaN. */
export const NAN_ROW = 1;
/** Every entry is masked, -Infinity, or (logSumExp) has weight 0. */
export const NOTHING_KEPT = 2;
/** One or more kept entries are +Infinity: they share the probability. */
export const POS_INFINITY = 3;
/** temperature 0: the entries equal to the maximum share the probability. */
export const COLD = 4;
/** temperature Infinity: every kept entry above -Infinity gets the same probability. */
export const HOT = 5;

export type RowCase = typeof REGULAR | typeof NAN_ROW | typeof NOTHING_KEPT | typeof POS_INFINITY | typeof COLD | typeof HOT;

/**
 * Flat index of the first maximum among the kept entries (NaN compares false and is passed over),
 * or -1 when no kept entry is above -Infinity.
 */
export function argmaxRow(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, weights: Float64Array | null,
): number {
  let best = -1, max = -Infinity;
  const end = off + n * stride;
  if (mask === null && weights === null) {
    for (let p = off; p !== end; p += stride) {
      const v = x[p];
      if (v > max) { max = v; best = p; }
    }
  } else {
    for (let p = off; p !== end; p += stride) {
      const v = x[p];
      if (v > max && isKept(p, mask, weights)) { max = v; best = p; }
    }
  }
  return best;
}

export function isKept(p: number, mask: Uint8Array | null, weights: Float64Array | null): boolean {
  return (mask === null || mask[p] !== 0) && (weights === null || weights[p] !== 0);
}

/**
 * The row's case, given the flat index of its maximum (argmaxRow). NaN is only looked for here on
 * the edge paths; on the regular path a kept NaN turns the sum into NaN, which the kernel checks once.
 */
export function rowCase(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, weights: Float64Array | null,
  best: number, temperature: number,
): RowCase {
  const max = best < 0 ? -Infinity : x[best];
  if (max !== Infinity && best >= 0 && temperature !== 0 && temperature !== Infinity) return REGULAR;
  if (hasKeptNaN(x, off, stride, n, mask, weights)) return NAN_ROW;
  if (best < 0) return NOTHING_KEPT;
  if (max === Infinity) return POS_INFINITY;
  return temperature === 0 ? COLD : HOT;
}

function hasKeptNaN(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, weights: Float64Array | null,
): boolean {
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    if (x[p] !== x[p] && isKept(p, mask, weights)) return true;
  }
  return false;
}

/**
 * Whether entry value v is one of those that share the probability in an edge case: +Infinity entries
 * (POS_INFINITY), entries equal to the maximum (COLD), entries above -Infinity (HOT).
 */
export function isShared(rowCase: RowCase, v: number, max: number): boolean {
  return rowCase === HOT ? v > -Infinity : v === max;
}

/** Sets every entry of the row (masked ones too) to `value`. */
export function fillRow(out: FloatArray, off: number, stride: number, n: number, value: number): void {
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) out[p] = value;
}

/**
 * The edge cases of softmax (log = false) and logSoftmax (log = true): the shared entries get 1/k
 * (or -log k), every other entry 0 (or -Infinity); a NaN row is NaN throughout.
 */
export function writeEdgeRow(
  rowCase: RowCase, x: FloatArray, out: FloatArray, off: number, stride: number, n: number,
  mask: Uint8Array | null, best: number, log: boolean,
): void {
  if (rowCase === NAN_ROW) return fillRow(out, off, stride, n, NaN);
  const zero = log ? -Infinity : 0;
  if (rowCase === NOTHING_KEPT) return fillRow(out, off, stride, n, zero);
  const max = x[best];
  const end = off + n * stride;
  let count = 0;
  for (let p = off; p !== end; p += stride) {
    if (isShared(rowCase, x[p], max) && isKept(p, mask, null)) count++;
  }
  const share = log ? 0 - Math.log(count) : 1 / count; // 0 - log(1) is +0, not -0
  // Read every x[p] before writing out[p]: out may be x itself.
  for (let p = off; p !== end; p += stride) {
    out[p] = isShared(rowCase, x[p], max) && isKept(p, mask, null) ? share : zero;
  }
}
