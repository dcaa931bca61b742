// Double-double arithmetic: a value held as hi + lo with |lo| <= ulp(hi) / 2, about 106 bits.
// Error-free transformations after Dekker (1971), "A floating-point technique for extending the
// available precision", and Knuth, TAOCP vol. 2, §4.2.2 (two-sum); the accurate addition and the
// exp by argument reduction, Taylor series and squaring follow Hida, Li & Bailey (2001), "Algorithms
// for quad-double precision floating point arithmetic". JS has no fused multiply-add, so products are
// made exact with Veltkamp's split.

/** Where the routines below leave their result: value = hi + lo. */
export interface DD {
  hi: number;
  lo: number;
}

export const SPLITTER = 134217729; // 2^27 + 1: splits a double into two 26-bit halves (Veltkamp)

/** (a + b) - s exactly, where s = fl(a + b): Knuth's two-sum error, no condition on the magnitudes. */
export function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** hi + lo = a + b exactly (two-sum). */
export function twoSum(a: number, b: number, r: DD): void {
  const s = a + b;
  r.lo = sumError(a, b, s);
  r.hi = s;
}

/** hi + lo = a + b exactly, when |a| >= |b|. */
function quickTwoSum(a: number, b: number, r: DD): void {
  const s = a + b;
  r.lo = b - (s - a);
  r.hi = s;
}

/** hi + lo = a * b exactly, for |a|, |b| < 2^996 and products clear of the subnormal range. */
export function twoProd(a: number, b: number, r: DD): void {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a), al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b), bl = b - bh;
  r.lo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  r.hi = p;
}

/** (ah + al) + (bh + bl), with a relative error of a few units of 2^-106 whatever the signs. */
export function ddAdd(ah: number, al: number, bh: number, bl: number, r: DD): void {
  twoSum(ah, bh, r);
  const s1 = r.hi, s2 = r.lo;
  twoSum(al, bl, r);
  const t1 = r.hi, t2 = r.lo;
  quickTwoSum(s1, s2 + t1, r);
  quickTwoSum(r.hi, r.lo + t2, r);
}

export function ddMul(ah: number, al: number, bh: number, bl: number, r: DD): void {
  twoProd(ah, bh, r);
  quickTwoSum(r.hi, r.lo + (ah * bl + al * bh), r);
}

/** r = (ah + al) / (bh + bl): the quotient of the high parts, corrected by the exact remainder. */
export function ddDiv(ah: number, al: number, bh: number, bl: number, out: DD): void {
  const q1 = ah / bh;
  twoProd(q1, bh, out);
  const rest = ((ah - out.hi) - out.lo + al) - q1 * bl;
  twoSum(q1, rest / bh, out);
}

/** r = sqrt(ah + al) for ah + al >= 0: one Newton correction of the double square root. */
export function ddSqrt(ah: number, al: number, out: DD): void {
  const s = Math.sqrt(ah);
  if (s === 0) {
    out.hi = 0;
    out.lo = 0;
    return;
  }
  twoProd(s, s, out);
  const rest = ((ah - out.hi) - out.lo + al) / (2 * s);
  twoSum(s, rest, out);
}

/** (ah + al) / j for a positive integer j (below 2^53). */
export function ddDivInt(ah: number, al: number, j: number, r: DD): void {
  const q1 = ah / j;
  twoProd(q1, j, r);
  const q2 = ((ah - r.hi) - r.lo + al) / j;
  quickTwoSum(q1, q2, r);
}

/**
 * The temperature, split once per call so that the remainder of a division by it is exact: `scaled`
 * is T * sigma, with sigma a power of two that keeps Veltkamp's split clear of overflow and underflow.
 */
export interface TemperatureParts {
  T: number;
  /** 1 / T, rounded: quotients are taken as products and made exact by their remainder. */
  inverse: number;
  sigma: number;
  scaled: number;
  scaledHi: number;
  scaledLo: number;
}

export function temperatureParts(T: number): TemperatureParts {
  const sigma = T > 2 ** 900 ? 2 ** -200 : T < 2 ** -900 ? 2 ** 200 : 1;
  const scaled = T * sigma;
  const c = SPLITTER * scaled;
  const scaledHi = c - (c - scaled);
  return { T, inverse: 1 / T, sigma, scaled, scaledHi, scaledLo: scaled - scaledHi };
}

/**
 * s - q * T, for q within a few ulps of s / T, exact but for the rounding of a remainder far below
 * ulp(q). Needs |q| < 2^996 (callers only ask when exp(q) is neither 0 nor infinite).
 */
export function divisionRemainder(s: number, q: number, t: TemperatureParts): number {
  const p = q * t.scaled;
  const c = SPLITTER * q;
  const qh = c - (c - q), ql = q - qh;
  const pe = ((qh * t.scaledHi - p) + qh * t.scaledLo + ql * t.scaledHi) + ql * t.scaledLo;
  return ((s * t.sigma - p) - pe) / t.sigma;
}

// ln 2 as the sum of three doubles (to about 2^-160), and 1 / ln 2 for the reduction's quotient.
const LN2_1 = 0.6931471805599453;
const LN2_2 = 2.3190468138462996e-17;
const LN2_3 = 5.707708438416212e-34;
const INV_LN2 = 1.4426950408889634;

/** r = exp(zh + zl) in double-double (relative error about 2^-100). */
export function expDD(zh: number, zl: number, r: DD): void {
  if (!(zh < 709.8)) { // +overflow, or NaN
    r.hi = zh !== zh ? zh : Infinity;
    r.lo = 0;
    return;
  }
  if (zh < -745.2) {
    r.hi = 0;
    r.lo = 0;
    return;
  }
  // z = k ln2 + t with |t| <= ln2 / 2; each k * LN2_i is made exact before it is taken away.
  const k = Math.round(zh * INV_LN2);
  twoProd(k, LN2_1, r);
  ddAdd(zh, zl, -r.hi, -r.lo, r);
  let th = r.hi, tl = r.lo;
  twoProd(k, LN2_2, r);
  ddAdd(th, tl, -r.hi, -r.lo - k * LN2_3, r);
  // exp(t) = exp(t / 1024)^1024: expm1 of the small argument by Taylor to degree 9 (the next term
  // is below 2^-120), then ten squarings in the expm1 form e(2u) - 1 = (e(u) - 1)(e(u) - 1 + 2).
  th = r.hi / 1024;
  tl = r.lo / 1024;
  let ph = 1, pl = 0;
  for (let j = 9; j >= 2; j--) {
    ddMul(th, tl, ph, pl, r);
    ddDivInt(r.hi, r.lo, j, r);
    ddAdd(1, 0, r.hi, r.lo, r);
    ph = r.hi;
    pl = r.lo;
  }
  ddMul(th, tl, ph, pl, r);
  for (let i = 0; i < 10; i++) {
    const mh = r.hi, ml = r.lo;
    ddAdd(mh, ml, 2, 0, r);
    ddMul(mh, ml, r.hi, r.lo, r);
  }
  ddAdd(1, 0, r.hi, r.lo, r);
  // times 2^k in two exact steps, so that neither factor overflows or underflows on its own
  const k1 = k >> 1;
  const f1 = 2 ** k1, f2 = 2 ** (k - k1);
  r.hi = r.hi * f1 * f2;
  r.lo = r.lo * f1 * f2;
}
