// Targets of the losses and labels of the calibration functions (API.md §5): class indices, one per
// sample (the logits' shape without the class axis), or class probabilities (the logits' shape).
// Which one a target is follows from its shape; a flat array that matches neither shape is read by
// its length (integer typed arrays are always indices, as torch reads a `long` target).
import { rangeError, typeError } from "./describe.js";
import { flattenInto, nestedShape, numberLeaf, product, readShape, type Input } from "./input.js";
import type { RowPlan } from "../kernels/kernels.js";
import { reducedShape } from "./plan.js";

/** Class indices, one per sample in the layout of the reduced logits; ignored samples are -1. */
export interface ClassIndices {
  kind: "indices";
  classes: Int32Array;
  /** Number of samples not ignored. */
  kept: number;
}

/** Class probabilities laid out like the logits (float64). */
export interface ClassProbabilities {
  kind: "probabilities";
  data: Float64Array;
}

export type Targets = ClassIndices | ClassProbabilities;

interface Read {
  shape: number[] | null; // null: a flat array-like with no shape of its own beyond its length
  values: ArrayLike<unknown>;
  integerTyped: boolean;
}

/**
 * Reads `target` against logits `input` whose class axis is `axis` (plan: the rows along it).
 * `ignoreIndex` (an integer, or null) marks samples left out; probabilities are refused unless allowed.
 */
export function readTargets(
  value: unknown, input: Input, axis: number, plan: RowPlan, name: string, fn: string,
  options: { probabilities: boolean; ignoreIndex: number | null },
): Targets {
  const samples = plan.outer * plan.inner;
  const reduced = reducedShape(input.shape, axis, false);
  const read = readAny(value, name, fn);
  const full = input.data.length;
  let kind: "indices" | "probabilities" | null = null;
  if (read.shape !== null && sameShape(read.shape, input.shape) && !read.integerTyped) kind = "probabilities";
  else if (read.shape !== null && sameShape(read.shape, reduced)) kind = "indices";
  else if (read.shape === null || read.shape.length === 1) {
    if (read.values.length === samples && (read.integerTyped || read.values.length !== full)) kind = "indices";
    else if (read.values.length === full && !read.integerTyped) kind = "probabilities";
  }
  const shapes = `[${reduced.join(", ")}] (class indices)` + (options.probabilities ? ` or [${input.shape.join(", ")}] (class probabilities)` : "");
  const got = read.shape === null ? `${read.values.length} entries` : `shape [${read.shape.join(", ")}]`;
  if (kind === null) throw rangeError(fn, `${name} must have shape ${shapes}, but has ${got}`, value);
  if (kind === "probabilities") {
    if (!options.probabilities) {
      throw rangeError(fn, `${name} must hold class indices, shape ${shapes}; probabilities (the shape of the input) are not accepted here`, value);
    }
    return { kind, data: readProbabilities(read.values, name, fn) };
  }
  return readIndices(read.values, plan.n, name, fn, options.ignoreIndex);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function readAny(value: unknown, name: string, fn: string): Read {
  if (typeof value === "number") return { shape: [], values: [value], integerTyped: false };
  if (Array.isArray(value)) {
    const shape = nestedShape(value);
    const values = new Float64Array(product(shape));
    flattenInto(value, shape, 0, values, 0, numberLeaf, fn, name);
    return { shape, values, integerTyped: false };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const tag = (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? "";
    if (tag.startsWith("Big")) throw typeError(fn, `${name} must hold numbers (convert a BigInt64Array with Int32Array.from)`, value);
    return { shape: null, values: value as unknown as ArrayLike<number>, integerTyped: !tag.startsWith("Float") };
  }
  if (typeof value === "object" && value !== null && "data" in value) {
    const tensor = value as Record<string, unknown>;
    const shape = readShape(tensor, fn, name);
    const data = tensor.data;
    if (!Array.isArray(data) && !(ArrayBuffer.isView(data) && !(data instanceof DataView))) {
      throw typeError(fn, `${name}.data must be an array or a typed array`, data);
    }
    const values = data as ArrayLike<unknown>;
    if (values.length !== product(shape)) {
      throw rangeError(fn, `${name}.shape [${shape.join(", ")}] holds ${product(shape)} elements but ${name}.data has ${values.length}`, data);
    }
    const tag = ArrayBuffer.isView(data) ? (data as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? "" : "";
    return { shape, values, integerTyped: tag !== "" && !tag.startsWith("Float") };
  }
  throw typeError(fn, `${name} must be a number, an array (nested or flat), a typed array or a { data, shape } tensor`, value);
}

function readIndices(values: ArrayLike<unknown>, classes: number, name: string, fn: string, ignoreIndex: number | null): ClassIndices {
  const out = new Int32Array(values.length);
  let kept = 0;
  for (let s = 0; s < values.length; s++) {
    const v = values[s];
    if (typeof v !== "number") throw typeError(fn, `${name}[${s}] must be a number`, v);
    if (v === ignoreIndex) {
      out[s] = -1;
      continue;
    }
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      const ignore = ignoreIndex === null ? "" : ` (or ignoreIndex, ${ignoreIndex})`;
      throw rangeError(fn, `${name}[${s}] must be a class index, an integer in [0, ${classes - 1}]${ignore}`, v);
    }
    out[s] = v;
    kept++;
  }
  return { kind: "indices", classes: out, kept };
}

function readProbabilities(values: ArrayLike<unknown>, name: string, fn: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw typeError(fn, `${name}[${i}] must be a number`, v);
    if (!(v >= 0 && v < Infinity)) throw rangeError(fn, `${name}[${i}] must be a probability, a finite number >= 0`, v);
    out[i] = v;
  }
  return out;
}

/** Class indices only (labels of the calibration functions), one per sample. */
export function readLabels(value: unknown, input: Input, axis: number, plan: RowPlan, fn: string): Int32Array {
  return (readTargets(value, input, axis, plan, "labels", fn, { probabilities: false, ignoreIndex: null }) as ClassIndices).classes;
}
