// Vector-Jacobian products of softmax and logSoftmax along one strided row (API.md §4):
//   softmax:    p * (g - sum(g * p)) / T
//   logSoftmax: (g - exp(lp) * sum(g)) / T
// Masked entries are constants of the forward map: they take no part in the sums and get 0.
// The sums are Ogita, Rump & Oishi's Dot2 / Sum2 ("Accurate sum and dot product", SIAM J. Sci.
// Comput. 26(6), 2005), kept as hi + lo so that g_i minus the sum loses nothing when they are close.
import type { FloatArray } from "../../types.js";
import { sumError, twoProd, type DD } from "./doubleDouble.js";

const dd: DD = { hi: 0, lo: 0 };

function kept(mask: Uint8Array | null, p: number): boolean {
  return mask === null || mask[p] !== 0;
}

export function softmaxVjpRow(
  probs: FloatArray, g: Float64Array, out: FloatArray, off: number, stride: number, n: number,
  mask: Uint8Array | null, T: number,
): void {
  const end = off + n * stride;
  let hi = 0, lo = 0;
  for (let p = off; p !== end; p += stride) {
    if (!kept(mask, p)) continue;
    twoProd(g[p], probs[p], dd);
    const s = hi + dd.hi;
    lo += sumError(hi, dd.hi, s) + dd.lo;
    hi = s;
  }
  const dot = hi + lo, dotLo = lo - (dot - hi);
  for (let p = off; p !== end; p += stride) {
    if (!kept(mask, p) || T === 0) {
      out[p] = 0;
      continue;
    }
    const v = probs[p] * ((g[p] - dot) - dotLo);
    out[p] = T === 1 ? v : v / T;
  }
}

export function logSoftmaxVjpRow(
  logProbs: FloatArray, g: Float64Array, out: FloatArray, off: number, stride: number, n: number,
  mask: Uint8Array | null, T: number,
): void {
  const end = off + n * stride;
  let sum = 0, comp = 0;
  for (let p = off; p !== end; p += stride) {
    if (!kept(mask, p)) continue;
    const v = g[p], next = sum + v;
    comp += sumError(sum, v, next);
    sum = next;
  }
  const total = sum + comp;
  for (let p = off; p !== end; p += stride) {
    if (!kept(mask, p) || T === 0) {
      out[p] = 0;
      continue;
    }
    const lp = logProbs[p];
    const v = lp === -Infinity ? g[p] : g[p] - Math.exp(lp) * total;
    out[p] = T === 1 ? v : v / T;
  }
}
