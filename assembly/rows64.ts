// float64 rows, temperature 1 (rows32.ts explains the layout). Sums are compensated (two-sum per
// lane), so their error does not grow with the row length.
import { lanesSum, load64, loadTail64, NEG_INF64 } from "./lanes";
import { expFold64, expShift64, FLOOR64, FOLD_LIMIT64, foldMagic64, SCALE64 } from "./exp64";
import { regular } from "./rows32";

export function max64(x: usize, m: usize, n: i32, masked: bool): f64 {
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
@inline function expAt64(v: v128, fold: bool, floor: v128, magic: v128, shift: v128): v128 {
  return fold ? expFold64(v, floor, magic) : expShift64(v, shift);
}

// @ts-ignore: decorator
@inline function expSumBody64(x: usize, m: usize, out: usize, n: i32, masked: bool, fold: bool, max: f64, store: bool, factor: f64): f64 {
  const k = f64x2.splat(factor);
  const magic = foldMagic64(max), floor = f64x2.splat(max + FLOOR64), shift = f64x2.splat(max);
  let s = f64x2.splat(SUM_BIAS), c = f64x2.splat(0), s1 = f64x2.splat(SUM_BIAS), c1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) { // two vectors an iteration, each with its own sum: independent chains
    const e0 = expAt64(load64(x, m, i, masked), fold, floor, magic, shift);
    const e1 = expAt64(load64(x, m, i + 2, masked), fold, floor, magic, shift);
    if (store) {
      v128.store(out + (<usize>i << 3), factor == 1 ? e0 : f64x2.mul(e0, k));
      v128.store(out + (<usize>i << 3), factor == 1 ? e1 : f64x2.mul(e1, k), 16);
    }
    const t0 = f64x2.add(s, e0), t1 = f64x2.add(s1, e1);
    c = f64x2.add(c, fastSumError(s, e0, t0));
    c1 = f64x2.add(c1, fastSumError(s1, e1, t1));
    s = t0;
    s1 = t1;
  }
  for (; i < n; i += 2) {
    const e = expAt64(i + 2 <= n ? load64(x, m, i, masked) : loadTail64(x, m, i, n, masked), fold, floor, magic, shift);
    if (store) v128.store(out + (<usize>i << 3), factor == 1 ? e : f64x2.mul(e, k));
    const t = f64x2.add(s, e);
    c = f64x2.add(c, fastSumError(s, e, t));
    s = t;
  }
  return lanesTotal(s, c, s1, c1);
}

function expSumFold64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, factor: f64): f64 {
  if (masked) return store ? expSumBody64(x, m, out, n, true, true, max, true, factor) : expSumBody64(x, m, out, n, true, true, max, false, 1);
  return store ? expSumBody64(x, m, out, n, false, true, max, true, factor) : expSumBody64(x, m, out, n, false, true, max, false, 1);
}

function expSumShift64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, factor: f64): f64 {
  if (masked) return store ? expSumBody64(x, m, out, n, true, false, max, true, factor) : expSumBody64(x, m, out, n, true, false, max, false, 1);
  return store ? expSumBody64(x, m, out, n, false, false, max, true, factor) : expSumBody64(x, m, out, n, false, false, max, false, 1);
}

/** Sum of e_j = exp(x_j - s) * 2^SCALE64 (s: max, or the fold's c); with `store`, e_j * factor goes to out. */
export function expSum64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, factor: f64): f64 {
  return folds64(max) ? expSumFold64(x, m, out, n, masked, max, store, factor) : expSumShift64(x, m, out, n, masked, max, store, factor);
}

export let ties64: i32 = 0;

