// float64 rows (rows32.ts explains the layout). Sums are compensated (Fast2Sum per lane), so their
// error does not grow with the row length. `tempered` variants divide by a temperature T != 1 with
// the remainder kept (expShiftT64); the others are for T = 1.
import { load64, loadTail64, NEG_INF64 } from "./lanes";
import { expFold64, expShift64, expShiftT64, FLOOR64, FOLD_LIMIT64, foldMagic64, temperatureHigh } from "./exp64";
import { regular } from "./rows32";

// @ts-ignore: decorator
@inline function maxBody64(x: usize, m: usize, n: i32, masked: bool): f64 {
  let a = NEG_INF64, b = NEG_INF64;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    a = f64x2.pmax(a, load64(x, m, i, masked));
    b = f64x2.pmax(b, load64(x, m, i + 2, masked));
  }
  if (i + 2 <= n) {
    a = f64x2.pmax(a, load64(x, m, i, masked));
    i += 2;
  }
  if (i < n) b = f64x2.pmax(b, loadTail64(x, m, i, n, masked));
  a = f64x2.pmax(a, b);
  return max(f64x2.extract_lane(a, 0), f64x2.extract_lane(a, 1));
}

export function max64(x: usize, m: usize, n: i32, masked: bool): f64 {
  return masked ? maxBody64(x, m, n, true) : maxBody64(x, m, n, false);
}

/**
 * The sums are compensated with Fast2Sum: t = s + e loses exactly e - (t - s), provided |s| >= |e|.
 * Every lane of a running sum starts at SUM_BIAS, above any term (at most 1.5 * 2^SCALE64), so the
 * condition always holds and each add costs 3 operations instead of two-sum's 6; the bias comes off
 * at the end, in lanesTotal.
 */
const SUM_BIAS: f64 = 2.6815615859885194e154; // 2^(SCALE64 + 1) = 2^513

// @ts-ignore: decorator
@inline function fastSumError(s: v128, e: v128, t: v128): v128 {
  return f64x2.sub(e, f64x2.sub(t, s));
}

/** (t, err) <- t + v exactly (two-sum, scalar), for the few adds of lanesTotal. */
let sumError: f64 = 0;
// @ts-ignore: decorator
@inline function addExact(t: f64, v: f64): f64 {
  const r = t + v, b = r - t;
  sumError += (t - (r - b)) + (v - b);
  return r;
}

/** The total of two biased, compensated sums (s + c, s1 + c1): their four lanes, less the four biases, plus every error. */
// @ts-ignore: decorator
@inline function lanesTotal(s: v128, c: v128, s1: v128, c1: v128): f64 {
  sumError = 0;
  let t = -4 * SUM_BIAS;
  t = addExact(t, f64x2.extract_lane(s, 0));
  t = addExact(t, f64x2.extract_lane(s, 1));
  t = addExact(t, f64x2.extract_lane(s1, 0));
  t = addExact(t, f64x2.extract_lane(s1, 1));
  const errors = (f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1)) + (f64x2.extract_lane(c1, 0) + f64x2.extract_lane(c1, 1));
  return t + (sumError + errors);
}

// @ts-ignore: decorator
@inline export function folds64(max: f64): bool {
  return Math.abs(max) <= FOLD_LIMIT64;
}

// @ts-ignore: decorator
@inline function expAt64(v: v128, fold: bool, tempered: bool, floor: v128, magic: v128, shift: v128, t: v128, invT: v128, tHi: v128, tLo: v128): v128 {
  if (fold) return expFold64(v, floor, magic);
  return tempered ? expShiftT64(v, shift, invT, t, tHi, tLo) : expShift64(v, shift);
}

// @ts-ignore: decorator
@inline function expSumBody64(x: usize, m: usize, out: usize, n: i32, masked: bool, fold: bool, tempered: bool, max: f64, T: f64, store: bool, divisor: f64): f64 {
  const k = f64x2.splat(divisor);
  const magic = foldMagic64(max), floor = f64x2.splat(max + FLOOR64), shift = f64x2.splat(max);
  const hi = temperatureHigh(T);
  const t = f64x2.splat(T), invT = f64x2.splat(1 / T), tHi = f64x2.splat(hi), tLo = f64x2.splat(T - hi);
  let s = f64x2.splat(SUM_BIAS), c = f64x2.splat(0), s1 = f64x2.splat(SUM_BIAS), c1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) { // two vectors an iteration, each with its own sum: independent chains
    const e0 = expAt64(load64(x, m, i, masked), fold, tempered, floor, magic, shift, t, invT, tHi, tLo);
    const e1 = expAt64(load64(x, m, i + 2, masked), fold, tempered, floor, magic, shift, t, invT, tHi, tLo);
    if (store) {
      v128.store(out + (<usize>i << 3), divisor == 1 ? e0 : f64x2.div(e0, k));
      v128.store(out + (<usize>i << 3), divisor == 1 ? e1 : f64x2.div(e1, k), 16);
    }
    const t0 = f64x2.add(s, e0), t1 = f64x2.add(s1, e1);
    c = f64x2.add(c, fastSumError(s, e0, t0));
    c1 = f64x2.add(c1, fastSumError(s1, e1, t1));
    s = t0;
    s1 = t1;
  }
  for (; i < n; i += 2) {
    const e = expAt64(i + 2 <= n ? load64(x, m, i, masked) : loadTail64(x, m, i, n, masked), fold, tempered, floor, magic, shift, t, invT, tHi, tLo);
    if (store) v128.store(out + (<usize>i << 3), divisor == 1 ? e : f64x2.div(e, k));
    const t = f64x2.add(s, e);
    c = f64x2.add(c, fastSumError(s, e, t));
    s = t;
  }
  return lanesTotal(s, c, s1, c1);
}

