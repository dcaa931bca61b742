// Selection without sorting, in expected linear time. kthLargest is Hoare's FIND ("Algorithm 65:
// Find", CACM 4(7), 1961) with Wirth's loop (Algorithms + Data Structures = Programs, 1976, §2.3.4)
// and a random pivot. weightedThreshold is the weighted-median variant of the same idea (as in Cormen
// et al., Introduction to Algorithms, problem 9-2): partition around a pivot, compare the weight
// above it with what is still needed, and go on into one side only.
//
// Both permute the arrays they are given; the values must not be NaN. Pivots come from a private
// xorshift32 stream (Marsaglia 2003), so no input order makes the expected cost quadratic and the
// caller's random numbers are never consumed; the result does not depend on the pivots.
import { ddAdd, sumError, type DD } from "./doubleDouble.js";

let state = 0x9e3779b9;

/** A position in [lo, hi), hi > lo. */
function pivotIndex(lo: number, hi: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return lo + ((state >>> 0) % (hi - lo));
}

/** The k-th largest of values[0, length), counting repeats (1 <= k <= length). */
export function kthLargest(values: Float64Array, length: number, k: number): number {
  const target = k - 1;
  let lo = 0, hi = length - 1;
  while (lo < hi) {
    const pivot = values[pivotIndex(lo, hi + 1)];
    let i = lo, j = hi;
    do {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    // [lo, j] >= pivot >= [i, hi], and whatever lies strictly between j and i equals the pivot.
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return pivot;
  }
  return values[target];
}

const r: DD = { hi: 0, lo: 0 };

/** Whether (ah + al) >= (bh + bl), to about 2^-106 of the larger. */
function atLeast(ah: number, al: number, bh: number, bl: number): boolean {
  ddAdd(ah, al, -bh, -bl, r);
  return r.hi >= 0;
}

/**
 * The largest value v of values[0, length) whose entries at or above it weigh at least `need`
 * (needHi + needLo, a double-double) together; weights go with the values and are permuted with them.
 * The weights must add up to at least `need`; with need <= 0 the result is the maximum.
 */
export function weightedThreshold(
  values: Float64Array, weights: Float64Array, length: number, needHi: number, needLo: number,
): number {
  let lo = 0, hi = length;
  for (;;) {
    const pivot = values[pivotIndex(lo, hi)];
    // Three-way partition of [lo, hi): [lo, a) > pivot, [a, b) = pivot, [b, hi) < pivot, with the
    // weight of the first two parts summed on the way (Sum2: the rounding errors kept apart).
    let a = lo, i = lo, b = hi;
    let above = 0, aboveErr = 0, equal = 0, equalErr = 0;
    while (i < b) {
      const v = values[i], w = weights[i];
      if (v > pivot) {
        values[i] = values[a];
        weights[i] = weights[a];
        values[a] = v;
        weights[a] = w;
        a++;
        i++;
        const s = above + w;
        aboveErr += sumError(above, w, s);
        above = s;
      } else if (v < pivot) {
        b--;
        values[i] = values[b];
        weights[i] = weights[b];
        values[b] = v;
        weights[b] = w;
      } else {
        i++;
        const s = equal + w;
        equalErr += sumError(equal, w, s);
        equal = s;
      }
    }
    if (a > lo && atLeast(above, aboveErr, needHi, needLo)) {
      hi = a; // the threshold is above the pivot
      continue;
    }
    ddAdd(above, aboveErr, equal, equalErr, r);
    const throughHi = r.hi, throughLo = r.lo;
    // b === hi: nothing below the pivot is left (only rounding can bring this about with need unmet).
    if (b === hi || atLeast(throughHi, throughLo, needHi, needLo)) return pivot;
    ddAdd(needHi, needLo, -throughHi, -throughLo, r);
    needHi = r.hi;
    needLo = r.lo;
    lo = b;
  }
}
