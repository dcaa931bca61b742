// softmax and logSoftmax of one strided row (max-shift; two-sum exact shift in float64; log-softmax
// from log1p of the non-max terms, so far-tail entries keep their value instead of becoming -Infinity).
import { argmaxRow, fillRow, isKept, REGULAR, rowCase, writeEdgeRow } from "./rowCases.js";
import { divideRow, shiftedLog64, sumShiftedExp32, sumShiftedExp64, type Temperature } from "./shiftedExp.js";

export function softmaxRow64(
  x: Float64Array, out: Float64Array, off: number, stride: number, n: number,
  mask: Uint8Array | null, temperature: Temperature,
): void {
  const best = argmaxRow(x, off, stride, n, mask, null);
  const kind = rowCase(x, off, stride, n, mask, null, best, temperature.T);
  if (kind !== REGULAR) return writeEdgeRow(kind, x, out, off, stride, n, mask, best, false);
  const rest = sumShiftedExp64(x, off, stride, n, mask, best, temperature, out);
  if (rest !== rest) return fillRow(out, off, stride, n, NaN);
  divideRow(out, off, stride, n, 1 + rest);
}

export function softmaxRow32(
  x: Float32Array, out: Float32Array, off: number, stride: number, n: number,
  mask: Uint8Array | null, T: number,
): void {
  const best = argmaxRow(x, off, stride, n, mask, null);
  const kind = rowCase(x, off, stride, n, mask, null, best, T);
  if (kind !== REGULAR) return writeEdgeRow(kind, x, out, off, stride, n, mask, best, false);
  const rest = sumShiftedExp32(x, off, stride, n, mask, best, T, out);
  if (rest !== rest) return fillRow(out, off, stride, n, NaN);
  divideRow(out, off, stride, n, 1 + rest);
}

export function logSoftmaxRow64(
  x: Float64Array, out: Float64Array, off: number, stride: number, n: number,
  mask: Uint8Array | null, temperature: Temperature,
): void {
  const best = argmaxRow(x, off, stride, n, mask, null);
  const kind = rowCase(x, off, stride, n, mask, null, best, temperature.T);
  if (kind !== REGULAR) return writeEdgeRow(kind, x, out, off, stride, n, mask, best, true);
  const rest = sumShiftedExp64(x, off, stride, n, mask, best, temperature, null);
  if (rest !== rest) return fillRow(out, off, stride, n, NaN);
  const logSum = Math.log1p(rest);
  const max = x[best];
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    out[p] = isKept(p, mask, null) ? shiftedLog64(x[p], max, temperature, logSum) : -Infinity;
  }
}

export function logSoftmaxRow32(
  x: Float32Array, out: Float32Array, off: number, stride: number, n: number,
  mask: Uint8Array | null, T: number,
): void {
  const best = argmaxRow(x, off, stride, n, mask, null);
  const kind = rowCase(x, off, stride, n, mask, null, best, T);
  if (kind !== REGULAR) return writeEdgeRow(kind, x, out, off, stride, n, mask, best, true);
  const rest = sumShiftedExp32(x, off, stride, n, mask, best, T, null);
  if (rest !== rest) return fillRow(out, off, stride, n, NaN);
  const logSum = Math.log1p(rest);
  const max = x[best];
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    out[p] = isKept(p, mask, null) ? (T === 1 ? x[p] - max : (x[p] - max) / T) - logSum : -Infinity;
  }
}
