// alpha-entmax of one strided row: p_i = [(alpha - 1) z_i - tau]_+^(1 / (alpha - 1)), tau such that
// sum p = 1 (Peters, Niculae & Martins 2019, "Sparse Sequence-to-Sequence Models", ACL; Blondel,
// Martins & Niculae 2019, "Learning Classifiers with Fenchel-Young Losses").
//
// entmax15Row: alpha = 1.5, the exact sort-based threshold of Peters et al. (Algorithm 2). With
// u = z / 2 sorted descending, the top k entries alone would give tau_k = M/k - sqrt((1 - S_k) / k)
// (M their sum, S_k the sum of their squared deviations); entry k is in the support iff
// tau_k < u_(k), which holds for a prefix of k, and tau is tau_k for the largest such k.
//
// entmaxBisectRow: any alpha > 1. With w = (alpha - 1) (x - max) / T (so max w = 0), tau lies in
// [-1, -c^(1-alpha)] (c entries can be in the support); bisection in double halves that bracket until
// the midpoint equals an endpoint. Newton steps on sum p - 1 = 0, evaluated in double-double and
// safeguarded by the bracket, then carry the threshold to double-double, and the result is divided
// by its computed sum.
//
// As in sparsemaxRow.ts, z is taken in double-double relative to a row entry (the maximum, or for the
// refinement the smallest entry of the support), so that entries near the support boundary and rows
// at large offsets keep their digits.
import type { FloatArray } from "../../types.js";
import { ddAdd, ddDiv, ddDivInt, ddMul, ddSqrt, expDD, twoProd, twoSum, type DD } from "./doubleDouble.js";
import { fillRow } from "./rowCases.js";
import type { Temperature } from "./shiftedExp.js";
import { isCandidate, REACH_SLACK, regularRowMax, shiftedDD, sortedCandidates } from "./sparsemaxRow.js";

const r: DD = { hi: 0, lo: 0 };
const a: DD = { hi: 0, lo: 0 };
const b: DD = { hi: 0, lo: 0 };

export function entmax15Row(
  x: FloatArray, out: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, t: Temperature,
): void {
  const max = regularRowMax(x, out, off, stride, n, mask, t.T);
  if (max !== max) return;
  const reach = 2 * t.T * REACH_SLACK; // u = y / 2 > tau >= -1
  const sorted = sortedCandidates(x, off, stride, n, mask, max, reach);
  if (sorted === null) return fillRow(out, off, stride, n, NaN);
  let mHi = 0, mLo = 0, qHi = 0, qLo = 0, tauHi = -1, tauLo = 0;
  for (let j = sorted.length - 1, k = 1; j >= 0; j--, k++) {
    shiftedDD(sorted[j], max, t, r);
    const uHi = r.hi / 2, uLo = r.lo / 2;
    ddAdd(mHi, mLo, uHi, uLo, r);
    mHi = r.hi;
    mLo = r.lo;
    ddMul(uHi, uLo, uHi, uLo, r);
    ddAdd(qHi, qLo, r.hi, r.lo, r);
    qHi = r.hi;
    qLo = r.lo;
    // 1 - S_k = 1 - Q + M * mean
    ddDivInt(mHi, mLo, k, a);
    const meanHi = a.hi, meanLo = a.lo;
    ddMul(mHi, mLo, meanHi, meanLo, b);
    const mmHi = b.hi, mmLo = b.lo;
    ddAdd(1, 0, -qHi, -qLo, b);
    ddAdd(b.hi, b.lo, mmHi, mmLo, b);
    if (!(b.hi >= 0)) break;
    ddDivInt(b.hi, b.lo, k, b);
    ddSqrt(b.hi, b.lo, b);
    ddAdd(meanHi, meanLo, -b.hi, -b.lo, a); // tau_k
    ddAdd(uHi, uLo, -a.hi, -a.lo, r);
    if (!(r.hi > 0)) break;
    tauHi = a.hi;
    tauLo = a.lo;
  }
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    const v = x[p];
    if ((mask !== null && mask[p] === 0) || !isCandidate(v, max, reach)) {
      out[p] = 0;
      continue;
    }
    shiftedDD(v, max, t, r);
    ddAdd(r.hi / 2, r.lo / 2, -tauHi, -tauLo, r);
    if (!(r.hi > 0)) {
      out[p] = 0;
      continue;
    }
    const dHi = r.hi, dLo = r.lo;
    twoProd(dHi, dHi, r);
    out[p] = r.hi + (r.lo + 2 * dHi * dLo);
  }
}

