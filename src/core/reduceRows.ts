// The pipeline of the information measures (entropy, klDivergence): read the distribution(s) once,
// check they are probabilities, reduce each row along the axis with a row function, and return a
// number (1-D input) or the reduced array in the input's kind.
import type { FloatArray, Nested, Tensor } from "../types.js";
import { rangeError } from "./describe.js";
import { allocate } from "./floatArrays.js";
import { product, readValues, type Input } from "./input.js";
import { readAxis, readBoolean, readOptions, readPartner } from "./options.js";
import { reductionResult } from "./output.js";
import { planRows, reducedShape } from "./plan.js";

type RowFn = (p: FloatArray, q: Float64Array, off: number, stride: number, n: number) => number;

/** Negative entries (and -Infinity) are refused; NaN passes through to a NaN result, as in softmax. */
function checkProbabilities(data: ArrayLike<number>, name: string, fn: string): void {
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0) throw rangeError(fn, `${name}[${i}] must be a probability (>= 0)`, data[i]);
  }
}

export function reduceRows(
  fn: string, p: unknown, q: unknown, options: unknown, names: [string, string?], row: RowFn,
): number | Nested | FloatArray | Tensor {
  const input: Input = readValues(p, fn, names[0]);
  checkProbabilities(input.data, names[0], fn);
  const partner = names[1] === undefined ? new Float64Array(0) : readPartner(q, input, names[1], fn);
  if (names[1] !== undefined) checkProbabilities(partner, names[1], fn);
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const keepDims = readBoolean(o.keepDims, "keepDims", fn);
  const shape = reducedShape(input.shape, axis, keepDims);
  const out = allocate(input.float, product(shape));
  const { outer, n, inner } = planRows(input.shape, axis);
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) out[a * inner + i] = row(input.data, partner, a * n * inner + i, inner, n);
  }
  return reductionResult(input, out, shape);
}
