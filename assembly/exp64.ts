// exp in float64 lanes: the same scheme as exp32.ts with a degree-12 polynomial (Remez on the relative
// error, 2^-61.5; scripts/exp-coefficients.py) and a factor 2^SCALE64 that keeps results normal down
// to exp(FLOOR64), beyond the smallest float64 output.

export const SCALE64: i64 = 512;
/** Shifts below this give exp(shift) * 2^SCALE64 < 2^-930: nothing in any sum, 0 in every output. */
export const FLOOR64: f64 = -1000;

const C2: f64 = 0.5;
const C3: f64 = 0.16666666666666674;
const C4: f64 = 0.04166666666666417;
const C5: f64 = 0.008333333333322857;
const C6: f64 = 0.001388888888996473;
const C7: f64 = 0.00019841269882795768;
const C8: f64 = 2.4801585359421723e-5;
const C9: f64 = 2.755724778543275e-6;
const C10: f64 = 2.7558864725426585e-7;
const C11: f64 = 2.5107716848959535e-8;
const C12: f64 = 2.0441545847219505e-9;
const LOG2E: f64 = 1.4426950408889634;
/** ln2 = LN2_HI + LN2_LO; LN2_HI has 40 significant bits, so n * LN2_HI is exact for |n| < 2^13. */
const LN2_HI: f64 = 0.6931471805601177;
const LN2_LO: f64 = -1.7239444525614835e-13;
/** 1.5 * 2^52: adding it rounds a float64 of magnitude < 2^51 to an integer, kept in the low mantissa bits. */
const MAGIC64: f64 = 6755399441055744;
export const FOLD_LIMIT64: f64 = 4096;

// Vector constants in memory, one load each (see exp32.ts).
const F64: usize = memory.data<f64>([C2, C2, C3, C3, C4, C4, C5, C5, C6, C6, C7, C7, C8, C8, C9, C9, C10, C10, C11, C11,
  C12, C12, 1, 1, LOG2E, LOG2E, LN2_HI, LN2_HI, LN2_LO, LN2_LO, FLOOR64, FLOOR64], 16);
// @ts-ignore: decorator
@inline function c(index: usize): v128 { return v128.load(F64 + (index << 4)); }

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_nmadd(a, b, c);
  return f64x2.sub(c, f64x2.mul(a, b));
}

/**
 * exp(r) for |r| <= 0.3468, in float64 lanes. Q is evaluated by Estrin's scheme: its dependency chain
 * is 4 multiply-adds long instead of Horner's 10, and the loops here are bound by that latency.
 */
// @ts-ignore: decorator
@inline function expReduced64(r: v128): v128 {
  const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2), r8 = f64x2.mul(r4, r4);
  const q01 = madd(c(1), r, c(0)), q23 = madd(c(3), r, c(2)), q45 = madd(c(5), r, c(4));
  const q67 = madd(c(7), r, c(6)), q89 = madd(c(9), r, c(8));
  const q03 = madd(q23, r2, q01), q47 = madd(q67, r2, q45), q810 = madd(c(10), r2, q89);
  const q = madd(q810, r8, madd(q47, r4, q03));
  return f64x2.add(c(11), madd(r2, q, r));
}

/** The fold's magic constant for a row with maximum `max` (exp32.ts explains the fold). */
export function foldMagic64(max: f64): v128 {
  const N = <i64>Math.round(max * LOG2E);
  const bias: i64 = <i64>1023 + SCALE64 - N;
  return f64x2.splat(MAGIC64 + <f64>bias);
}

/** The magic constant of the shift form: its low bits carry 1023 + SCALE64. */
const SHIFT_BIAS: f64 = <f64>(<i64>1023 + SCALE64);
export const SHIFT_MAGIC64: v128 = f64x2(MAGIC64 + SHIFT_BIAS, MAGIC64 + SHIFT_BIAS);

/** exp(y + err) * 2^(SCALE64 - N) given y >= FLOOR64-ish, the rounding error `err` of y (if `exact` is false), and the magic. */
// @ts-ignore: decorator
@inline function expWith64(y: v128, err: v128, magic: v128, exact: bool): v128 {
  const f = madd(y, c(12), magic);
  const n = f64x2.sub(f, magic);
  let r = nmadd(n, c(14), nmadd(n, c(13), y)); // n * LN2_HI is exact: fused or not, the first step is exact
  if (!exact) r = f64x2.add(r, err);
  return f64x2.mul(expReduced64(r), i64x2.shl(f, 52));
}

/** exp(x - c) * 2^SCALE64 with the fold; `floor` is max + FLOOR64 in both lanes; |max| <= FOLD_LIMIT64. */
// @ts-ignore: decorator
@inline export function expFold64(x: v128, floor: v128, magic: v128): v128 {
  return expWith64(f64x2.pmax(x, floor), f64x2.splat(0), magic, true);
}

/** Veltkamp's splitter, 2^27 + 1: q * SPLITTER splits q into 26-bit halves. */
const SPLITTER: f64 = 134217729;

/**
 * exp((x - max) / T) * 2^SCALE64 for a temperature T = tHi + tLo (tHi of 26 bits) with inverse invT:
 * q = (x - max) * invT is rounded, so the remainder (x - max) - q T is computed exactly (Dekker's
 * product, the two-sum error of x - max included) and its quotient by T is carried into the reduced
 * argument, as the JS kernels do (src/kernels/js/doubleDouble.ts, divisionRemainder). Needs |T| in
 * [2^-500, 2^500] (dispatch.ts).
 */
// @ts-ignore: decorator
@inline export function expShiftT64(x: v128, max: v128, invT: v128, t: v128, tHi: v128, tLo: v128): v128 {
  const s = f64x2.sub(x, max);
  const b = f64x2.sub(s, x);
  const e1 = f64x2.sub(f64x2.sub(x, f64x2.sub(s, b)), f64x2.add(max, b));
  const q = f64x2.mul(s, invT);
  const split = f64x2.mul(q, f64x2.splat(SPLITTER));
  const qh = f64x2.sub(split, f64x2.sub(split, q)), ql = f64x2.sub(q, qh);
  const p = f64x2.mul(q, t);
  const pe = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(qh, tHi), p), f64x2.mul(qh, tLo)), f64x2.mul(ql, tHi)), f64x2.mul(ql, tLo));
  let err = f64x2.mul(f64x2.add(f64x2.sub(f64x2.sub(s, p), pe), e1), invT);
  const y = f64x2.pmax(q, c(15));
  err = v128.and(err, f64x2.eq(y, q)); // not needed where clamped, and NaN where x - max is infinite
  return expWith64(y, err, SHIFT_MAGIC64, false);
}

/** The high 26 bits of T (Veltkamp), for expShiftT64 and the log-softmax write. */
export function temperatureHigh(T: f64): f64 {
  const split = T * SPLITTER;
  return split - (split - T);
}

/**
 * exp(x - max) * 2^SCALE64, any magnitude: x - max is rounded, and its error (two-sum) is added to
 * the reduced argument, so the shift costs no accuracy. Entries left out (-Infinity) give 2^-488.
 */
// @ts-ignore: decorator
@inline export function expShift64(x: v128, max: v128): v128 {
  const s = f64x2.sub(x, max);
  const b = f64x2.sub(s, x);
  let err = f64x2.sub(f64x2.sub(x, f64x2.sub(s, b)), f64x2.add(max, b));
  const y = f64x2.pmax(s, c(15));
  err = v128.and(err, f64x2.eq(y, s)); // the error of a clamped (or infinite) shift is not needed, and may be NaN
  return expWith64(y, err, SHIFT_MAGIC64, false);
}