/** The bisection's default cap: above the ~1130 halvings that reach adjacent doubles anywhere in [-1, 0]. */
export const DEFAULT_ITERATIONS = 2000;

// The candidates' (alpha - 1) (x_j - base) / T, ascending, in double-double (uHi + uLo).
let uHi = new Float64Array(64);
let uLo = new Float64Array(64);
const f: DD = { hi: 0, lo: 0 };
const root: DD = { hi: 0, lo: 0 };

/** out = (alpha - 1) (v - base) / T in double-double. */
function scaled(v: number, base: number, t: Temperature, am1: number, out: DD): void {
  shiftedDD(v, base, t, out);
  if (am1 === 1) return;
  if (am1 > 2 ** 900) { // twoProd would overflow; the support is then (nearly) the row's maxima anyway
    out.hi *= am1;
    out.lo *= am1;
    return;
  }
  const lo = out.lo;
  twoProd(am1, out.hi, out);
  twoSum(out.hi, out.lo + am1 * lo, out);
}

// exp in double-double by a table: z = (256 m + j) ln2 / 256 + t with |t| <= ln2 / 512 < 2^-9.5, and
// exp(z) = 2^m 2^(j/256) (1 + E(t)), E(t) = t + t^2/2 + ... + t^9/9! (the rest is below 2^-116). The
// coefficients from 1/5! on are summed in double (their part of E is below 2^-47.5 t^0, so a relative
// error of 2^-52 there is below 2^-107 absolute), the rest by Horner in double-double. The table
// entries 2^(j/256) come from expDD (relative error about 2^-100), so expTable is as accurate as
// expDD, with about a quarter of its operations.
const EXP_TABLE_HI = new Float64Array(256);
const EXP_TABLE_LO = new Float64Array(256);
const LN2_256_1 = 0.6931471805599453 / 256; // ln 2 / 256 as the sum of three doubles (exact scalings of expDD's)
const LN2_256_2 = 2.3190468138462996e-17 / 256;
const LN2_256_3 = 5.707708438416212e-34 / 256;
const INV_LN2_256 = 256 / 0.6931471805599453;
const INV6: DD = { hi: 0, lo: 0 };
const INV24: DD = { hi: 0, lo: 0 };
const C5 = 1 / 120, C6 = 1 / 720, C7 = 1 / 5040, C8 = 1 / 40320, C9 = 1 / 362880;
{
  for (let j = 0; j < 256; j++) {
    twoProd(j, LN2_256_1, r);
    ddAdd(r.hi, r.lo, j * LN2_256_2, j * LN2_256_3, r);
    expDD(r.hi, r.lo, r);
    EXP_TABLE_HI[j] = r.hi;
    EXP_TABLE_LO[j] = r.lo;
  }
  for (const [k, c] of [[6, INV6], [24, INV24]] as const) { // 1/k in double-double
    c.hi = 1 / k;
    twoProd(k, c.hi, r);
    c.lo = ((1 - r.hi) - r.lo) / k;
  }
}

/** r = exp(zh + zl) in double-double, by the table above (same accuracy and range as expDD). */
function expTable(zh: number, zl: number, out: DD): void {
  if (!(zh < 709.8)) {
    out.hi = zh !== zh ? zh : Infinity;
    out.lo = 0;
    return;
  }
  if (zh < -745.2) {
    out.hi = 0;
    out.lo = 0;
    return;
  }
  const k = Math.round(zh * INV_LN2_256);
  twoProd(k, LN2_256_1, out);
  ddAdd(zh, zl, -out.hi, -out.lo, out);
  const th0 = out.hi, tl0 = out.lo;
  twoProd(k, LN2_256_2, out);
  ddAdd(th0, tl0, -out.hi, -out.lo - k * LN2_256_3, out);
  const th = out.hi, tl = out.lo;
  const tail = C5 + th * (C6 + th * (C7 + th * (C8 + th * C9)));
  ddMul(th, tl, tail, 0, out);
  ddAdd(INV24.hi, INV24.lo, out.hi, out.lo, out);
  ddMul(th, tl, out.hi, out.lo, out);
  ddAdd(INV6.hi, INV6.lo, out.hi, out.lo, out);
  ddMul(th, tl, out.hi, out.lo, out);
  ddAdd(0.5, 0, out.hi, out.lo, out);
  ddMul(th, tl, out.hi, out.lo, out);
  ddAdd(1, 0, out.hi, out.lo, out);
  ddMul(th, tl, out.hi, out.lo, out); // E(t)
  const j = k & 255, m = (k - j) / 256;
  const gh = EXP_TABLE_HI[j], gl = EXP_TABLE_LO[j];
  ddMul(gh, gl, out.hi, out.lo, out);
  ddAdd(gh, gl, out.hi, out.lo, out);
  // times 2^m in two exact steps, so that neither factor overflows or underflows on its own
  const m1 = m >> 1;
  const f1 = 2 ** m1, f2 = 2 ** (m - m1);
  out.hi = out.hi * f1 * f2;
  out.lo = out.lo * f1 * f2;
}

