// The logistic function 1 / (1 + exp(-x)), elementwise. exp is only ever taken of -|x|, so it cannot
// overflow; for x < 0 the result is e / (1 + e) with e = exp(x), which keeps the digits of tiny results
// (down to the subnormals) where 1 - 1 / (1 + exp(-x)) would cancel to 0.
import type { FloatArray } from "../../types.js";

/** sigmoid(x) in float64: NaN -> NaN, +Infinity -> 1, -Infinity -> 0. */
export function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x); // NaN stays NaN here
  return e / (1 + e);
}

/** out[i] = sigmoid(x[i]), computed in float64 and rounded once when out is a Float32Array. `out` may be `x`. */
export function sigmoidArray(x: FloatArray, out: FloatArray): void {
  for (let i = 0; i < x.length; i++) out[i] = sigmoidOf(x[i]);
}
