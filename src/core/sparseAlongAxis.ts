// The pipeline of the sparse maps onto the simplex (sparsemax, entmax15, entmax; API.md §6; their VJPs
// run in vjpAlongAxis.ts): every argument is read and checked once, rows are planned along the axis, and the JS
// row kernels walk the strided rows into a fresh array of the input's kind (or into `out`).
// entmax with alpha = 1 is softmax, and runs on the active softmax kernels.
import { activeKernels } from "../kernels/active.js";
import { temperatureParts } from "../kernels/js/doubleDouble.js";
import { DEFAULT_ITERATIONS, entmax15Row, entmaxBisectRow } from "../kernels/js/entmaxRows.js";
import type { Temperature } from "../kernels/js/shiftedExp.js";
import { sparsemaxRow } from "../kernels/js/sparsemaxRow.js";
import type { FloatArray, Nested, Tensor } from "../types.js";
import { rangeError, typeError } from "./describe.js";
import { readValues } from "./input.js";
import { readAxis, readMask, readOptions, readOut, readTemperature, resultArrays } from "./options.js";
import { toInputKind } from "./output.js";
import { planRows } from "./plan.js";

export type SparseMap = "sparsemax" | "entmax15" | "entmax";

function readAlpha(value: unknown, fn: string): number {
  const what = "alpha must be a finite number >= 1 (1 = softmax, 1.5 = entmax15, 2 = sparsemax)";
  if (typeof value !== "number") throw typeError(fn, what, value);
  if (!(value >= 1 && value < Infinity)) throw rangeError(fn, what, value);
  return value;
}

function readIterations(value: unknown, fn: string): number {
  if (value === undefined) return DEFAULT_ITERATIONS;
  const what = "iterations must be a positive integer (the cap on bisection steps)";
  if (typeof value !== "number") throw typeError(fn, what, value);
  if (!Number.isInteger(value) || value < 1) throw rangeError(fn, what, value);
  return value;
}

/**
 * Runs sparsemax (alpha 2), entmax15 (alpha 1.5) or entmax (options.alpha) along an axis. With
 * `bisection`, alpha 1.5 and 2 take the bisection path too (the tests compare it with the exact ones).
 */
export function sparseMapAlongAxis(op: SparseMap, x: unknown, options: unknown, bisection = false): Nested | FloatArray | Tensor {
  const input = readValues(x, op, "x");
  const o = readOptions(options, op);
  const alpha = op === "entmax" ? readAlpha(o.alpha, op) : op === "sparsemax" ? 2 : 1.5;
  const iterations = op === "entmax" ? readIterations(o.iterations, op) : DEFAULT_ITERATIONS;
  const axis = readAxis(o.axis, input.shape.length, op);
  const T = readTemperature(o.temperature, op);
  const mask = readMask(o.mask, input, op);
  const { out, data } = resultArrays(readOut(o.out, input, op), input, input.data.length, op);
  const plan = planRows(input.shape, axis);
  if (alpha === 1) {
    activeKernels().softmax(data, out, plan, { temperature: T, mask });
    return toInputKind(input, out, input.shape);
  }
  const t: Temperature = { T, parts: T === 1 || T === 0 || T === Infinity ? null : temperatureParts(T) };
  const method = bisection || (alpha !== 2 && alpha !== 1.5) ? "bisection" : alpha === 2 ? "sparsemax" : "entmax15";
  const { outer, n, inner } = plan;
  for (let o2 = 0; o2 < outer; o2++) {
    for (let i = 0; i < inner; i++) {
      const off = o2 * n * inner + i;
      if (method === "sparsemax") sparsemaxRow(data, out, off, inner, n, mask, t);
      else if (method === "entmax15") entmax15Row(data, out, off, inner, n, mask, t);
      else entmaxBisectRow(data, out, off, inner, n, mask, t, alpha, iterations);
    }
  }
  return toInputKind(input, out, input.shape);
}
