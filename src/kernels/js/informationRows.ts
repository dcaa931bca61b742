// Entropy and Kullback-Leibler divergence of one strided row, in nats, with 0 log 0 = 0.
//
// KL: sum p log(p / q) is written as S + sum(p - q), S = sum (p log(p / q) - p + q). Each term of S is
// q phi(p / q) with phi(r) = r log r - r + 1 >= 0, so S adds non-negative terms and cannot cancel; near
// r = 1, where phi(r) ~ (r - 1)^2 / 2 would cancel if formed directly, the term is evaluated as
// (p + q) s^2 C(s) with s = (p - q) / (p + q) and C(s) = 1 + s/3 + s^2/3 + s^3/5 + s^4/5 + ...
// (from log(p / q) = 2 atanh(s)). The small correction sum(p - q) (0 for normalised inputs) is summed
// with its rounding errors recovered (two-sum), so the result is the value of the formula for the
// floats given, not one shifted by their normalisation errors.
import type { FloatArray } from "../../types.js";
import { sumError } from "./doubleDouble.js";

/** C(s) coefficients: 1, 1/3, 1/3, 1/5, 1/5, ... enough for |s| <= 1/3 to 2^-56. */
const SERIES = (() => {
  const c = [1];
  for (let m = 1; c.length < 36; m++) c.push(1 / (2 * m + 1), 1 / (2 * m + 1));
  return Float64Array.from(c);
})();

/** q phi(p / q) = p log(p / q) - p + q, for p, q >= 0 (Infinity when q = 0 < p). */
export function klTerm(p: number, q: number): number {
  if (p === 0) return q;
  if (q === 0) return Infinity;
  const s = (p - q) / (p + q);
  if (Math.abs(s) <= 1 / 3) return (p + q) * seriesTerm(s);
  const r = p / q;
  const log = r > 0 && r < Infinity ? Math.log(r) : Math.log(p) - Math.log(q);
  return p * log - p + q;
}

/**
 * KL(p || q) of two distributions given with their logs (lp, lq: log-softmax, accurate where p and q
 * are tiny or near 1). Both sum to 1 exactly in exact arithmetic, so the correction sum(p - q) is 0 and
 * the result is the sum of the non-negative terms q phi(p / q) alone, with log(p / q) = lp - lq: a
 * divergence carried by classes of probability 1e-176 comes out as such, not as the rounding noise of
 * the terms near 1. A row where p is all 0 (a teacher with nothing kept) gives 0.
 */
export function klFromLogProbs(p: Float64Array, q: Float64Array, lp: Float64Array, lq: Float64Array, n: number): number {
  let sum = 0, comp = 0, mass = 0;
  for (let c = 0; c < n; c++) {
    const pc = p[c], qc = q[c];
    mass += pc;
    let t: number;
    if (pc === 0) t = qc;
    else if (qc === 0 && lq[c] === -Infinity) t = Infinity;
    else {
      const delta = lp[c] - lq[c];
      t = Math.abs(delta) <= LOG2 ? (pc + qc) * seriesTerm(Math.tanh(delta / 2)) : pc * delta - pc + qc;
    }
    const next = sum + t;
    comp += sumError(sum, t, next);
    sum = next;
  }
  if (mass === 0) return mass !== mass ? NaN : 0;
  return Number.isFinite(sum) ? sum + comp : sum;
}

/** s^2 C(s), which times (p + q) is q phi(p / q) when s = (p - q) / (p + q); for |s| <= 1/3. */
function seriesTerm(s: number): number {
  let c = SERIES[SERIES.length - 1];
  for (let j = SERIES.length - 2; j >= 0; j--) c = c * s + SERIES[j];
  return s * s * c;
}

/** 2 atanh(1/3) = log 2: |log(p / q)| up to which the series is used. */
const LOG2 = Math.LN2;

export function klDivergenceRow(p: FloatArray, q: Float64Array, off: number, stride: number, n: number): number {
  const end = off + n * stride;
  let s = 0, sComp = 0, d = 0, dComp = 0;
  for (let i = off; i !== end; i += stride) {
    const pi = p[i], qi = q[i];
    const t = klTerm(pi, qi);
    const sNext = s + t;
    sComp += sumError(s, t, sNext);
    s = sNext;
    const diff = pi - qi;
    const dNext = d + diff;
    dComp += sumError(pi, -qi, diff) + sumError(d, diff, dNext);
    d = dNext;
  }
  if (s === Infinity || s !== s) return s;
  return (s + sComp) + (d + dComp);
}

/** -sum p log p, with 0 log 0 = 0. */
export function entropyRow(p: FloatArray, off: number, stride: number, n: number): number {
  const end = off + n * stride;
  let sum = 0, comp = 0;
  for (let i = off; i !== end; i += stride) {
    const v = p[i];
    if (v === 0) continue;
    const t = -v * Math.log(v);
    const next = sum + t;
    comp += sumError(sum, t, next);
    sum = next;
  }
  return Number.isFinite(sum) ? sum + comp : sum; // an infinite term leaves comp NaN
}
