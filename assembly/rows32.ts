// float32 rows. A row is n contiguous entries at x (mask bytes at m when masked), its output at out.
// Each pass handles whole vectors, then one vector for the tail whose lanes past the row read as
// -Infinity; the tail's stores may write past the row, which the next row then overwrites (layout.ts).
import { load32, loadTail32, NEG_INF32 } from "./lanes";
import { expFold32, expShift32, FOLD_LIMIT32, foldMagic32, FLOOR32 } from "./exp32";

// @ts-ignore: decorator
@inline function maxBody32(x: usize, m: usize, n: i32, masked: bool): f32 {
  let a = NEG_INF32, b = NEG_INF32;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    a = f32x4.pmax(a, load32(x, m, i, masked));
    b = f32x4.pmax(b, load32(x, m, i + 4, masked));
  }
  if (i + 4 <= n) {
    a = f32x4.pmax(a, load32(x, m, i, masked));
    i += 4;
  }
  if (i < n) b = f32x4.pmax(b, loadTail32(x, m, i, n, masked));
  a = f32x4.pmax(a, b);
  return max(max(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), max(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
}

/** Largest kept entry (-Infinity if none). NaN is passed over (pmax), and found later by the sums. */
export function max32(x: usize, m: usize, n: i32, masked: bool): f32 {
  return masked ? maxBody32(x, m, n, true) : maxBody32(x, m, n, false); // one loop each: no test inside
}

/** Whether the row's exps use the exponent-bias fold (exp32.ts) rather than the float64 shift. */
// @ts-ignore: decorator
@inline export function folds32(max: f64, invT: f64): bool {
  return invT == 1 && Math.abs(max) <= FOLD_LIMIT32;
}

/** e0 + e1 (float32, one rounding of a pair) added to the float64 lanes of s0, s1: the sum's error stays under a float32 ulp. */
// @ts-ignore: decorator
@inline function pairSum(e0: v128, e1: v128, s: v128): v128 {
  const p = f32x4.add(e0, e1);
  return f64x2.add(s, f64x2.add(f64x2.promote_low_f32x4(p), f64x2.promote_low_f32x4(i32x4.shuffle(p, p, 2, 3, 0, 1))));
}

/** exp((x - s) / T) * 2^SCALE32 for the 4 entries at i: the fold (`shift` unused) or the float64 shift. */
// @ts-ignore: decorator
@inline function expAt32(v: v128, fold: bool, floor: v128, magic: v128, shift: v128, invT: v128): v128 {
  return fold ? expFold32(v, floor, magic) : expShift32(v, shift, invT);
}

// @ts-ignore: decorator
@inline function expSumBody32(x: usize, m: usize, out: usize, n: i32, masked: bool, fold: bool, max: f64, invT: f64, store: bool, factor: f32): f64 {
  const k = f32x4.splat(factor);
  const magic = foldMagic32(max), floor = f32x4.splat(<f32>(max + FLOOR32));
  const shift = f64x2.splat(max), t = f64x2.splat(invT);
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const e0 = expAt32(load32(x, m, i, masked), fold, floor, magic, shift, t);
    const e1 = expAt32(load32(x, m, i + 4, masked), fold, floor, magic, shift, t);
    if (store) {
      v128.store(out + (<usize>i << 2), factor == 1 ? e0 : f32x4.mul(e0, k));
      v128.store(out + (<usize>i << 2), factor == 1 ? e1 : f32x4.mul(e1, k), 16);
    }
    s = pairSum(e0, e1, s);
  }
  for (; i < n; i += 4) {
    const e = expAt32(i + 4 <= n ? load32(x, m, i, masked) : loadTail32(x, m, i, n, masked), fold, floor, magic, shift, t);
    if (store) v128.store(out + (<usize>i << 2), factor == 1 ? e : f32x4.mul(e, k));
    s = pairSum(e, f32x4.splat(0), s);
  }
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

// One function a loop (not inlined into the row kernels), so V8 allocates registers for one loop at a time.
function expSumFold32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, factor: f32): f64 {
  if (masked) return store ? expSumBody32(x, m, out, n, true, true, max, 1, true, factor) : expSumBody32(x, m, out, n, true, true, max, 1, false, 1);
  return store ? expSumBody32(x, m, out, n, false, true, max, 1, true, factor) : expSumBody32(x, m, out, n, false, true, max, 1, false, 1);
}

