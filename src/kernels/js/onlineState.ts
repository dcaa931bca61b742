// The arithmetic of OnlineSoftmax: a running (max, sum, count) over a stream of values, with
// sum = sum_j exp(x_j - max) held in double-double, merged and turned into log-sum-exp.
//
// Each chunk is folded in with one pass for its maximum and one for its terms: when the maximum
// rises, the old sum is rescaled once by exp(oldMax - newMax) in double-double (expDD, relative error
// about 2^-100). The terms exp(x - max) take the shift x - max exactly (two-sum, as in shiftedExp.ts),
// so each is within about 0.52 ulp; they are added by Sum2 (Ogita, Rump & Oishi 2005) starting from
// the state's own double-double, whose error, at most about (n u)^2 of the sum, is far below the
// terms' rounding. What is left in the sum is the terms' own rounding, whatever the chunking or the
// order of merges.
//
// Special states (API.md §2): a NaN anywhere makes max and sum NaN for good; +Infinity values make
// max +Infinity and sum the number k of them; with nothing but -Infinity (or nothing at all) max is
// -Infinity and sum 0. Otherwise max is finite and sum >= 1 (the maximum's own term is exactly 1).
import { ddAdd, ddMul, expDD, sumError, twoSum, type DD } from "./doubleDouble.js";
import { expNonPositive } from "./exp.js";

/** The state of an OnlineSoftmax: max, sum = hi + lo (|lo| <= ulp(hi) / 2), count. */
export interface OnlineState {
  max: number;
  hi: number;
  lo: number;
  count: number;
}

const dd: DD = { hi: 0, lo: 0 };

/** Folds values[0..n) into `state`. The entries must be numbers (checked by the caller). */
export function pushValues(state: OnlineState, values: ArrayLike<number>, n: number): void {
  state.count += n;
  if (state.max !== state.max) return; // NaN is final
  let chunkMax = -Infinity;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v > chunkMax) chunkMax = v;
    else if (v !== v) nan = true;
  }
  if (nan) return setNaN(state);
  if (chunkMax === Infinity) {
    let k = 0;
    for (let i = 0; i < n; i++) if (values[i] === Infinity) k++;
    if (state.max === Infinity) {
      state.hi += k; // integers below 2^53: exact
    } else {
      state.max = Infinity;
      state.hi = k;
      state.lo = 0;
    }
    return;
  }
  // Nothing to add: the chunk is all -Infinity, or +Infinity already rules.
  if (chunkMax === -Infinity || state.max === Infinity) return;
  if (chunkMax > state.max) {
    rescale(state, chunkMax);
    state.max = chunkMax + 0; // -0 is kept as +0 (JSON writes both as 0)
  }
  const max = state.max;
  // Sum2 from the state's own pair: s collects the rounded sum, comp the exact errors of its additions.
  let s = state.hi, comp = state.lo;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const d = v - max;
    const e = expNonPositive(d, sumError(v, -max, d)); // 0 for -Infinity (d < -745.2, never reads the NaN)
    const next = s + e;
    const bb = next - s;
    comp += (s - (next - bb)) + (e - bb);
    s = next;
  }
  twoSum(s, comp, dd);
  state.hi = dd.hi;
  state.lo = dd.lo;
}

/** Rescales state's sum from state.max to a larger finite `max`: times exp(state.max - max). */
function rescale(state: OnlineState, max: number): void {
  if (state.hi === 0) return; // -Infinity (or empty): nothing to rescale
  scaledSum(state.hi, state.lo, state.max, max, dd);
  state.hi = dd.hi;
  state.lo = dd.lo;
}

/** r = (hi + lo) * exp(from - to) in double-double, for from < to (both finite). */
function scaledSum(hi: number, lo: number, from: number, to: number, r: DD): void {
  twoSum(from, -to, r); // exact; -Infinity (and a NaN error) when the difference overflows: expDD gives 0
  expDD(r.hi, r.lo === r.lo ? r.lo : 0, r);
  ddMul(hi, lo, r.hi, r.lo, r);
}

function setNaN(state: OnlineState): void {
  state.max = NaN;
  state.hi = NaN;
  state.lo = 0;
}

/**
 * out = a merged with b. Commutative bit for bit: equal maxima add their sums by ddAdd (two-sums of
 * the parts, exact and symmetric); otherwise the side with the smaller max is rescaled and added to
 * the other, the same operations whichever comes first. `out` may be `a` or `b`.
 */
export function mergeStates(a: OnlineState, b: OnlineState, out: OnlineState): void {
  const count = a.count + b.count;
  const am = a.max, bm = b.max;
  if (am !== am || bm !== bm) {
    setNaN(out);
  } else if (am === Infinity || bm === Infinity) {
    const k = (am === Infinity ? a.hi : 0) + (bm === Infinity ? b.hi : 0);
    out.max = Infinity;
    out.hi = k;
    out.lo = 0;
  } else if (am === bm) {
    ddAdd(a.hi, a.lo, b.hi, b.lo, dd);
    out.max = am;
    out.hi = dd.hi + 0; // -Infinity states: 0 + 0, never -0
    out.lo = dd.lo + 0;
  } else {
    const big = am > bm ? a : b, small = am > bm ? b : a;
    const bigHi = big.hi, bigLo = big.lo, max = big.max;
    if (small.hi === 0) {
      out.hi = bigHi;
      out.lo = bigLo;
    } else {
      scaledSum(small.hi, small.lo, small.max, max, dd);
      ddAdd(bigHi, bigLo, dd.hi, dd.lo, dd);
      out.hi = dd.hi;
      out.lo = dd.lo;
    }
    out.max = max;
  }
  out.count = count;
}

/**
 * r = max + log(hi + lo) in double-double, for a state with a finite max (so hi >= 1).
 * y0 = log(hi) is corrected exactly: log(sum) = y0 + log1p(c) with c = sum exp(-y0) - 1 taken in
 * double-double; |c| is about 2^-52, so log1p(c) in double is good to about 2^-105. The error left is
 * that of the sum itself: its terms' rounding, about 2^-53 of the sum.
 */
export function logSumExpOf(max: number, hi: number, lo: number, r: DD): void {
  const y0 = Math.log(hi);
  expDD(-y0, 0, r);
  ddMul(hi, lo, r.hi, r.lo, r);
  ddAdd(r.hi, r.lo, -1, 0, r);
  const correction = Math.log1p(r.hi + r.lo);
  ddAdd(max, 0, y0, correction, r);
}

/**
 * out[i] = exp(values[i] - (lseHi + lseLo)) for a state with a finite max, values[i] <= max and not
 * NaN (checked by the caller). The shift is exact (two-sum) and the low part of log-sum-exp goes into
 * the exponential's argument, so each entry is within about 0.52 ulp of exp of the shift.
 */
export function normalizeFinite(
  values: ArrayLike<number>, n: number, lseHi: number, lseLo: number, out: Float64Array | Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const d = v - lseHi;
    // 0 for -Infinity (d < -745.2: the exponential never reads the NaN two-sum error)
    const e = expNonPositive(d, sumError(v, -lseHi, d) - lseLo);
    out[i] = e > 1 ? 1 : e; // only a rounding of the last bit could take it past 1
  }
}
