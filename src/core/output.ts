// Output: results go back to the caller's kind (nested arrays, a typed array, or a tensor).
import type { FloatArray, Nested, Tensor } from "../types.js";
import type { Input } from "./input.js";

/** The result in the input's kind; `shape` is the result's shape (the input's unless reduced). */
export function toInputKind(input: Input, data: FloatArray, shape: readonly number[]): Nested | FloatArray | Tensor {
  switch (input.kind) {
    case "nested":
      return unflatten(data, shape);
    case "typed":
      return data;
    case "tensor":
      return { data, shape: shape.slice() };
  }
}

/** A reduction's result: a plain number for a 1-D input without keepDims, else the input's kind. */
export function reductionResult(input: Input, data: FloatArray, shape: readonly number[]): number | Nested | FloatArray | Tensor {
  return shape.length === 0 ? data[0] : toInputKind(input, data, shape);
}

function unflatten(data: FloatArray, shape: readonly number[]): Nested {
  let offset = 0;
  const build = (depth: number): Nested => {
    const size = shape[depth];
    if (depth === shape.length - 1) {
      const row = new Array<number>(size);
      for (let i = 0; i < size; i++) row[i] = data[offset++];
      return row;
    }
    const rows = new Array<Nested>(size);
    for (let i = 0; i < size; i++) rows[i] = build(depth + 1);
    return rows as Nested;
  };
  return build(0);
}
