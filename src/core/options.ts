// Option readers: each validates one option once, before any kernel runs, and names the value it got.
import { rangeError, typeError } from "./describe.js";
import { allocate, floatKindOf } from "./floatArrays.js";
import { flattenInto, nestedShape, numberLeaf, product, readShape, type Input, type LeafReader } from "./input.js";
import type { FloatArray } from "../types.js";

export function readOptions(options: unknown, fn: string): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) throw typeError(fn, "options must be an object", options);
  return options as Record<string, unknown>;
}

/** The axis as a non-negative index; default -1 (the last). */
export function readAxis(value: unknown, rank: number, fn: string): number {
  if (value === undefined) value = -1;
  if (typeof value !== "number") throw typeError(fn, "axis must be an integer", value);
  if (rank === 0) throw rangeError(fn, "x has no axis (it is 0-D, shape [])", value);
  if (!Number.isInteger(value) || value < -rank || value >= rank) {
    throw rangeError(fn, `axis must be an integer in [${-rank}, ${rank - 1}] for a ${rank}-D input`, value);
  }
  return value < 0 ? value + rank : value;
}

export function readTemperature(value: unknown, fn: string): number {
  if (value === undefined) return 1;
  if (typeof value !== "number") throw typeError(fn, "temperature must be a number", value);
  if (!(value >= 0)) throw rangeError(fn, "temperature must be >= 0 (0 and Infinity give the limits) and not NaN", value);
  return value === 0 ? 0 : value; // -0 -> 0
}

export function readBoolean(value: unknown, name: string, fn: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw typeError(fn, `${name} must be true or false`, value);
  return value;
}

export const maskLeaf: LeafReader = {
  read: (v) => (typeof v === "boolean" || typeof v === "number" ? (v ? 1 : 0) : undefined),
  what: "a boolean or a number",
};

/** A mask as one byte per element (1 = keep), laid out like the input; null when there is none. */
export function readMask(value: unknown, input: Input, fn: string): Uint8Array | null {
  if (value === undefined || value === null) return null;
  return readCompanion(value, input, "mask", new Uint8Array(input.data.length), maskLeaf, fn);
}

/** Per-element weights (logSumExp's `b`) as float64, laid out like the input; null when there are none. */
export function readWeights(value: unknown, input: Input, fn: string): Float64Array | null {
  if (value === undefined || value === null) return null;
  return readCompanion(value, input, "weights", new Float64Array(input.data.length), numberLeaf, fn);
}

/**
 * A second array of numbers that goes element for element with the input (a cotangent, a second
 * distribution), as float64 laid out like the input. Required: undefined is a TypeError.
 */
export function readPartner(value: unknown, input: Input, name: string, fn: string): Float64Array {
  return readCompanion(value, input, name, new Float64Array(input.data.length), numberLeaf, fn);
}

/**
 * An array that goes element for element with the input: nested with the input's shape, a tensor of
 * that shape, or flat (any array-like) with one entry per element.
 */
function readCompanion<T extends Uint8Array | Float64Array>(
  value: unknown, input: Input, name: string, out: T, leaf: LeafReader, fn: string,
): T {
  const size = input.data.length;
  const shapeText = `[${input.shape.join(", ")}]`;
  const source = leafSource(value, name, leaf, fn, `${name} must be an array (nested like x, or flat), a typed array or a { data, shape } tensor`);
  const { shape } = source;
  if (shape !== null && (shape.length !== input.shape.length || shape.some((s, i) => s !== input.shape[i]))) {
    throw source.layout === "nested"
      ? rangeError(fn, `${name} must have the shape of x, ${shapeText}, but has [${shape.join(", ")}]`, value)
      : rangeError(fn, `${name}.shape must be the shape of x, ${shapeText}, but is [${shape.join(", ")}]`, value);
  }
  if (source.length !== size) {
    throw rangeError(fn, `${name} must have one entry per element of x (${size} for shape ${shapeText}), but has ${source.length}`, value);
  }
  source.fill(out);
  return out;
}

/**
 * Leaves (numbers, or mask values) in any layout an option accepts, before they are read: nested
 * arrays (with their shape), a { data, shape } tensor, or flat (any array-like; shape null). The
 * caller checks shape and length against what it needs, then `fill`s its own array.
 */
export interface LeafSource {
  layout: "nested" | "tensor" | "flat";
  shape: number[] | null;
  /** How many leaves there are (a tensor's data length, which its shape has not been checked against). */
  length: number;
  fill(out: { [i: number]: number }): void;
}

/** `kinds`: the TypeError's message when value is none of the layouts. */
export function leafSource(value: unknown, name: string, leaf: LeafReader, fn: string, kinds: string): LeafSource {
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    const shape = nestedShape(value);
    return { layout: "nested", shape, length: product(shape), fill: (out) => flattenInto(value, shape, 0, out, 0, leaf, fn, name) };
  }
  let flat: ArrayLike<unknown>;
  let shape: number[] | null = null;
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    flat = value as ArrayLike<unknown>;
  } else if (typeof value === "object" && value !== null && "data" in value) {
    const tensor = value as Record<string, unknown>;
    shape = readShape(tensor, fn, name);
    const data = tensor.data;
    if (!Array.isArray(data) && !ArrayBuffer.isView(data)) throw typeError(fn, `${name}.data must be an array`, data);
    flat = data as ArrayLike<unknown>;
  } else {
    throw typeError(fn, kinds, value);
  }
  return {
    layout: shape === null ? "flat" : "tensor",
    shape,
    length: flat.length,
    fill(out) {
      for (let i = 0; i < flat.length; i++) {
        const v = leaf.read(flat[i]);
        if (v === undefined) throw typeError(fn, `${name}[${i}] must be ${leaf.what}`, flat[i]);
        out[i] = v;
      }
    },
  };
}

/** `out` for typed inputs: a float array of the input's constructor (its length is checked apart). */
export function readOut(value: unknown, input: Input, fn: string): FloatArray | null {
  if (value === undefined || value === null) return null;
  if (input.kind === "nested") throw typeError(fn, "out is only for typed-array and tensor inputs, and x is a nested array", value);
  const want = input.float === "float32" ? "Float32Array" : "Float64Array";
  if (floatKindOf(value) !== input.float) throw typeError(fn, `out must be a ${want}, like x`, value);
  return value as FloatArray;
}

export function checkOutLength(out: FloatArray, length: number, fn: string): FloatArray {
  if (out.length !== length) throw rangeError(fn, `out must have length ${length} (the length of the result)`, out);
  return out;
}

/**
 * Where a result of `length` entries goes (`out` when given, else a new array of the input's float
 * kind), and the input data the kernels may read alongside it (see separateFrom).
 */
export function resultArrays(given: FloatArray | null, input: Input, length: number, fn: string): { out: FloatArray; data: FloatArray } {
  if (given === null) return { out: allocate(input.float, length), data: input.data };
  return { out: checkOutLength(given, length, fn), data: separateFrom(input.data, given) };
}

/**
 * The input data, copied when `out` overlaps it without being the same view: kernels may then read
 * and write the same element in place, but never an element another row still has to read.
 */
export function separateFrom(data: FloatArray, out: FloatArray): FloatArray {
  if (out === data || out.buffer !== data.buffer) return data;
  const a0 = data.byteOffset, a1 = a0 + data.byteLength, b0 = out.byteOffset, b1 = b0 + out.byteLength;
  const sameView = a0 === b0 && a1 === b1;
  return sameView || a1 <= b0 || b1 <= a0 ? data : data.slice();
}