/**
 * out = (dh + dl)^(eh + el) for dh + dl > 0, in double-double: by squaring or a square root for the
 * exponents 0.5, 1, 2 and 4 (alpha = 3, 2, 1.5, 1.25), else exp(e log d), log d from one Newton step
 * on expDD.
 */
function ddPow(dh: number, dl: number, eh: number, el: number, out: DD): void {
  if (el === 0 && (eh === 1 || eh === 2 || eh === 4)) {
    out.hi = dh;
    out.lo = dl;
    for (let k = eh; k > 1; k /= 2) ddMul(out.hi, out.lo, out.hi, out.lo, out);
    return;
  }
  if (el === 0 && eh === 0.5) return ddSqrt(dh, dl, out);
  const l0 = Math.log(dh);
  expTable(l0, 0, out);
  ddAdd(dh, dl, -out.hi, -out.lo, b);
  const rel = b.hi / out.hi; // log(d) = l0 + log(1 + rel)
  twoSum(l0, rel - rel * rel / 2, out);
  ddMul(out.hi, out.lo, eh, el, out);
  expTable(out.hi, out.lo, out);
}

// The powers are taken in full (ddPow: two expDD and a log, ~80 double-double operations) only once
// per support entry, at the first point s0 (a double) where the refinement evaluates f; they are
// kept, with d0_j = u_j + s0, in p0Hi/p0Lo and d0Hi/d0Lo. Every later point s = s0 + delta of the
// refinement, and the final sum, lie within the bisection's bracket (a few ulps of s0 apart), so
//   (d0_j + delta)^e = p0_j (1 + x)^e,  x = delta / d0_j,
//   (1 + x)^e = 1 + e x + C(e,2) x^2 + C(e,3) x^3 + R,  |C(e,k)| <= m^k / |x|^k, m = max(e, 1) |x|
// (|C(e,k)| <= e^k for e >= 1, <= 1 for e < 1), so |R| <= sum_{k>=4} m^k <= 2 m^4. The series is
// used only where m <= 2^-30: |R| <= 2^-119. There e x is formed in double-double (x = delta / d0_j
// by ddDiv, delta = s - s0 exact to 2^-106 relative, times e = eh + el by ddMul: relative error a
// few 2^-106, i.e. absolute <= 2^-134), the terms x^2 and x^3 (<= 2^-60, <= 2^-90) in double
// (absolute error <= 2^-110), and p0 (1 + t) by ddMul/ddAdd (a few 2^-106 relative). So each power
// carries p0's own error (about 2^-100, as ddPow) plus less than 2^-104 relative: the same order as
// calling ddPow at s, which is what every other entry (m > 2^-30: entries within ~2^30 ulps of the
// threshold, or any point the bracket's widening moved far from s0) still gets. The exponents that
// ddPow takes exactly (0.5, 1, 2, 4: cheap already) bypass the cache.
let p0Hi = new Float64Array(64);
let p0Lo = new Float64Array(64);
let d0Hi = new Float64Array(64);
let d0Lo = new Float64Array(64);
// The powers at the root, for the output pass.
let pHi = new Float64Array(64);
let pLo = new Float64Array(64);
/** The cache's point (NaN: no cache), and the lowest candidate index it holds. */
let s0 = NaN;
let cacheMin = Infinity;
const SERIES_REACH = 2 ** -30;
const delta: DD = { hi: 0, lo: 0 };

/** out = (d0_j + delta)^e = (dh + dl)^e, by the series around the cached power where it applies, else ddPow. */
function power(j: number, dh: number, dl: number, eh: number, el: number, out: DD): void {
  if (j >= cacheMin) {
    const dHi = delta.hi;
    if (dHi === 0) {
      out.hi = p0Hi[j];
      out.lo = p0Lo[j];
      return;
    }
    const ph = p0Hi[j], pl = p0Lo[j];
    if (Math.abs(dHi / d0Hi[j]) * (eh > 1 ? eh : 1) <= SERIES_REACH) {
      ddDiv(dHi, delta.lo, d0Hi[j], d0Lo[j], out);
      const xh = out.hi;
      ddMul(eh, el, xh, out.lo, out);
      const t2 = (out.hi * (eh - 1) * xh) / 2;
      const t3 = (t2 * (eh - 2) * xh) / 3;
      ddMul(ph, pl, out.hi, out.lo + (t2 + t3), out);
      ddAdd(ph, pl, out.hi, out.lo, out);
      return;
    }
  }
  ddPow(dh, dl, eh, el, out);
}

