import { rangeError } from "./core/describe.js";
import { readValues } from "./core/input.js";
import { readOptions, readTemperature } from "./core/options.js";
import { softmaxRow64 } from "./kernels/js/softmaxRows.js";
import { temperatureParts } from "./kernels/js/doubleDouble.js";

/**
 * The K x K Jacobian of softmax(x / T) for a 1-D x: J[i][j] = p_i (delta_ij - p_j) / T.
 *
 * ```ts
 * softmaxJacobian([0, 0]); // [[0.25, -0.25], [-0.25, 0.25]]
 * ```
 *
 * `number[]` gives `number[][]`; a typed array gives a typed array of K * K entries, row-major. The
 * matrix is symmetric and its rows sum to 0. Temperature 0 gives zeros (the limit map is piecewise
 * constant), Infinity too. Method: p in float64 (float32 inputs included, rounded once at the end);
 * on the diagonal of the one entry that can exceed 1/2, 1 - p_i is formed as the sum of the other
 * p_j, so a near one-hot row keeps its digits.
 */
export function softmaxJacobian(x: readonly number[], options?: { temperature?: number }): number[][];
export function softmaxJacobian(x: Float32Array, options?: { temperature?: number }): Float32Array;
export function softmaxJacobian(x: Float64Array, options?: { temperature?: number }): Float64Array;
export function softmaxJacobian(x: unknown, options?: unknown): unknown {
  const fn = "softmaxJacobian";
  const input = readValues(x, fn, "x");
  if (input.kind === "tensor" || input.shape.length !== 1) {
    throw rangeError(fn, `x must be 1-D (a number[] or a typed array), but has shape [${input.shape.join(", ")}]`, x);
  }
  const T = readTemperature(readOptions(options, fn).temperature, fn);
  const K = input.data.length;
  const J = new Float64Array(K * K);
  if (T !== 0 && T !== Infinity) {
    const p = new Float64Array(K);
    const parts = T === 1 ? null : temperatureParts(T);
    softmaxRow64(Float64Array.from(input.data), p, 0, 1, K, null, { T, parts });
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const v = i !== j ? -p[i] * p[j] : p[i] > 0.5 ? p[i] * othersSum(p, i) : p[i] * (1 - p[i]);
        J[i * K + j] = T === 1 ? v : v / T;
      }
    }
  }
  if (input.kind === "typed") return input.float === "float32" ? Float32Array.from(J) : J;
  const rows: number[][] = [];
  for (let i = 0; i < K; i++) rows.push(Array.from(J.subarray(i * K, i * K + K)));
  return rows;
}

function othersSum(p: Float64Array, skip: number): number {
  let s = 0;
  for (let j = 0; j < p.length; j++) if (j !== skip) s += p[j];
  return s;
}
