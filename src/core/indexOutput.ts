// The reductions that give an index per row (argmax, sampleCategorical): one Int32Array entry per
// row, in the row-major order of the reduced shape, returned in the kind that matches the input.
import type { Nested } from "../types.js";
import { product, type Input } from "./input.js";
import { toInputKind } from "./output.js";
import { planRows, reducedShape } from "./plan.js";

/** A tensor of indices: what argmax and sampleCategorical return for a tensor input. */
export interface IndexTensor {
  data: Int32Array;
  shape: readonly number[];
}

/** What a reduction to indices returns: a number (1-D input), nested arrays, an Int32Array or an {@link IndexTensor}. */
export type Indices = number | Nested | Int32Array | IndexTensor;

/**
 * Calls `row(off, stride, n, r)` for each row r along `axis` (rows in the row-major order of the
 * result) and returns the indices it gives, in the input's kind (see {@link Indices}).
 */
export function indicesAlongAxis(
  input: Input, axis: number, keepDims: boolean,
  row: (off: number, stride: number, n: number, r: number) => number,
): Indices {
  const { outer, n, inner } = planRows(input.shape, axis);
  const shape = reducedShape(input.shape, axis, keepDims);
  const indices = new Int32Array(product(shape));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) indices[o * inner + i] = row(o * n * inner + i, inner, n, o * inner + i);
  }
  if (shape.length === 0) return indices[0];
  switch (input.kind) {
    case "nested":
      return toInputKind(input, Float64Array.from(indices), shape) as Nested;
    case "typed":
      return indices;
    case "tensor":
      return { data: indices, shape };
  }
}