/** Whether ddPow takes the exponent eh + el exactly, by squarings or a square root. */
function exactExponent(eh: number, el: number): boolean {
  return el === 0 && (eh === 0.5 || eh === 1 || eh === 2 || eh === 4);
}

/** Sets f = sum_j (u_j + s)_+^e - 1 over the c candidates, in double-double; returns f'(s) = e sum_j p_j / d_j. */
function excess(c: number, sHi: number, sLo: number, eh: number, el: number): number {
  let fHi = -1, fLo = 0, slope = 0;
  const fill = s0 !== s0 && sLo === 0 && !exactExponent(eh, el);
  if (fill) s0 = sHi;
  if (s0 === s0) ddAdd(sHi, sLo, -s0, 0, delta);
  for (let j = c - 1; j >= 0; j--) { // largest u first: stop at the first entry at or below the threshold
    ddAdd(uHi[j], uLo[j], sHi, sLo, a);
    if (!(a.hi > 0)) break;
    const dh = a.hi;
    if (fill) {
      d0Hi[j] = dh;
      d0Lo[j] = a.lo;
      ddPow(dh, a.lo, eh, el, r);
      p0Hi[j] = r.hi;
      p0Lo[j] = r.lo;
      cacheMin = j;
    } else power(j, dh, a.lo, eh, el, r);
    slope += r.hi / dh;
    ddAdd(fHi, fLo, r.hi, r.lo, a);
    fHi = a.hi;
    fLo = a.lo;
  }
  f.hi = fHi;
  f.lo = fLo;
  return eh * slope;
}

/** Whether (ah + al) < (bh + bl). */
function below(ah: number, al: number, bh: number, bl: number): boolean {
  ddAdd(bh, bl, -ah, -al, b);
  return b.hi > 0;
}

/**
 * Sets root to the zero of the increasing function f (excess) in double-double, from a bracket
 * [lo, hi] found in double (checked, and widened where f in double-double disagrees): Newton steps
 * kept inside the bracket, and a halving of the bracket whenever a step would leave it or not halve
 * the one before (Newton alone stalls when alpha > 2 and an entry lies within an ulp of the
 * threshold: its term then has an unbounded slope).
 */
function refine(c: number, lo: number, hi: number, eh: number, el: number): void {
  let width = Math.max(hi - lo, 2 ** -1000);
  while ((excess(c, lo, 0, eh, el), f.hi > 0) && width < 4) { // the root is within 1 of either end
    lo -= width;
    width *= 2;
  }
  let slope = excess(c, hi, 0, eh, el);
  while (f.hi < 0 && width < 4) {
    hi += width;
    width *= 2;
    slope = excess(c, hi, 0, eh, el);
  }
  let aHi = lo, aLo = 0, bHi = hi, bLo = 0, sHi = hi, sLo = 0, last = Infinity;
  for (let it = 0; it < 200; it++) {
    if (it > 0) slope = excess(c, sHi, sLo, eh, el);
    if (f.hi === 0) break;
    const step = (f.hi + f.lo) / slope;
    if (Math.abs(f.hi) <= 2 ** -100) { // f is down to its rounding noise: one last Newton step
      ddAdd(sHi, sLo, -step, 0, r);
      sHi = r.hi;
      sLo = r.lo;
      break;
    }
    if (f.hi < 0) {
      aHi = sHi;
      aLo = sLo;
    } else {
      bHi = sHi;
      bLo = sLo;
    }
    ddAdd(bHi, bLo, -aHi, -aLo, r);
    const gap = r.hi;
    if (gap <= 2 ** -104 * Math.abs(sHi)) break;
    ddAdd(sHi, sLo, -step, 0, r);
    if (Math.abs(step) <= last / 2 && below(aHi, aLo, r.hi, r.lo) && below(r.hi, r.lo, bHi, bLo)) {
      sHi = r.hi;
      sLo = r.lo;
      last = Math.abs(step);
    } else {
      ddAdd(aHi, aLo, bHi, bLo, r);
      sHi = r.hi / 2;
      sLo = r.lo / 2;
      last = gap / 2;
    }
  }
  root.hi = sHi;
  root.lo = sLo;
}

