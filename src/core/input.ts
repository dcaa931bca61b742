// Input normalisation: nested arrays, bare typed arrays and tensors become { kind, data, shape }.
// Nested arrays are copied into a fresh Float64Array; typed data is used in place and never written.
import type { FloatArray } from "../types.js";
import { rangeError, typeError } from "./describe.js";
import { floatKindOf, type FloatKind } from "./floatArrays.js";

export type InputKind = "nested" | "typed" | "tensor";

export interface Input {
  kind: InputKind;
  /** float32 for Float32Array data; float64 otherwise (nested arrays compute in float64). */
  float: FloatKind;
  data: FloatArray;
  shape: number[];
}

const KINDS = "a number[], nested number[][], Float32Array, Float64Array or { data, shape } tensor";

export function readValues(x: unknown, fn: string, name: string): Input {
  if (Array.isArray(x)) {
    const shape = nestedShape(x);
    const data = new Float64Array(product(shape));
    flattenInto(x, shape, 0, data, 0, numberLeaf, fn, name);
    return { kind: "nested", float: "float64", data, shape };
  }
  const float = floatKindOf(x);
  if (float) return { kind: "typed", float, data: x as FloatArray, shape: [(x as FloatArray).length] };
  if (ArrayBuffer.isView(x)) {
    throw typeError(fn, `${name} must be a Float32Array or Float64Array (other typed arrays are not floats)`, x);
  }
  if (typeof x === "object" && x !== null && "data" in x) return readTensor(x as Record<string, unknown>, fn, name);
  throw typeError(fn, `${name} must be ${KINDS}`, x);
}

function readTensor(t: Record<string, unknown>, fn: string, name: string): Input {
  const float = floatKindOf(t.data);
  if (!float) throw typeError(fn, `${name}.data must be a Float32Array or Float64Array`, t.data);
  const data = t.data as FloatArray;
  const shape = readShape(t, fn, name);
  if (product(shape) !== data.length) {
    throw rangeError(fn, `${name}.shape [${shape.join(", ")}] holds ${product(shape)} elements but ${name}.data has ${data.length}`, data);
  }
  return { kind: "tensor", float, data, shape };
}

/** A tensor's `shape`, or its alias `dims`; both given must agree. */
export function readShape(t: Record<string, unknown>, fn: string, name: string): number[] {
  const raw = t.shape ?? t.dims;
  const field = t.shape !== undefined ? "shape" : "dims";
  if (!Array.isArray(raw)) throw typeError(fn, `${name}.shape (or ${name}.dims) must be an array of sizes`, raw);
  const shape = raw.map((size, i) => {
    if (typeof size !== "number") throw typeError(fn, `${name}.${field}[${i}] must be a number`, size);
    if (!Number.isInteger(size) || size < 0) throw rangeError(fn, `${name}.${field}[${i}] must be a non-negative integer`, size);
    return size;
  });
  if (t.shape !== undefined && t.dims !== undefined) {
    const dims = t.dims as unknown[];
    if (!Array.isArray(dims) || dims.length !== shape.length || dims.some((d, i) => d !== shape[i])) {
      throw rangeError(fn, `${name}.shape and ${name}.dims disagree`, t.dims);
    }
  }
  return shape;
}

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const size of shape) n *= size;
  return n;
}

/** The shape of a nested array, read down its first elements; the flattening pass checks the rest. */
export function nestedShape(x: readonly unknown[]): number[] {
  const shape: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/** Reads one leaf of a nested array; returns undefined when the leaf is of the wrong kind. */
export interface LeafReader {
  read(v: unknown): number | undefined;
  /** What a leaf must be, for the error message ("a number"). */
  what: string;
}

export const numberLeaf: LeafReader = { read: (v) => (typeof v === "number" ? v : undefined), what: "a number" };

/** Copies a rectangular nested array into `out` from `offset`; returns the next offset. */
export function flattenInto(
  x: readonly unknown[], shape: readonly number[], depth: number,
  out: { [i: number]: number }, offset: number, leaf: LeafReader, fn: string, path: string,
): number {
  if (x.length !== shape[depth]) {
    throw rangeError(fn, `${path} has length ${x.length} but the rows before it have ${shape[depth]} (ragged nesting)`, x);
  }
  const atLeaves = depth === shape.length - 1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (atLeaves) {
      const value = leaf.read(v);
      if (value === undefined) {
        if (Array.isArray(v)) throw rangeError(fn, `${path}[${i}] is an array where ${leaf.what} was expected (ragged nesting)`, v);
        throw typeError(fn, `${path}[${i}] must be ${leaf.what}`, v);
      }
      out[offset++] = value;
    } else if (Array.isArray(v)) {
      offset = flattenInto(v, shape, depth + 1, out, offset, leaf, fn, `${path}[${i}]`);
    } else if (leaf.read(v) !== undefined) {
      throw rangeError(fn, `${path}[${i}] is ${leaf.what} where an array was expected (ragged nesting)`, v);
    } else {
      throw typeError(fn, `${path}[${i}] must be an array`, v);
    }
  }
  return offset;
}

/**
 * The name of entry `index` of `input.data` in the caller's terms: `probs[2][1]` for nested arrays,
 * `probs[7]` for typed arrays, `probs.data[7]` for tensors.
 */
export function entryName(input: Input, name: string, index: number): string {
  if (input.kind === "typed") return `${name}[${index}]`;
  if (input.kind === "tensor") return `${name}.data[${index}]`;
  let path = "";
  for (let d = input.shape.length - 1; d >= 0; d--) {
    const size = input.shape[d];
    path = `[${index % size}]` + path;
    index = Math.floor(index / size);
  }
  return name + path;
}
