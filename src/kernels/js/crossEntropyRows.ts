// Cross-entropy of one row straight from its logits: the loss -sum_c a_c logSoftmax(x)_c and, when
// asked, its gradient A softmax(x)_c - a_c (A = sum_c a_c), from one exp pass. crossEntropyFromProbs.ts
// finishes most rows from the batch's softmax; this is the path for rows whose probabilities underflowed. The coefficients a_c carry the
// target, the class weights and the label smoothing (torch.nn.functional.cross_entropy):
//   class index y:  a_c = (1 - eps) w_y [c = y] + (eps / C) w_c
//   probabilities t: a_c = w_c ((1 - eps) t_c + eps / C)
// log-softmax is taken as (x_c - max) - log1p(rest), never as log(softmax): a logit 1e4 below the max
// gives a loss of 1e4, not Infinity, and a tiny loss (the target far ahead) keeps every digit. At the
// maximum the gradient A p - a cancels when p is near 1; there it is (A - a_best) - A rest / (1 + rest),
// whose parts are exact sums of the other terms. Rows are gathered into float64 first, so float32
// logits are computed in float64 and rounded once.
import type { FloatArray } from "../../types.js";
import { sumError } from "./doubleDouble.js";
import { argmaxRow, REGULAR, rowCase, writeEdgeRow } from "./rowCases.js";
import { shiftedLog64, sumShiftedExp64, type Temperature } from "./shiftedExp.js";

const ONE: Temperature = { T: 1, parts: null };

/** Work space for one row of n classes (reused across rows). */
export interface RowSpace {
  x: Float64Array;
  e: Float64Array;
  a: Float64Array;
  logP: Float64Array;
}

export function rowSpace(n: number): RowSpace {
  return { x: new Float64Array(n), e: new Float64Array(n), a: new Float64Array(n), logP: new Float64Array(n) };
}

/** Copies the strided row into space.x (float64). */
export function gatherRow(x: FloatArray, off: number, stride: number, n: number, into: Float64Array): void {
  for (let c = 0, p = off; c < n; c++, p += stride) into[c] = x[p];
}

/**
 * The loss of the row in space.x with coefficients space.a (n of them), and, when `grad` is given,
 * `scale` times its gradient written to grad[off + c * stride].
 */
export function crossEntropyRow(
  space: RowSpace, n: number, grad: FloatArray | null, off: number, stride: number, scale: number,
): number {
  const { x, e, a } = space;
  let total = 0;
  for (let c = 0; c < n; c++) total += a[c];
  const best = argmaxRow(x, 0, 1, n, null, null);
  const kind = rowCase(x, 0, 1, n, null, null, best, 1);
  if (kind !== REGULAR) return edgeRow(space, n, total, kind, best, grad, off, stride, scale);
  const rest = sumShiftedExp64(x, 0, 1, n, null, best, ONE, grad === null ? null : e);
  const logSum = Math.log1p(rest);
  if (logSum !== logSum) { // a NaN logit
    if (grad !== null) for (let c = 0, p = off; c < n; c++, p += stride) grad[p] = NaN;
    return NaN;
  }
  const max = x[best];
  let loss = 0, comp = 0;
  for (let c = 0; c < n; c++) {
    const ac = a[c];
    if (ac === 0) continue;
    const term = -ac * shiftedLog64(x[c], max, ONE, logSum);
    const next = loss + term;
    comp += sumError(loss, term, next);
    loss = next;
  }
  if (grad !== null) {
    const sum = 1 + rest;
    const others = otherSum(a, n, best);
    for (let c = 0, p = off; c < n; c++, p += stride) {
      grad[p] = c === best
        ? scale * (others - total * (rest / sum))
        : scale * (total * (e[c] / sum) - a[c]);
    }
  }
  return Number.isFinite(loss) ? loss + comp : loss; // an infinite term (a -Infinity logit) leaves comp NaN
}

/** sum of a_c over c != skip. */
function otherSum(a: Float64Array, n: number, skip: number): number {
  let s = 0;
  for (let c = 0; c < n; c++) if (c !== skip) s += a[c];
  return s;
}

/**
 * Rows with a NaN, a +Infinity or nothing above -Infinity: softmax and log-softmax take their API.md §2
 * values (1/k on the k entries at +Infinity; all 0 and -Infinity when every logit is -Infinity), and a
 * zero coefficient times a -Infinity log-probability counts as 0.
 */
function edgeRow(
  space: RowSpace, n: number, total: number, kind: Parameters<typeof writeEdgeRow>[0], best: number,
  grad: FloatArray | null, off: number, stride: number, scale: number,
): number {
  const { x, e, a, logP } = space;
  writeEdgeRow(kind, x, e, 0, 1, n, null, best, false);
  writeEdgeRow(kind, x, logP, 0, 1, n, null, best, true);
  let loss = 0;
  for (let c = 0; c < n; c++) if (a[c] !== 0 || logP[c] !== logP[c]) loss -= a[c] * logP[c];
  if (grad !== null) for (let c = 0, p = off; c < n; c++, p += stride) grad[p] = scale * (total * e[c] - a[c]);
  return loss;
}

/** Zeroes a strided row of the gradient (an ignored sample). */
export function zeroRow(grad: FloatArray, off: number, stride: number, n: number): void {
  for (let c = 0, p = off; c < n; c++, p += stride) grad[p] = 0;
}