// @ts-ignore: decorator
@inline function restBody64(x: usize, m: usize, n: i32, masked: bool, max: f64): f64 {
  const shift = f64x2.splat(max), low = f64x2.splat(max + FLOOR64);
  let s = f64x2.splat(SUM_BIAS), c = f64x2.splat(0), s1 = f64x2.splat(SUM_BIAS), c1 = f64x2.splat(0);
  let tie = i64x2.splat(0);
  let i = 0;
  // Entries below the floor are left out exactly, as in rows32.ts.
  for (; i + 4 <= n; i += 4) {
    const v0 = load64(x, m, i, masked), v1 = load64(x, m, i + 2, masked);
    const same0 = f64x2.eq(v0, shift), same1 = f64x2.eq(v1, shift);
    const e0 = v128.andnot(expShift64(v0, shift), v128.or(same0, f64x2.lt(v0, low)));
    const e1 = v128.andnot(expShift64(v1, shift), v128.or(same1, f64x2.lt(v1, low)));
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
    const e = v128.andnot(expShift64(v, shift), v128.or(same, f64x2.lt(v, low)));
    tie = i64x2.sub(tie, same);
    const t = f64x2.add(s, e);
    c = f64x2.add(c, fastSumError(s, e, t));
    s = t;
  }
  ties64 = <i32>(i64x2.extract_lane(tie, 0) + i64x2.extract_lane(tie, 1));
  return lanesTotal(s, c, s1, c1);
}

/**
 * Sum of exp(x_j - max) over the entries below the maximum; the count of those equal to it goes to
 * ties64. The shift form, whose two-sum keeps x_j - max exact, is used here at every magnitude: the
 * fold would leave the ratio of two exps, each off by up to an ulp, in every log-probability.
 */
export function restSum64(x: usize, m: usize, n: i32, masked: bool, max: f64): f64 {
  return (masked ? restBody64(x, m, n, true, max) : restBody64(x, m, n, false, max)) * Math.pow(2, -<f64>SCALE64);
}

export function scale64(out: usize, n: i32, factor: f64): void {
  const k = f64x2.splat(factor);
  for (let i = 0; i < n; i += 2) {
    const p = out + (<usize>i << 3);
    v128.store(p, f64x2.mul(v128.load(p), k));
  }
}

// @ts-ignore: decorator
@inline function logBody64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, logSum: f64): void {
  const mx = f64x2.splat(max), l = f64x2.splat(logSum), zero = f64x2.splat(0);
  for (let i = 0; i < n; i += 2) {
    const v = load64(x, m, i, masked);
    const s = f64x2.sub(v, mx);
    const b = f64x2.sub(s, v);
    let err = f64x2.sub(f64x2.sub(v, f64x2.sub(s, b)), f64x2.add(mx, b));
    err = v128.and(err, f64x2.eq(f64x2.sub(s, s), zero)); // 0 where s is infinite
    v128.store(out + (<usize>i << 3), f64x2.add(f64x2.sub(s, l), err));
  }
}

/** out_j = (x_j - max) - logSum, with the rounding of x_j - max (two-sum) added back; -Infinity where left out. */
export function logWrite64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, logSum: f64): void {
  if (masked) logBody64(x, m, out, n, true, max, logSum);
  else logBody64(x, m, out, n, false, max, logSum);
}

// @ts-ignore: decorator
@inline export function softmaxRow64(x: usize, m: usize, out: usize, n: i32, masked: bool): bool {
  const max = max64(x, m, n, masked);
  if (!regular(max)) return false;
  const sum = expSum64(x, m, out, n, masked, max, true, 1);
  if (isNaN(sum)) return false;
  scale64(out, n, 1 / sum);
  return true;
}

// @ts-ignore: decorator
@inline export function logSoftmaxRow64(x: usize, m: usize, out: usize, n: i32, masked: bool): bool {
  const max = max64(x, m, n, masked);
  if (!regular(max)) return false;
  const rest = restSum64(x, m, n, masked, max) + <f64>(ties64 - 1);
  if (isNaN(rest)) return false;
  logWrite64(x, m, out, n, masked, max, Math.log1p(rest));
  return true;
}

/** As in the JS kernels: below this ratio max + log1p(rest) cancels too much; the JS kernels refine such rows. */
const KEEP_RATIO64: f64 = 0.875;

// @ts-ignore: decorator
@inline export function logSumExpRow64(x: usize, m: usize, n: i32, masked: bool, result: usize): bool {
  const max = max64(x, m, n, masked);
  if (!regular(max)) return false;
  const rest = restSum64(x, m, n, masked, max) + <f64>(ties64 - 1);
  const logSum = Math.log1p(rest);
  const r = max + logSum;
  if (!(Math.abs(r) >= KEEP_RATIO64 * Math.max(Math.abs(max), logSum))) return false;
  store<f64>(result, r);
  return true;
}
