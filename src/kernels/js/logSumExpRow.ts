// log-sum-exp of one strided row: max / T + log1p(sum of the non-max terms), and SciPy's weighted
// form log(sum(b * exp(x))).
//
// max / T + log1p(rest) cancels when the maximum is negative and the log of the sum is close to its
// magnitude: log-probabilities whose total is near 1 are the everyday case (the result is near 0). There
// the error of each term, about 2^-53, becomes large relative to the result; so such rows are refined
// once: with r0 the first result, g = sum(b_j exp(x_j / T - r0)) - 1 is computed in double-double and
// the result is r0 + log1p(g), one Newton step on the equation sum(b_j exp(x_j / T - r)) = 1.
import type { FloatArray } from "../../types.js";
import { ddAdd, ddMul, divisionRemainder, expDD, twoSum, type DD } from "./doubleDouble.js";
import { fixedPointLogSumExp } from "./fixedPointLogSumExp.js";
import { argmaxRow, COLD, HOT, isKept, isShared, NAN_ROW, NOTHING_KEPT, REGULAR, rowCase, type RowCase } from "./rowCases.js";
import { shiftedExp64, sumShiftedExp32, sumShiftedExp64, type Temperature } from "./shiftedExp.js";

const dd: DD = { hi: 0, lo: 0 };

/**
 * The smallest |r0| / max(|max / T|, log of the sum) that the first result may keep without being
 * refined: below it, the cancellation between the two parts could cost more than an ulp or two of the
 * output format. float32 outputs (computed in float64) tolerate far more cancellation.
 */
const KEEP_RATIO_64 = 7 / 8;
const KEEP_RATIO_32 = 2 ** -20;

/**
 * Below this magnitude (relative to the size of the terms) even the double-double step is short of
 * 4 ulp, whose absolute size is then under 2^-98: such rows are done again in fixed point.
 */
const FIXED_POINT_BELOW_64 = 2 ** -44;
const FIXED_POINT_BELOW_32 = 2 ** -70;

export function logSumExpRow(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null,
  weights: Float64Array | null, temperature: Temperature, float32: boolean,
): number {
  const T = temperature.T;
  const best = argmaxRow(x, off, stride, n, mask, weights);
  const kind = rowCase(x, off, stride, n, mask, weights, best, T);
  if (kind !== REGULAR) return edgeLogSumExp(kind, x, off, stride, n, mask, weights, best);
  const max = x[best];
  const shift = T === 1 ? max : max / T;
  let logSum: number;
  let termSize = 1; // sum of |b_j e_j| over |sum of b_j e_j|: how far negative weights cancel (>= 1)
  if (weights === null) {
    const rest = float32
      ? sumShiftedExp32(x as Float32Array, off, stride, n, mask, best, T, null)
      : sumShiftedExp64(x as Float64Array, off, stride, n, mask, best, temperature, null);
    logSum = Math.log1p(rest); // NaN when a kept entry is NaN
  } else {
    // sum(b_j e_j) = b_best + rest: log1p((b_best - 1) + rest) keeps a total near 1 exact.
    const wBest = weights[best];
    weightedRest(x, off, stride, n, mask, weights, best, temperature, weighted);
    logSum = Math.log1p((wBest - 1) + weighted.rest);
    termSize = Math.max(1, (Math.abs(wBest) + weighted.absolute) / Math.abs(wBest + weighted.rest));
  }
  const r0 = shift + logSum;
  if (r0 !== r0 || Math.abs(r0) === Infinity) return r0;
  const ratio = float32 ? KEEP_RATIO_32 : KEEP_RATIO_64;
  // Refine when max / T and the log of the sum cancel, or when negative weights cancel inside the sum.
  if (termSize <= 2 && Math.abs(r0) >= ratio * Math.max(Math.abs(shift), Math.abs(logSum))) return r0;
  const fixedBelow = (float32 ? FIXED_POINT_BELOW_32 : FIXED_POINT_BELOW_64) * termSize;
  // A first result already under 16 times the threshold cannot be refined out of it: go straight on.
  const r1 = float32 || Math.abs(r0) >= 16 * fixedBelow ? refine(x, off, stride, n, mask, weights, temperature, r0) : r0;
  if (Math.abs(r1) >= fixedBelow || r1 !== r1) return r1;
  return fixedPointLogSumExp(x, off, stride, n, (p) => isKept(p, mask, weights), weights, T, r1);
}

/** Where weightedRest leaves its sums. */
interface WeightedSum {
  /** sum of b_j e_j over the kept entries but the maximum */
  rest: number;
  /** sum of |b_j e_j| over the same entries */
  absolute: number;
}
const weighted: WeightedSum = { rest: 0, absolute: 0 };

/** The sums of b_j exp((x_j - max) / T) over the kept entries but `best`, into `result`. */
function weightedRest(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null,
  weights: Float64Array, best: number, temperature: Temperature, result: WeightedSum,
): void {
  const max = x[best];
  const end = off + n * stride;
  let sum = 0, comp = 0, absolute = 0;
  for (let p = off; p !== end; p += stride) {
    if (p === best || !isKept(p, mask, weights)) continue;
    const term = weights[p] * shiftedExp64(x[p], max, temperature);
    absolute += Math.abs(term);
    const next = sum + term;
    const bb = next - sum;
    comp += (sum - (next - bb)) + (term - bb);
    sum = next;
  }
  result.rest = sum + comp;
  result.absolute = absolute;
}

/** r0 + log1p(sum(b_j exp(x_j / T - r0)) - 1), the sum in double-double. */
function refine(
  x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null,
  weights: Float64Array | null, temperature: Temperature, r0: number,
): number {
  const parts = temperature.parts;
  const end = off + n * stride;
  let sh = 0, sl = 0;
  for (let p = off; p !== end; p += stride) {
    if (!isKept(p, mask, weights)) continue;
    const v = x[p];
    if (parts === null) {
      twoSum(v, -r0, dd);
    } else {
      const q = v / parts.T;
      const lo = Math.abs(q) < 1e290 ? divisionRemainder(v, q, parts) / parts.T : 0;
      ddAdd(q, lo, -r0, 0, dd);
    }
    expDD(dd.hi, dd.lo, dd);
    if (weights !== null) ddMul(dd.hi, dd.lo, weights[p], 0, dd);
    ddAdd(sh, sl, dd.hi, dd.lo, dd);
    sh = dd.hi;
    sl = dd.lo;
  }
  ddAdd(sh, sl, -1, 0, dd);
  return r0 + Math.log1p(dd.hi + dd.lo);
}

/**
 * The limits of API.md §2 for log-sum-exp. With weights, "how many entries share" becomes the sum of
 * their weights: a negative total is NaN (SciPy), and a zero total at temperature 0 (weights that cancel
 * exactly on the tied maxima) has no limit and is NaN too.
 */
function edgeLogSumExp(
  kind: RowCase, x: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null,
  weights: Float64Array | null, best: number,
): number {
  if (kind === NAN_ROW) return NaN;
  if (kind === NOTHING_KEPT) return -Infinity;
  const max = x[best];
  let shared = 0;
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    if (isShared(kind, x[p], max) && isKept(p, mask, weights)) shared += weights === null ? 1 : weights[p];
  }
  if (kind === HOT) return Math.log(shared);
  if (!(shared > 0)) return NaN;
  if (kind === COLD && max === 0) return Math.log(shared);
  return max > 0 ? Infinity : -Infinity; // POS_INFINITY, or COLD with a non-zero maximum
}
