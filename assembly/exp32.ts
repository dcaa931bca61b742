// exp in float32 lanes. Both forms reduce x = n ln2 + r with |r| <= ln2/2 (Cody-Waite), evaluate
// exp(r) ~ 1 + r + r^2 Q(r) (Q: degree 4, Remez on the relative error, scripts/exp-coefficients.py;
// 0.82 ulp with the float32 evaluation; degree 5 in all misses 4 ulp at the end) and multiply by a
// power of two built in the exponent bits. Results carry a factor 2^SCALE32 so that they stay normal
// down to exp(-150), far below the smallest float32 output: tiny outputs are then rounded once, at
// the final multiply, not first flushed to subnormals here.

export const SCALE32: i32 = 96;

const C2: f32 = 0.4999997913837433;
const C3: f32 = 0.16666586697101593;
const C4: f32 = 0.04167461022734642;
const C5: f32 = 0.008361364714801311;
const C6: f32 = 0.0013331834925338626;
const LOG2E: f32 = 1.4426950408889634;
/** ln2 = LN2_HI + LN2_LO; LN2_HI has 14 significant bits, so n * LN2_HI is exact for |n| < 2^10. */
const LN2_HI: f32 = 0.69317626953125;
const LN2_LO: f32 = -2.9088971132296138e-5;
/** 1.5 * 2^23: adding it rounds a float32 of magnitude < 2^22 to an integer, kept in the low mantissa bits. */
const MAGIC32: f32 = 12582912;

/** Shifts below this give exp(shift) * 2^SCALE32 < 2^-120: nothing in any sum, 0 in every output. */
export const FLOOR32: f64 = -150;

// The vector constants live in memory, each read with one load: V8 rebuilds a v128.const at every
// use inside a loop (several instructions each), which made the exp loops twice as slow.
const F32: usize = memory.data<f32>([
  C2, C2, C2, C2, C3, C3, C3, C3, C4, C4, C4, C4, C5, C5, C5, C5, C6, C6, C6, C6,
  1, 1, 1, 1, LOG2E, LOG2E, LOG2E, LOG2E, LN2_HI, LN2_HI, LN2_HI, LN2_HI, LN2_LO, LN2_LO, LN2_LO, LN2_LO,
], 16);
const F64: usize = memory.data<f64>([1.4426950408889634, 1.4426950408889634, 0.6931471805599453, 0.6931471805599453,
  6755399441055744, 6755399441055744, FLOOR32, FLOOR32], 16);
const I32: usize = memory.data<i32>([127 + SCALE32, 127 + SCALE32, 127 + SCALE32, 127 + SCALE32], 16);
// @ts-ignore: decorator
@inline function c(table: usize, index: usize): v128 { return v128.load(table + (index << 4)); }

// a * b + c and c - a * b: fused where the engine fuses relaxed SIMD (either rounding is accurate enough)
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}

/** exp(r) for |r| <= 0.3468, in float32 lanes; Q by Estrin's scheme (a shorter dependency chain than Horner's). */
// @ts-ignore: decorator
@inline function expReduced32(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  const q = madd(madd(c(F32, 4), r2, madd(c(F32, 3), r, c(F32, 2))), r2, madd(c(F32, 1), r, c(F32, 0)));
  return f32x4.add(c(F32, 5), madd(r2, q, r));
}

/**
 * A row's exponent-bias fold (temperature 1, |max| <= FOLD_LIMIT32): the row is shifted by c = N ln2
 * with N = round(max / ln2), instead of by max. Softmax is the same for any shift, and with this one
 * x - c is never rounded: the reduction works on x itself and c only moves the exponent of 2^n.
 */
export const FOLD_LIMIT32: f64 = 512;

/** The magic constant of the fold for a row with maximum `max`: its low bits carry 127 + SCALE32 - N. */
export function foldMagic32(max: f64): v128 {
  const N = <i32>Math.round(max * 1.4426950408889634);
  const bias: i32 = <i32>127 + SCALE32 - N;
  return f32x4.splat(MAGIC32 + <f32>bias);
}

/**
 * exp(x - c) * 2^SCALE32 with the fold (see foldMagic32); `floor` is max + FLOOR32 in every lane.
 * |x| < 709 keeps |n| < 2^10, so n * LN2_HI is exact and x - n LN2_HI is exact (Sterbenz).
 */
// @ts-ignore: decorator
@inline export function expFold32(x: v128, floor: v128, magic: v128): v128 {
  const y = f32x4.pmax(x, floor); // -Infinity (left out) -> floor; NaN stays NaN
  const f = madd(y, c(F32, 6), magic);
  const n = f32x4.sub(f, magic);
  const r = nmadd(n, c(F32, 8), nmadd(n, c(F32, 7), y)); // n * LN2_HI is exact: fused or not, the first step is exact
  return f32x4.mul(expReduced32(r), i32x4.shl(f, 23));
}

/**
 * exp((x - max) * invT) * 2^SCALE32, for any temperature and magnitude: x - max is exact in float64,
 * so the shift and the division by the temperature cost about 2^-52 relative; the reduction is in
 * float64 too, and only r (|r| <= ln2/2) is rounded to float32.
 */
// @ts-ignore: decorator
@inline export function expShift32(x: v128, max: v128, invT: v128): v128 {
  const floor = c(F64, 3), log2e = c(F64, 0), ln2 = c(F64, 1), magic = c(F64, 2);
  const dLo = f64x2.pmax(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(x), max), invT), floor);
  const dHi = f64x2.pmax(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), max), invT), floor);
  const fLo = f64x2.add(f64x2.mul(dLo, log2e), magic);
  const fHi = f64x2.add(f64x2.mul(dHi, log2e), magic);
  const rLo = f64x2.sub(dLo, f64x2.mul(f64x2.sub(fLo, magic), ln2));
  const rHi = f64x2.sub(dHi, f64x2.mul(f64x2.sub(fHi, magic), ln2));
  const r = i32x4.shuffle(f32x4.demote_f64x2_zero(rLo), f32x4.demote_f64x2_zero(rHi), 0, 1, 4, 5);
  const n = i32x4.shuffle(fLo, fHi, 0, 2, 4, 6); // the low word of each float64 holds n
  const scale = i32x4.shl(i32x4.add(n, c(I32, 0)), 23);
  return f32x4.mul(expReduced32(r), scale);
}
