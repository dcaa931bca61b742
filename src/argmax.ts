import { indicesAlongAxis, type IndexTensor, type Indices } from "./core/indexOutput.js";
import { readValues } from "./core/input.js";
import { readAxis, readBoolean, readMask, readOptions } from "./core/options.js";
import { firstMaxIndex } from "./kernels/js/firstMaxIndex.js";
import type { FloatArray, Mask, NestedInput, TensorInput, Values } from "./types.js";
import type { NestedReduced, NestedResult } from "./nestedTypes.js";

export interface ArgmaxOptions {
  /** The axis to reduce; default -1 (the last). Negative values count from the end. */
  axis?: number;
  /** Keep the reduced axis with size 1 (default false). */
  keepDims?: boolean;
  /** Entries whose mask is falsy are not candidates. */
  mask?: Mask;
}

type Kept = ArgmaxOptions & { keepDims: true };
type Dropped = ArgmaxOptions & { keepDims?: false };

/**
 * The index of the first maximum along `axis`, as NumPy's `argmax`: a NaN beats every number (the
 * first NaN wins), and -0 and 0 tie (the first wins). The axis is removed (kept with size 1 under
 * `keepDims`); a 1-D input gives a plain number.
 *
 * ```ts
 * argmax([[1, 3, 3], [NaN, 5, NaN]]); // [1, 0]
 * ```
 *
 * Returns a number for a 1-D input, `number[]` (nested one level less) for nested input, an
 * `{ data: Int32Array, shape }` for a tensor, and an `Int32Array` for a typed array with `keepDims`.
 *
 * Edge cases: masked entries are not candidates; a row with no candidate (every entry masked, or an
 * empty axis) gives -1. -Infinity is a candidate: a row of -Infinity gives 0.
 *
 * Method: one pass over each strided row, keeping the first strictly greater value.
 */
export function argmax(x: FloatArray | readonly number[], options?: Dropped): number;
export function argmax(x: FloatArray, options: Kept): Int32Array;
export function argmax(x: TensorInput, options: Kept): IndexTensor;
/** A 1-D tensor reduces to a number; higher ranks to a tensor. */
export function argmax(x: TensorInput, options?: Dropped): IndexTensor | number;
export function argmax<X extends NestedInput>(x: X, options: Kept): NestedResult<X>;
export function argmax<X extends NestedInput>(x: X, options?: Dropped): NestedReduced<X>;
/** keepDims known only at run time. */
export function argmax(x: Values, options?: ArgmaxOptions): Indices;
export function argmax(x: unknown, options?: unknown): Indices {
  const fn = "argmax";
  const input = readValues(x, fn, "x");
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const keepDims = readBoolean(o.keepDims, "keepDims", fn);
  const mask = readMask(o.mask, input, fn);
  return indicesAlongAxis(input, axis, keepDims, (off, stride, n) => firstMaxIndex(input.data, off, stride, n, mask));
}
