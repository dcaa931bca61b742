// Shape + axis -> a strided walk over rows. No transposes: a non-last axis is a stride.
import type { RowPlan } from "../kernels/kernels.js";

/**
 * Rows along `axis` of a row-major array of `shape`: there are `outer * inner` rows of `n` entries;
 * row (o, i) starts at `o * n * inner + i` and steps by `inner`.
 */
export function planRows(shape: readonly number[], axis: number): RowPlan {
  let outer = 1, inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, n: shape[axis], inner };
}

/** The shape of a reduction along `axis`: the axis removed, or kept with size 1. */
export function reducedShape(shape: readonly number[], axis: number, keepDims: boolean): number[] {
  const result = shape.slice();
  if (keepDims) result[axis] = 1;
  else result.splice(axis, 1);
  return result;
}
