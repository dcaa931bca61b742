// The sum at the heart of softmax, logSoftmax and logSumExp: the terms exp((x_j - max) / T) of the
// kept entries other than the maximum itself (whose term is exactly 1, and is left out so that
// log-sum-exp can use log1p of the rest without losing it to rounding).
//
// float64: x_j - max is rounded before exp amplifies its error (by |x_j - max| ulps: 700 at x = 1e4),
// which is where SciPy and NumPy lose up to 504 ulps on the accuracy fixtures. Two-sum (Knuth) recovers that
// rounding error t exactly, the division by T is made exact by its remainder, and the exponential
// takes s + t as a pair (exp.ts). The terms are added by Sum2 of Ogita, Rump & Oishi (2005), "Accurate
// sum and dot product" (SIAM J. Sci. Comput. 26(6)): each addition's rounding error is recovered by
// two-sum and the errors are summed apart. For positive terms the relative error is at most
// u + (n u)^2, whatever the row length; and only one addition per term is on the loop's critical path
// (Kahan's compensation has three).
//
// float32: the inputs are exact in float64 and the arithmetic is done there; the float64 rounding of
// x_j - max moves a float32 result by at most 2^-40 of its ulp, so no correction is needed.
import type { FloatArray } from "../../types.js";
import { divisionRemainder, sumError, type TemperatureParts } from "./doubleDouble.js";
import { expNonPositive } from "./exp.js";

/** The temperature as the kernels use it: T, and its split for exact remainders (null when T = 1). */
export interface Temperature {
  T: number;
  parts: TemperatureParts | null;
}

/** exp((v - max) / T), correct to about one ulp (v <= max, max finite). */
export function shiftedExp64(v: number, max: number, temperature: Temperature): number {
  const s = v - max;
  const t = sumError(v, -max, s); // s + t = v - max exactly
  const parts = temperature.parts;
  if (parts === null) return expNonPositive(s, t); // t is NaN only when s = -Infinity, whose exp is 0
  if (s === 0) return 1; // a tie with the maximum (and no 0 * Infinity when 1/T overflows)
  // (s + t) / T = q + (s - q T + t) / T, with q = s * (1/T) within an ulp or two of s / T
  const q = s * parts.inverse;
  if (q < -745.2) return 0;
  return expNonPositive(q, (divisionRemainder(s, q, parts) + t) * parts.inverse);
}

/** (v - max) / T - logSum as a correctly rounded-ish double (the log-softmax of a float64 entry). */
export function shiftedLog64(v: number, max: number, temperature: Temperature, logSum: number): number {
  const s = v - max;
  const t = sumError(v, -max, s);
  const parts = temperature.parts;
  if (parts === null) {
    const y = s - logSum;
    return t === t ? y + t : y; // the two-sum error is NaN when s is -Infinity
  }
  if (s === 0) return 0 - logSum; // +0, not -0, when logSum is 0 (as at temperature 1)
  const q = s * parts.inverse;
  if (!(q > -1e290)) return q - logSum; // -Infinity, or too far out for the remainder to matter
  return (q - logSum) + (divisionRemainder(s, q, parts) + t) * parts.inverse;
}

/**
 * Sum of the kept terms other than the one at `best` (flat index of the maximum). When `out` is given,
 * each term is stored there too: the maximum's as 1, masked entries as 0.
 */
export function sumShiftedExp64(
  x: Float64Array, off: number, stride: number, n: number, mask: Uint8Array | null,
  best: number, temperature: Temperature, out: Float64Array | null,
): number {
  const max = x[best];
  const end = off + n * stride;
  let sum = 0, comp = 0;
  for (let p = off; p !== end; p += stride) {
    if (p === best) {
      if (out !== null) out[p] = 1;
      continue;
    }
    if (mask !== null && mask[p] === 0) {
      if (out !== null) out[p] = 0;
      continue;
    }
    const e = shiftedExp64(x[p], max, temperature);
    if (out !== null) out[p] = e;
    const next = sum + e;
    const bb = next - sum;
    comp += (sum - (next - bb)) + (e - bb);
    sum = next;
  }
  return sum + comp;
}

/** The float32 counterpart of sumShiftedExp64 (float64 arithmetic, no correction needed). */
export function sumShiftedExp32(
  x: Float32Array, off: number, stride: number, n: number, mask: Uint8Array | null,
  best: number, T: number, out: Float32Array | null,
): number {
  const max = x[best];
  const end = off + n * stride;
  let sum = 0, comp = 0;
  for (let p = off; p !== end; p += stride) {
    if (p === best) {
      if (out !== null) out[p] = 1;
      continue;
    }
    if (mask !== null && mask[p] === 0) {
      if (out !== null) out[p] = 0;
      continue;
    }
    const e = expNonPositive(T === 1 ? x[p] - max : (x[p] - max) / T, 0);
    if (out !== null) out[p] = e;
    const next = sum + e;
    const bb = next - sum;
    comp += (sum - (next - bb)) + (e - bb);
    sum = next;
  }
  return sum + comp;
}

/** Divides every entry of the row by `total`, in place. */
export function divideRow(out: FloatArray, off: number, stride: number, n: number, total: number): void {
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) out[p] = out[p] / total;
}
