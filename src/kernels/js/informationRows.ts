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
  if (Math.abs(s) <= 1 / 3) {
    let c = SERIES[SERIES.length - 1];
    for (let j = SERIES.length - 2; j >= 0; j--) c = c * s + SERIES[j];
    return (p + q) * (s * s) * c;
  }
  const r = p / q;
  const log = r > 0 && r < Infinity ? Math.log(r) : Math.log(p) - Math.log(q);
  return p * log - p + q;
}

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