function expSumFold64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, divisor: f64): f64 {
  if (masked) return store ? expSumBody64(x, m, out, n, true, true, false, max, 1, true, divisor) : expSumBody64(x, m, out, n, true, true, false, max, 1, false, 1);
  return store ? expSumBody64(x, m, out, n, false, true, false, max, 1, true, divisor) : expSumBody64(x, m, out, n, false, true, false, max, 1, false, 1);
}

function expSumShift64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, divisor: f64): f64 {
  if (masked) return store ? expSumBody64(x, m, out, n, true, false, false, max, 1, true, divisor) : expSumBody64(x, m, out, n, true, false, false, max, 1, false, 1);
  return store ? expSumBody64(x, m, out, n, false, false, false, max, 1, true, divisor) : expSumBody64(x, m, out, n, false, false, false, max, 1, false, 1);
}

function expSumTempered64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, T: f64, store: bool, divisor: f64): f64 {
  if (masked) return store ? expSumBody64(x, m, out, n, true, false, true, max, T, true, divisor) : expSumBody64(x, m, out, n, true, false, true, max, T, false, 1);
  return store ? expSumBody64(x, m, out, n, false, false, true, max, T, true, divisor) : expSumBody64(x, m, out, n, false, false, true, max, T, false, 1);
}

/** Sum of e_j = exp((x_j - s) / T) * 2^SCALE64 (s: max, or the fold's c); with `store`, e_j / divisor goes to out. */
export function expSum64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, T: f64, store: bool, divisor: f64): f64 {
  if (T != 1) return expSumTempered64(x, m, out, n, masked, max, T, store, divisor);
  return folds64(max) ? expSumFold64(x, m, out, n, masked, max, store, divisor) : expSumShift64(x, m, out, n, masked, max, store, divisor);
}

export let ties64: i32 = 0;

/** 2^-SCALE64 as a constant (Math.pow per row is slow). */
const TWO_TO_MINUS_SCALE64: f64 = 7.458340731200207e-155; // 2^-512

// @ts-ignore: decorator
@inline function restBody64(x: usize, m: usize, n: i32, masked: bool, tempered: bool, max: f64, T: f64): f64 {
  const shift = f64x2.splat(max), low = f64x2.splat(max + FLOOR64 * T);
  const hi = temperatureHigh(T);
  const t = f64x2.splat(T), invT = f64x2.splat(1 / T), tHi = f64x2.splat(hi), tLo = f64x2.splat(T - hi);
  let s = f64x2.splat(SUM_BIAS), c = f64x2.splat(0), s1 = f64x2.splat(SUM_BIAS), c1 = f64x2.splat(0);
  let tie = i64x2.splat(0);
  let i = 0;
  // Entries below the floor are left out exactly, as in rows32.ts.
  for (; i + 4 <= n; i += 4) {
    const v0 = load64(x, m, i, masked), v1 = load64(x, m, i + 2, masked);
    const same0 = f64x2.eq(v0, shift), same1 = f64x2.eq(v1, shift);
    const e0 = v128.andnot(expAt64(v0, false, tempered, low, low, shift, t, invT, tHi, tLo), v128.or(same0, f64x2.lt(v0, low)));
    const e1 = v128.andnot(expAt64(v1, false, tempered, low, low, shift, t, invT, tHi, tLo), v128.or(same1, f64x2.lt(v1, low)));
    tie = i64x2.sub(tie, i64x2.add(same0, same1));
    const t0 = f64x2.add(s, e0), t1 = f64x2.add(s1, e1);
    c = f64x2.add(c, fastSumError(s, e0, t0));
    c1 = f64x2.add(c1, fastSumError(s1, e1, t1));
    s = t0;
    s1 = t1;
  }
  for (; i < n; i += 2) {
    const v = i + 2 <= n ? load64(x, m, i, masked) : loadTail64(x, m, i, n, masked);
    const same = f64x2.eq(v, shift);
    const e = v128.andnot(expAt64(v, false, tempered, low, low, shift, t, invT, tHi, tLo), v128.or(same, f64x2.lt(v, low)));
    tie = i64x2.sub(tie, same);
    const t = f64x2.add(s, e);
    c = f64x2.add(c, fastSumError(s, e, t));
    s = t;
  }
  ties64 = <i32>(i64x2.extract_lane(tie, 0) + i64x2.extract_lane(tie, 1));
  return lanesTotal(s, c, s1, c1);
}