function expSumShift32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, invT: f64, store: bool, factor: f32): f64 {
  if (masked) return store ? expSumBody32(x, m, out, n, true, false, max, invT, true, factor) : expSumBody32(x, m, out, n, true, false, max, invT, false, 1);
  return store ? expSumBody32(x, m, out, n, false, false, max, invT, true, factor) : expSumBody32(x, m, out, n, false, false, max, invT, false, 1);
}

/**
 * Sum of e_j = exp((x_j - s) / T) * 2^SCALE32 over the row, where s is the row's shift (max, or the
 * fold's c). With `store`, e_j * factor goes to out.
 */
export function expSum32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, invT: f64, store: bool, factor: f32): f64 {
  return folds32(max, invT) ? expSumFold32(x, m, out, n, masked, max, store, factor) : expSumShift32(x, m, out, n, masked, max, invT, store, factor);
}

/** 2^SCALE32 as a constant: a Math.pow a row cost 7% of log-sum-exp on rows of 128. */
const TWO_TO_SCALE32: f64 = 7.922816251426434e28; // 2^96

/** exp of a shift below this is 0 in float64. */
const UNDERFLOW: f64 = -745.2;

/** Entries equal to the maximum that restSum32 left out (read after a call). */
export let ties: i32 = 0;

// @ts-ignore: decorator
@inline function restBody32(x: usize, m: usize, n: i32, masked: bool, fold: bool, max: f64, invT: f64): f64 {
  const magic = foldMagic32(max), floor = f32x4.splat(<f32>(max + FLOOR32));
  const shift = f64x2.splat(max), t = f64x2.splat(invT), top = f32x4.splat(<f32>max);
  // Entries whose exp underflows even in float64 (shift below -745) are left out exactly, as the JS
  // kernels leave them; those between that and the floor add exp(FLOOR32) each, which no float32
  // result can show but which keeps the sign of a log-probability of -0 as the JS kernels give it.
  const low = f32x4.splat(<f32>(max + UNDERFLOW / invT));
  let s = f64x2.splat(0);
  let tie = i32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const v0 = load32(x, m, i, masked), v1 = load32(x, m, i + 4, masked);
    const same0 = f32x4.eq(v0, top), same1 = f32x4.eq(v1, top);
    const e0 = v128.andnot(expAt32(v0, fold, floor, magic, shift, t), v128.or(same0, f32x4.lt(v0, low)));
    const e1 = v128.andnot(expAt32(v1, fold, floor, magic, shift, t), v128.or(same1, f32x4.lt(v1, low)));
    tie = i32x4.sub(tie, i32x4.add(same0, same1));
    s = pairSum(e0, e1, s);
  }
  for (; i < n; i += 4) {
    const v = i + 4 <= n ? load32(x, m, i, masked) : loadTail32(x, m, i, n, masked);
    const same = f32x4.eq(v, top);
    const e = v128.andnot(expAt32(v, fold, floor, magic, shift, t), v128.or(same, f32x4.lt(v, low)));
    tie = i32x4.sub(tie, same);
    s = pairSum(e, f32x4.splat(0), s);
  }
  ties = i32x4.extract_lane(tie, 0) + i32x4.extract_lane(tie, 1) + i32x4.extract_lane(tie, 2) + i32x4.extract_lane(tie, 3);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

function restFold32(x: usize, m: usize, n: i32, masked: bool, max: f64): f64 {
  return masked ? restBody32(x, m, n, true, true, max, 1) : restBody32(x, m, n, false, true, max, 1);
}

function restShift32(x: usize, m: usize, n: i32, masked: bool, max: f64, invT: f64): f64 {
  return masked ? restBody32(x, m, n, true, false, max, invT) : restBody32(x, m, n, false, false, max, invT);
}

/**
 * The sum of exp((x_j - max) / T) over the entries below the maximum (log-softmax and log-sum-exp
 * take log1p of it, so that a row whose other terms are tiny keeps them); the count of entries equal
 * to the maximum goes to `ties`. With the fold the terms are exp(x_j - c): divided by exp(max - c),
 * computed in float64, they become exp(x_j - max) with no rounding of x_j - max.
 */
