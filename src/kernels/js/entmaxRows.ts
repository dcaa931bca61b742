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
import { ddAdd, ddMul, expDD, twoProd, twoSum, type DD } from "./doubleDouble.js";
import { fillRow } from "./rowCases.js";
import type { Temperature } from "./shiftedExp.js";
import { ddDiv, ddDivInt, ddSqrt, isCandidate, REACH_SLACK, regularRowMax, shiftedDD, sortedCandidates } from "./sparsemaxRow.js";

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
  expDD(l0, 0, out);
  ddAdd(dh, dl, -out.hi, -out.lo, b);
  const rel = b.hi / out.hi; // log(d) = l0 + log(1 + rel)
  twoSum(l0, rel - rel * rel / 2, out);
  ddMul(out.hi, out.lo, eh, el, out);
  expDD(out.hi, out.lo, out);
}

/** Sets f = sum_j (u_j + s)_+^e - 1 over the c candidates, in double-double; returns f'(s) = e sum_j p_j / d_j. */
function excess(c: number, sHi: number, sLo: number, eh: number, el: number): number {
  let fHi = -1, fLo = 0, slope = 0;
  for (let j = c - 1; j >= 0; j--) { // largest u first: stop at the first entry at or below the threshold
    ddAdd(uHi[j], uLo[j], sHi, sLo, a);
    if (!(a.hi > 0)) break;
    const dh = a.hi;
    ddPow(dh, a.lo, eh, el, r);
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
  }
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

  let sumHi = 0, sumLo = 0;
  for (let j = c - 1; j >= 0; j--) {
    ddAdd(uHi[j], uLo[j], sHi, sLo, a);
    if (!(a.hi > 0)) break;
    ddPow(a.hi, a.lo, eh, el, r);
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
    scaled(v, base, t, am1, r);
    ddAdd(r.hi, r.lo, sHi, sLo, a);
    if (!(a.hi > 0)) {
      out[p] = 0;
      continue;
    }
    ddPow(a.hi, a.lo, eh, el, r);
    ddDiv(r.hi, r.lo, sumHi, sumLo, r);
    out[p] = r.hi;
  }
}
