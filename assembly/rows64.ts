// float64 rows, temperature 1 (rows32.ts explains the layout). Sums are compensated (two-sum per
// lane), so their error does not grow with the row length.
import { lanesSum, load64, loadTail64, NEG_INF64 } from "./lanes";
import { expFold64, expShift64, FLOOR64, FOLD_LIMIT64, foldMagic64, SCALE64 } from "./exp64";
import { regular } from "./rows32";

// @ts-ignore: decorator
@inline export function max64(x: usize, m: usize, n: i32, masked: bool): f64 {
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

/** The running sum of compensatedAdd: the sum and its accumulated rounding errors. */
let sumHi = f64x2.splat(0), sumLo = f64x2.splat(0);

// @ts-ignore: decorator
@inline function compensatedAdd(e: v128): void {
  const t = f64x2.add(sumHi, e);
  const b = f64x2.sub(t, sumHi);
  sumLo = f64x2.add(sumLo, f64x2.add(f64x2.sub(sumHi, f64x2.sub(t, b)), f64x2.sub(e, b)));
  sumHi = t;
}

// @ts-ignore: decorator
@inline function compensatedTotal(): f64 {
  return lanesSum(sumHi, f64x2.splat(0)) + lanesSum(sumLo, f64x2.splat(0));
}

// @ts-ignore: decorator
@inline export function folds64(max: f64): bool {
  return Math.abs(max) <= FOLD_LIMIT64;
}

/** Sum of e_j = exp(x_j - s) * 2^SCALE64 (s: max, or the fold's c); with `store`, e_j * factor goes to out. */
// @ts-ignore: decorator
@inline export function expSum64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, store: bool, factor: f64): f64 {
  sumHi = f64x2.splat(0);
  sumLo = f64x2.splat(0);
  const k = f64x2.splat(factor);
  if (folds64(max)) {
    const magic = foldMagic64(max), floor = f64x2.splat(max + FLOOR64);
    for (let i = 0; i < n; i += 2) {
      const v = i + 2 <= n ? load64(x, m, i, masked) : loadTail64(x, m, i, n, masked);
      const e = expFold64(v, floor, magic);
      if (store) v128.store(out + (<usize>i << 3), factor == 1 ? e : f64x2.mul(e, k));
      compensatedAdd(e);
    }
  } else {
    const mx = f64x2.splat(max);
    for (let i = 0; i < n; i += 2) {
      const v = i + 2 <= n ? load64(x, m, i, masked) : loadTail64(x, m, i, n, masked);
      const e = expShift64(v, mx);
      if (store) v128.store(out + (<usize>i << 3), factor == 1 ? e : f64x2.mul(e, k));
      compensatedAdd(e);
    }
  }
  return compensatedTotal();
}

export let ties64: i32 = 0;

/** Sum of exp(x_j - max) over the entries below the maximum; the count of those equal to it goes to ties64. */
// @ts-ignore: decorator
@inline export function restSum64(x: usize, m: usize, n: i32, masked: bool, max: f64): f64 {
  sumHi = f64x2.splat(0);
  sumLo = f64x2.splat(0);
  let tie = i64x2.splat(0);
  const mx = f64x2.splat(max);
  for (let i = 0; i < n; i += 2) {
    const v = i + 2 <= n ? load64(x, m, i, masked) : loadTail64(x, m, i, n, masked);
    const same = f64x2.eq(v, mx);
    const below = f64x2.lt(f64x2.sub(v, mx), f64x2.splat(FLOOR64)); // left out exactly, as in restSum32
    compensatedAdd(v128.andnot(expShift64(v, mx), v128.or(same, below)));
    tie = i64x2.sub(tie, same);
  }
  ties64 = <i32>(i64x2.extract_lane(tie, 0) + i64x2.extract_lane(tie, 1));
  return compensatedTotal() * Math.pow(2, -<f64>SCALE64);
}

// @ts-ignore: decorator
@inline export function scale64(out: usize, n: i32, factor: f64): void {
  const k = f64x2.splat(factor);
  for (let i = 0; i < n; i += 2) {
    const p = out + (<usize>i << 3);
    v128.store(p, f64x2.mul(v128.load(p), k));
  }
}

/** out_j = (x_j - max) - logSum, with the rounding of x_j - max (two-sum) added back; -Infinity where left out. */
// @ts-ignore: decorator
@inline export function logWrite64(x: usize, m: usize, out: usize, n: i32, masked: bool, max: f64, logSum: f64): void {
  const mx = f64x2.splat(max), l = f64x2.splat(logSum);
  for (let i = 0; i < n; i += 2) {
    const v = load64(x, m, i, masked);
    const s = f64x2.sub(v, mx);
    const b = f64x2.sub(s, v);
    let err = f64x2.sub(f64x2.sub(v, f64x2.sub(s, b)), f64x2.add(mx, b));
    err = v128.and(err, f64x2.eq(f64x2.sub(s, s), f64x2.splat(0))); // 0 where s is infinite
    v128.store(out + (<usize>i << 3), f64x2.add(f64x2.sub(s, l), err));
  }
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