/**
 * Sum of exp((x_j - max) / T) over the entries below the maximum; the count of those equal to it goes to
 * ties64. The shift form, whose two-sum keeps x_j - max exact, is used here at every magnitude: the
 * fold would leave the ratio of two exps, each off by up to an ulp, in every log-probability.
 */
export function restSum64(x: usize, m: usize, n: i32, masked: bool, max: f64, T: f64): f64 {
  let sum: f64;
  if (T != 1) sum = masked ? restBody64(x, m, n, true, true, max, T) : restBody64(x, m, n, false, true, max, T);
  else sum = masked ? restBody64(x, m, n, true, false, max, 1) : restBody64(x, m, n, false, false, max, 1);
  return sum * TWO_TO_MINUS_SCALE64;
}

/**
 * out_j /= sum over the row: a division, rounded once, where multiplying by 1 / sum would round
 * twice (an ulp against half of one; the division costs about 0.5 ns an entry more here).
 */
export function divide64(out: usize, n: i32, sum: f64): void {
  const k = f64x2.splat(sum);
  for (let i = 0; i < n; i += 2) {
    const p = out + (<usize>i << 3);
    v128.store(p, f64x2.div(v128.load(p), k));
  }
}

// @ts-ignore: decorator
@inline function logBody64(x: usize, m: usize, out: usize, n: i32, masked: bool, tempered: bool, max: f64, T: f64, logSum: f64): void {
  const mx = f64x2.splat(max), l = f64x2.splat(logSum), zero = f64x2.splat(0);
  const hi = temperatureHigh(T);
  const t = f64x2.splat(T), invT = f64x2.splat(1 / T), tHi = f64x2.splat(hi), tLo = f64x2.splat(T - hi), splitter = f64x2.splat(134217729);
  for (let i = 0; i < n; i += 2) {
    const v = load64(x, m, i, masked);
    const s = f64x2.sub(v, mx);
    const b = f64x2.sub(s, v);
    let err = f64x2.sub(f64x2.sub(v, f64x2.sub(s, b)), f64x2.add(mx, b));
    let q = s;
    if (tempered) { // (s + err) / T = q + (s - q T + err) / T, the remainder exact (as in expShiftT64)
      q = f64x2.mul(s, invT);
      const split = f64x2.mul(q, splitter);
      const qh = f64x2.sub(split, f64x2.sub(split, q)), ql = f64x2.sub(q, qh);
      const p = f64x2.mul(q, t);
      const pe = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(qh, tHi), p), f64x2.mul(qh, tLo)), f64x2.mul(ql, tHi)), f64x2.mul(ql, tLo));
      err = f64x2.mul(f64x2.add(f64x2.sub(f64x2.sub(s, p), pe), err), invT);
    }
    err = v128.and(err, f64x2.eq(f64x2.sub(q, q), zero)); // 0 where q is infinite
    v128.store(out + (<usize>i << 3), f64x2.add(f64x2.sub(q, l), err));
  }
}

/** out_j = (x_j - max) / T - logSum, with the roundings of x_j - max and of the division added back; -Infinity where left out. */
export function logWrite64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, T: f64, logSum: f64): void {
  if (T != 1) {
    if (masked) logBody64(x, m, out, n, true, true, max, T, logSum);
    else logBody64(x, m, out, n, false, true, max, T, logSum);
  } else if (masked) logBody64(x, m, out, n, true, false, max, 1, logSum);
  else logBody64(x, m, out, n, false, false, max, 1, logSum);
}

// @ts-ignore: decorator
@inline export function softmaxRow64(x: usize, m: usize, out: usize, n: i32, masked: bool, T: f64): bool {
  const max = max64(x, m, n, masked);
  if (!regular(max)) return false;
  const sum = expSum64(x, m, out, n, masked, max, T, true, 1);
  if (isNaN(sum)) return false;
  divide64(out, n, sum);
  return true;
}

// @ts-ignore: decorator
@inline export function logSoftmaxRow64(x: usize, m: usize, out: usize, n: i32, masked: bool, T: f64): bool {
  const max = max64(x, m, n, masked);
  if (!regular(max)) return false;
  const rest = restSum64(x, m, n, masked, max, T) + <f64>(ties64 - 1);
  if (isNaN(rest)) return false;
  logWrite64(x, m, out, n, masked, max, T, Math.log1p(rest));
  return true;
}

/** As in the JS kernels: below this ratio max + log1p(rest) cancels too much; the JS kernels refine such rows. */
const KEEP_RATIO64: f64 = 0.875;

// @ts-ignore: decorator
@inline export function logSumExpRow64(x: usize, m: usize, n: i32, masked: bool, T: f64, result: usize): bool {
  const max = max64(x, m, n, masked);
  if (!regular(max)) return false;
  const rest = restSum64(x, m, n, masked, max, T) + <f64>(ties64 - 1);
  const shift = max / T, logSum = Math.log1p(rest);
  const r = shift + logSum;
  if (!(Math.abs(r) >= KEEP_RATIO64 * Math.max(Math.abs(shift), logSum))) return false;
  store<f64>(result, r);
  return true;
}
