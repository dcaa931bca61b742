// sparsemax of one strided row: Martins & Astudillo (2016), "From Softmax to Sparsemax: A Sparse Model
// of Attention and Multi-Label Classification" (ICML), Algorithm 1 — sort, find the support size
// k = max{k : 1 + k z_(k) > sum_{j<=k} z_(j)}, tau = (sum_{j<=k} z_(j) - 1) / k, p = [z - tau]_+.
//
// Also the pieces the other sparse kernels (entmaxRows.ts, sparseVjpRows.ts) share: the edge rows of
// API.md §2, the sorted copy of a row, and a few double-double operations.
//
// Accuracy: p_i = z_i - tau cancels near the support boundary, and x_i - max cancels for large offsets.
// So z is taken as y_i = (x_i - max) / T in double-double (the rounding error of x_i - max recovered by
// two-sum, the quotient made exact by its remainder), tau is carried in double-double, and p_i is
// rounded once. With y_max = 0 the threshold lies in [-1, 0): entries with y_i <= -1 are never in the
// support and are not sorted at all.
import type { FloatArray } from "../../types.js";
import { ddAdd, ddDivInt, divisionRemainder, sumError, twoProd, twoSum, type DD } from "./doubleDouble.js";
import { argmaxRow, fillRow, REGULAR, rowCase, writeEdgeRow } from "./rowCases.js";
import type { Temperature } from "./shiftedExp.js";

const r: DD = { hi: 0, lo: 0 };
const q: DD = { hi: 0, lo: 0 };

/** Slack on the candidate cut, so that a rounded x - max never leaves out an entry of the support. */
export const REACH_SLACK = 1 + 2 ** -40;

/**
 * Writes the edge rows of API.md §2 (NaN, nothing kept, +Infinity, temperature 0 or Infinity) exactly as
 * softmax does, and returns NaN; for a regular row, writes nothing and returns the row's maximum.
 */
export function regularRowMax(
  x: FloatArray, out: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, T: number,
): number {
  const best = argmaxRow(x, off, stride, n, mask, null);
  const kind = rowCase(x, off, stride, n, mask, null, best, T);
  if (kind === REGULAR) return x[best];
  writeEdgeRow(kind, x, out, off, stride, n, mask, best, false);
  return NaN;
}

let scratch = new Float64Array(64);

/**
 * Whether a kept, non-NaN entry v is within `reach` of the maximum: only those can be in the support.
 * -Infinity is never one, nor (to stay clear of NaN) an entry whose distance to the maximum overflows.
 */
export function isCandidate(v: number, max: number, reach: number): boolean {
  const d = v - max;
  return d >= -reach && d !== -Infinity;
}

/**
 * The kept entries with x >= max - reach, sorted ascending, in a module-level scratch array (a view
 * of it: valid until the next call). null when a kept entry is NaN.
 */
export function sortedCandidates(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, max: number, reach: number,
): Float64Array | null {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const end = off + n * stride;
  let count = 0;
  for (let p = off; p !== end; p += stride) {
    if (mask !== null && mask[p] === 0) continue;
    const v = x[p];
    if (v !== v) return null;
    if (isCandidate(v, max, reach)) scratch[count++] = v;
  }
  return scratch.subarray(0, count).sort(); // typed-array sort is numeric
}

/** r = (v - max) / T in double-double (v - max >= -2^996 T). */
export function shiftedDD(v: number, max: number, t: Temperature, out: DD): void {
  const s = v - max;
  const e = sumError(v, -max, s); // s + e = v - max exactly
  if (t.parts === null) { // T = 1
    out.hi = s;
    out.lo = e;
    return;
  }
  const quotient = s / t.T;
  twoSum(quotient, (divisionRemainder(s, quotient, t.parts) + e) / t.T, out);
}

export function sparsemaxRow(
  x: FloatArray, out: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, t: Temperature,
): void {
  const max = regularRowMax(x, out, off, stride, n, mask, t.T);
  if (max !== max) return;
  const reach = t.T * REACH_SLACK; // y > -1
  const sorted = sortedCandidates(x, off, stride, n, mask, max, reach);
  if (sorted === null) return fillRow(out, off, stride, n, NaN);
  // Scan the support upwards from the maximum; k is in it iff y_(k) > tau_k = (sum_{j<=k} y_(j) - 1) / k.
  let sumHi = 0, sumLo = 0, tauHi = -1, tauLo = 0;
  for (let j = sorted.length - 1, k = 1; j >= 0; j--, k++) {
    shiftedDD(sorted[j], max, t, r);
    const yHi = r.hi, yLo = r.lo;
    ddAdd(sumHi, sumLo, yHi, yLo, r);
    sumHi = r.hi;
    sumLo = r.lo;
    ddAdd(sumHi, sumLo, -1, 0, r);
    ddDivInt(r.hi, r.lo, k, q);
    ddAdd(yHi, yLo, -q.hi, -q.lo, r);
    if (!(r.hi > 0)) break;
    tauHi = q.hi;
    tauLo = q.lo;
  }
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    const v = x[p]; // read before out[p] is written: out may be x
    if ((mask !== null && mask[p] === 0) || !isCandidate(v, max, reach)) {
      out[p] = 0;
      continue;
    }
    shiftedDD(v, max, t, r);
    ddAdd(r.hi, r.lo, -tauHi, -tauLo, r);
    out[p] = r.hi > 0 ? r.hi : 0;
  }
}
