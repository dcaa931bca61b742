// Vector-Jacobian products of sparsemax and entmax15 along one strided row (API.md §6).
//
// On the support S (kept entries with p_i > 0) the Jacobian of alpha-entmax with respect to z is
// J = diag(s) - s s^T / sum(s), with s_i = p_i^(2 - alpha) (Martins & Astudillo 2016, eq. 12, for
// alpha = 2; Peters, Niculae & Martins 2019, Proposition 2, in general); off S it is 0. J is
// symmetric, so g^T J = s * (g - sum(s g) / sum(s)), divided by T for z = x / T:
//   sparsemax (s = 1):      (g_i - mean_S g) / T
//   entmax15 (s = sqrt p):  sqrt(p_i) (g_i - sum(sqrt(p) g) / sum(sqrt(p))) / T
// The weights s, both sums and their quotient c are kept in double-double (Dot2 / Sum2 of Ogita, Rump
// & Oishi 2005), so g_i - c loses nothing when the two are close.
import type { FloatArray } from "../../types.js";
import { ddAdd, ddDiv, ddSqrt, twoProd, twoSum, type DD } from "./doubleDouble.js";

const r: DD = { hi: 0, lo: 0 };
const s: DD = { hi: 0, lo: 0 };

/** Whether entry p is in the support: kept and p > 0 (a NaN probability counts, so that it shows). */
function inSupport(probs: FloatArray, mask: Uint8Array | null, p: number): boolean {
  return (mask === null || mask[p] !== 0) && !(probs[p] <= 0);
}

/** s = 1 (sparsemax) or sqrt(prob) (entmax15), in double-double. */
function weight(prob: number, sqrt: boolean, out: DD): void {
  if (sqrt) return ddSqrt(prob, 0, out);
  out.hi = 1;
  out.lo = 0;
}

export function sparseVjpRow(
  probs: FloatArray, g: Float64Array, out: FloatArray, off: number, stride: number, n: number,
  mask: Uint8Array | null, T: number, sqrt: boolean,
): void {
  const end = off + n * stride;
  let wHi = 0, wLo = 0, dotHi = 0, dotLo = 0;
  for (let p = off; p !== end; p += stride) {
    if (!inSupport(probs, mask, p)) continue;
    weight(probs[p], sqrt, s);
    ddAdd(wHi, wLo, s.hi, s.lo, r);
    wHi = r.hi;
    wLo = r.lo;
    twoProd(s.hi, g[p], r);
    ddAdd(dotHi, dotLo, r.hi, r.lo + s.lo * g[p], r);
    dotHi = r.hi;
    dotLo = r.lo;
  }
  ddDiv(dotHi, dotLo, wHi, wLo, r);
  const cHi = r.hi, cLo = r.lo;
  for (let p = off; p !== end; p += stride) {
    if (T === 0 || !inSupport(probs, mask, p)) {
      out[p] = 0;
      continue;
    }
    weight(probs[p], sqrt, s); // read before out[p] is written: out may be probs
    twoSum(g[p], -cHi, r);
    const dHi = r.hi, dLo = r.lo - cLo;
    twoProd(s.hi, dHi, r);
    const v = r.hi + (r.lo + s.hi * dLo + s.lo * dHi);
    out[p] = T === 1 ? v : v / T;
  }
}
