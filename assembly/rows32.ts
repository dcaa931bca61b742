// float32 rows. A row is n contiguous entries at x (mask bytes at m when masked), its output at out.
// Each pass handles whole vectors, then one vector for the tail whose lanes past the row read as
// -Infinity; the tail's stores may write past the row, which the next row then overwrites (layout.ts).
import { lanesSum, load32, loadTail32, NEG_INF32 } from "./lanes";
import { expFold32, expShift32, FOLD_LIMIT32, foldMagic32, FLOOR32, SCALE32 } from "./exp32";

/** Largest kept entry (-Infinity if none). NaN is passed over (pmax), and found later by the sums. */
// @ts-ignore: decorator
@inline export function max32(x: usize, m: usize, n: i32, masked: bool): f32 {
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

/** Whether the row's exps use the exponent-bias fold (exp32.ts) rather than the float64 shift. */
// @ts-ignore: decorator
@inline export function folds32(max: f64, invT: f64): bool {
  return invT == 1 && Math.abs(max) <= FOLD_LIMIT32;
}

/**
 * Sum of e_j = exp((x_j - s) / T) * 2^SCALE32 over the row, where s is the row's shift (max, or the
 * fold's c). With `store`, e_j * factor goes to out. The float64 sums of a vector's lanes keep the
 * error far below a float32 ulp for any row a chunk holds.
 */
// @ts-ignore: decorator
@inline export function expSum32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, invT: f64, store: bool, factor: f32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  const k = f32x4.splat(factor);
  let i = 0;
  if (folds32(max, invT)) {
    const magic = foldMagic32(max);
    const floor = f32x4.splat(<f32>(max + FLOOR32));
    for (; i < n; i += 4) {
      const v = i + 4 <= n ? load32(x, m, i, masked) : loadTail32(x, m, i, n, masked);
      const e = expFold32(v, floor, magic);
      if (store) v128.store(out + (<usize>i << 2), factor == 1 ? e : f32x4.mul(e, k));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
  } else {
    const mx = f64x2.splat(max), t = f64x2.splat(invT);
    for (; i < n; i += 4) {
      const v = i + 4 <= n ? load32(x, m, i, masked) : loadTail32(x, m, i, n, masked);
      const e = expShift32(v, mx, t);
      if (store) v128.store(out + (<usize>i << 2), factor == 1 ? e : f32x4.mul(e, k));
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
    }
  }
  return lanesSum(s0, s1);
}

/** Entries equal to the maximum that restSum32 left out (read after a call). */
export let ties: i32 = 0;

/**
 * The sum of exp((x_j - max) / T) over the entries below the maximum (log-softmax and log-sum-exp
 * take log1p of it, so that a row whose other terms are tiny keeps them); the count of entries equal
 * to the maximum goes to `ties`.
 */
// @ts-ignore: decorator
@inline export function restSum32(x: usize, m: usize, n: i32, masked: bool, max: f64, invT: f64): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let tie = i32x4.splat(0);
  const mx = f64x2.splat(max), t = f64x2.splat(invT), top = f32x4.splat(<f32>max);
  // Entries below the floor are left out exactly (left out entries too): the sum of many of their
  // exp(FLOOR32) would otherwise show when the rest is tiny.
  const low = f32x4.splat(<f32>(max + FLOOR32 / invT));
  for (let i = 0; i < n; i += 4) {
    const v = i + 4 <= n ? load32(x, m, i, masked) : loadTail32(x, m, i, n, masked);
    const same = f32x4.eq(v, top);
    const e = v128.andnot(expShift32(v, mx, t), v128.or(same, f32x4.lt(v, low)));
    tie = i32x4.sub(tie, same);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
  }
  ties = i32x4.extract_lane(tie, 0) + i32x4.extract_lane(tie, 1) + i32x4.extract_lane(tie, 2) + i32x4.extract_lane(tie, 3);
  return lanesSum(s0, s1) * Math.pow(2, -SCALE32);
}

/** out_j *= factor over the row. */
// @ts-ignore: decorator
@inline export function scale32(out: usize, n: i32, factor: f32): void {
  const k = f32x4.splat(factor);
  for (let i = 0; i < n; i += 4) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.mul(v128.load(p), k));
  }
}

/** out_j = (x_j - max) / T - logSum, rounded once from float64; -Infinity where left out. */
// @ts-ignore: decorator
@inline export function logWrite32(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, invT: f64, logSum: f64): void {
  const mx = f64x2.splat(max), t = f64x2.splat(invT), l = f64x2.splat(logSum);
  for (let i = 0; i < n; i += 4) {
    const v = load32(x, m, i, masked);
    let lo = f64x2.sub(f64x2.promote_low_f32x4(v), mx);
    let hi = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), mx);
    if (invT != 1) {
      lo = f64x2.mul(lo, t);
      hi = f64x2.mul(hi, t);
    }
    lo = f64x2.sub(lo, l);
    hi = f64x2.sub(hi, l);
    v128.store(out + (<usize>i << 2), i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
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
