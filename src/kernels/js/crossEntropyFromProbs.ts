// Cross-entropy and its gradient finished from softmax probabilities p (computed beforehand by the
// active kernel set, over the whole batch: the one exp pass). The loss needs log p_c only where the
// target's coefficient a_c is not 0 (once per row for a class index):
//   p_c <= 1/2: log p_c, within an ulp or two of log-softmax since p_c is within an ulp or two;
//   p_c > 1/2 (at most one entry): -log1p(others / p_c), others = sum of the other p_j, so a loss of
//   1e-18 (p_c = 1 - 1e-18, which rounds to 1) keeps its digits. The gradient A p_c - a_c there is
//   (A - a_c) - A others / total for the same reason.
// A p_c that underflowed (or fell where the output format has lost precision) cannot give log p_c: such
// rows return NaN as a request to be redone from the logits (crossEntropyRows.ts).
import type { FloatArray } from "../../types.js";
import { sumError } from "./doubleDouble.js";

/** Below these, p has lost relative precision (float32 / float64 outputs): the row is redone. */
export const TINY_32 = 2 ** -100;
export const TINY_64 = 2 ** -960;

/** Returned instead of the loss (which is never negative) when the row must be redone from the logits. */
export const REDO = -1;

/**
 * Class index y with coefficient w (a_c = w [c = y]). p and grad are strided rows at `off`; grad
 * receives scale * (A p - a) and may be p itself.
 */
export function oneHotFromProbs(
  p: FloatArray, grad: FloatArray | null, off: number, stride: number, n: number,
  y: number, w: number, scale: number, tiny: number,
): number {
  const py = p[off + y * stride];
  if (!(py >= tiny) && py === py) return REDO;
  let others = 0;
  const end = off + n * stride, at = off + y * stride;
  const g = scale * w;
  if (grad === null) {
    for (let q = off; q !== end; q += stride) if (q !== at) others += p[q];
  } else {
    for (let q = off; q !== end; q += stride) {
      if (q === at) continue;
      const v = p[q];
      others += v;
      grad[q] = g * v;
    }
    grad[at] = py > 0.5 ? -g * (others / (py + others)) : g * (py - 1);
  }
  if (w === 0) return 0;
  return w * (py > 0.5 ? Math.log1p(others / py) : -Math.log(py));
}

/**
 * Any coefficients a (length n, float64): the loss -sum a_c log p_c and the gradient.
 */
export function denseFromProbs(
  p: FloatArray, grad: FloatArray | null, off: number, stride: number, n: number,
  a: Float64Array, scale: number, tiny: number,
): number {
  // At most one p_c exceeds 1/2 (`big`); `small` sums the others, exactly the "others" of that entry.
  let small = 0, A = 0, big = -1;
  for (let c = 0, q = off; c < n; c++, q += stride) {
    const v = p[q];
    if (a[c] !== 0 && !(v >= tiny) && v === v) return REDO;
    if (v > 0.5) big = c;
    else small += v;
    A += a[c];
  }
  const pBig = big < 0 ? 0 : p[off + big * stride];
  const total = small + pBig;
  let loss = 0, comp = 0;
  for (let c = 0, q = off; c < n; c++, q += stride) {
    const ac = a[c];
    if (ac === 0) continue;
    const v = p[q];
    const logP = c === big ? -Math.log1p(small / v) : Math.log(v);
    const term = -ac * logP;
    const next = loss + term;
    comp += sumError(loss, term, next);
    loss = next;
  }
  if (grad !== null) {
    let aOthers = 0;
    if (big >= 0) for (let c = 0; c < n; c++) if (c !== big) aOthers += a[c];
    for (let c = 0, q = off; c < n; c++, q += stride) {
      grad[q] = c === big ? scale * (aOthers - A * (small / total)) : scale * (A * p[q] - a[c]);
    }
  }
  return Number.isFinite(loss) ? loss + comp : loss;
}