/**
 * Any alpha > 1 (the exact kernels serve 1.5 and 2 unless the caller asks for bisection).
 *
 * The bisection runs on tau in double, over w = (alpha - 1)(x - max) / T. The refinement then
 * measures everything from the smallest entry of the support, x_b: with u_j = (alpha - 1)(x_j - x_b)
 * / T (exact differences) and s = w_b - tau, each support entry is p_j = (u_j + s)^(1/(alpha-1)), a
 * sum of two non-negative terms, so the entry nearest the threshold keeps its relative accuracy.
 * `iterations` caps the halvings; when it binds, tau stays the bracket's lower end (where sum p >= 1),
 * without the refinement, and the division by the sum keeps the result on the simplex.
 */
export function entmaxBisectRow(
  x: FloatArray, out: FloatArray, off: number, stride: number, n: number, mask: Uint8Array | null, t: Temperature,
  alpha: number, iterations: number,
): void {
  const max = regularRowMax(x, out, off, stride, n, mask, t.T);
  if (max !== max) return;
  const am1 = alpha - 1;
  const reach = (t.T / am1) * REACH_SLACK; // w = am1 * y > tau >= -1
  const sorted = sortedCandidates(x, off, stride, n, mask, max, reach);
  if (sorted === null) return fillRow(out, off, stride, n, NaN);
  const c = sorted.length;
  if (uHi.length < c) {
    uHi = new Float64Array(Math.max(c, 2 * uHi.length));
    uLo = new Float64Array(uHi.length);
    p0Hi = new Float64Array(uHi.length);
    p0Lo = new Float64Array(uHi.length);
    d0Hi = new Float64Array(uHi.length);
    d0Lo = new Float64Array(uHi.length);
    pHi = new Float64Array(uHi.length);
    pLo = new Float64Array(uHi.length);
  }
  s0 = NaN;
  cacheMin = Infinity;
  const eh = 1 / am1; // the exponent 1 / (alpha - 1) is eh + el
  twoProd(eh, am1, r);
  const el = am1 > 2 ** 900 ? 0 : ((1 - r.hi) - r.lo) / am1;

  for (let j = 0; j < c; j++) uHi[j] = am1 * ((sorted[j] - max) / t.T);
  let lo = -1, hi = -(c ** -am1), converged = false;
  for (let it = 0; it < iterations; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) {
      converged = true;
      break;
    }
    let sum = -1;
    for (let j = c - 1; j >= 0; j--) {
      const d = uHi[j] - mid;
      if (!(d > 0)) break;
      sum += eh === 1 ? d : eh === 2 ? d * d : Math.pow(d, eh);
    }
    if (sum >= 0) lo = mid;
    else hi = mid;
  }
  if (lo === hi) converged = true;

  let k = 0;
  while (uHi[k] <= lo) k++; // the smallest entry above tau (the maximum, with w = 0, is one)
  const base = sorted[k], wb = uHi[k];
  for (let j = 0; j < c; j++) {
    scaled(sorted[j], base, t, am1, r);
    uHi[j] = r.hi;
    uLo[j] = r.lo;
  }
  if (converged && lo < -(2 ** -960)) refine(c, wb - hi, wb - lo, eh, el);
  else {
    root.hi = wb - lo;
    root.lo = 0;
  }
  const sHi = root.hi, sLo = root.lo;

  // The powers at the root, kept for the output pass (an entry's power depends only on its value:
  // the output pass finds the value's index in `sorted` and reuses it).
  if (s0 === s0) ddAdd(sHi, sLo, -s0, 0, delta);
  let sumHi = 0, sumLo = 0, jMin = c;
  for (let j = c - 1; j >= 0; j--) {
    ddAdd(uHi[j], uLo[j], sHi, sLo, a);
    if (!(a.hi > 0)) break;
    power(j, a.hi, a.lo, eh, el, r);
    pHi[j] = r.hi;
    pLo[j] = r.lo;
    jMin = j;
    ddAdd(sumHi, sumLo, r.hi, r.lo, a);
    sumHi = a.hi;
    sumLo = a.lo;
  }
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    const v = x[p];
    if ((mask !== null && mask[p] === 0) || !isCandidate(v, max, reach)) {
      out[p] = 0;
      continue;
    }
    // v is a candidate, so it is in `sorted` (ascending): any index holding it has the same power.
    let lo = 0, hi = c - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo < jMin) { // at or below the threshold, as the sum pass found (u ascending with the value)
      out[p] = 0;
      continue;
    }
    ddDiv(pHi[lo], pLo[lo], sumHi, sumLo, r);
    out[p] = r.hi;
  }
}