export function restSum32(x: usize, m: usize, n: i32, masked: bool, max: f64, invT: f64): f64 {
  if (folds32(max, invT)) {
    const N = Math.round(max * 1.4426950408889634);
    return restFold32(x, m, n, masked, max) / (Math.exp(max - N * 0.6931471805599453) * TWO_TO_SCALE32);
  }
  return restShift32(x, m, n, masked, max, invT) / TWO_TO_SCALE32;
}

/** out_j *= factor over the row. */
export function scale32(out: usize, n: i32, factor: f32): void {
  const k = f32x4.splat(factor);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.mul(v128.load(p), k));
    v128.store(p, f32x4.mul(v128.load(p, 16), k), 16);
  }
  if (i < n) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.mul(v128.load(p), k));
    if (i + 4 < n) v128.store(p, f32x4.mul(v128.load(p, 16), k), 16);
  }
}

// @ts-ignore: decorator
@inline function logBody32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, invT: f64, logSum: f64): void {
  if (invT == 1 && (logSum == 0 || logSum >= 1.1754943508222875e-38)) {
    // (x - max) - logSum in float32: both parts are <= 0, so the two roundings cost at most an ulp.
    // (A logSum under the float32 normals takes the float64 path: there -logSum rounds to -0, as in
    // the JS kernels, where float32 would first round logSum to 0.)
    const mx = f32x4.splat(<f32>max), l = f32x4.splat(<f32>logSum);
    for (let i = 0; i < n; i += 4) {
      v128.store(out + (<usize>i << 2), f32x4.sub(f32x4.sub(load32(x, m, i, masked), mx), l));
    }
    return;
  }
  const mx = f64x2.splat(max), t = f64x2.splat(invT), l = f64x2.splat(logSum);
  for (let i = 0; i < n; i += 4) {
    const v = load32(x, m, i, masked);
    const lo = f64x2.sub(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), mx), t), l);
    const hi = f64x2.sub(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), mx), t), l);
    v128.store(out + (<usize>i << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
}

/** out_j = (x_j - max) / T - logSum; -Infinity where left out. */
export function logWrite32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, invT: f64, logSum: f64): void {
  if (masked) logBody32(x, m, out, n, true, max, invT, logSum);
  else logBody32(x, m, out, n, false, max, invT, logSum);
}

/** Whether a row's maximum is a regular one (not -Infinity: nothing kept; not +Infinity). */
// @ts-ignore: decorator
@inline export function regular(max: f64): bool {
  return max > -Infinity && max < Infinity;
}

// @ts-ignore: decorator
@inline export function softmaxRow32(x: usize, m: usize, out: usize, n: i32, masked: bool, invT: f64): bool {
  const max = <f64>max32(x, m, n, masked);
  if (!regular(max)) return false;
  const sum = expSum32(x, m, out, n, masked, max, invT, true, 1);
  if (isNaN(sum)) return false;
  scale32(out, n, <f32>(1 / sum));
  return true;
}

// @ts-ignore: decorator
@inline export function logSoftmaxRow32(x: usize, m: usize, out: usize, n: i32, masked: bool, invT: f64): bool {
  const max = <f64>max32(x, m, n, masked);
  if (!regular(max)) return false;
  const rest = restSum32(x, m, n, masked, max, invT) + <f64>(ties - 1);
  if (isNaN(rest)) return false;
  logWrite32(x, m, out, n, masked, max, invT, Math.log1p(rest));
  return true;
}

/**
 * Below this |result| / max(|max / T|, log1p(rest)) the two parts of max / T + log1p(rest) cancel
 * beyond what the float32 exps of the rest (about 2^-23 each) leave exact; such rows go to the JS
 * kernels, which refine them.
 */
const KEEP_RATIO32: f64 = 0.875;

/** log-sum-exp of the row into *result; false when the JS kernels must do it (edge case, cancellation). */
// @ts-ignore: decorator
@inline export function logSumExpRow32(x: usize, m: usize, n: i32, masked: bool, invT: f64, result: usize): bool {
  const max = <f64>max32(x, m, n, masked);
  if (!regular(max)) return false;
  const rest = restSum32(x, m, n, masked, max, invT) + <f64>(ties - 1);
  const shift = max * invT, logSum = Math.log1p(rest);
  const r = shift + logSum;
  if (!(Math.abs(r) >= KEEP_RATIO32 * Math.max(Math.abs(shift), logSum))) return false; // NaN too
  store<f64>(result, r);
  return true;
}
