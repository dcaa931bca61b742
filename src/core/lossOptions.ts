// Option readers of the losses (API.md §5): reduction, labelSmoothing, per-class weights, ignoreIndex.
import { rangeError, typeError } from "./describe.js";

export type Reduction = "mean" | "sum" | "none";

/** One of `allowed` (the first is the default). */
export function readReduction<R extends string>(value: unknown, allowed: readonly R[], fn: string): R {
  if (value === undefined) return allowed[0];
  if (typeof value !== "string") throw typeError(fn, `reduction must be one of ${allowed.map((r) => `'${r}'`).join(", ")}`, value);
  if (!(allowed as readonly string[]).includes(value)) {
    throw rangeError(fn, `reduction must be one of ${allowed.map((r) => `'${r}'`).join(", ")}`, value);
  }
  return value as R;
}

export function readLabelSmoothing(value: unknown, fn: string): number {
  if (value === undefined) return 0;
  if (typeof value !== "number") throw typeError(fn, "labelSmoothing must be a number in [0, 1]", value);
  if (!(value >= 0 && value <= 1)) throw rangeError(fn, "labelSmoothing must be in [0, 1]", value);
  return value;
}

/** Per-class weights: an array-like of `classes` finite numbers >= 0, as float64; null when absent. */
export function readClassWeights(value: unknown, classes: number, fn: string): Float64Array | null {
  if (value === undefined || value === null) return null;
  const arrayLike = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!arrayLike) throw typeError(fn, "weights must be an array of one weight per class", value);
  const w = value as ArrayLike<unknown>;
  if (w.length !== classes) throw rangeError(fn, `weights must have one entry per class (${classes})`, value);
  const out = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    const v = w[c];
    if (typeof v !== "number") throw typeError(fn, `weights[${c}] must be a number`, v);
    if (!(v >= 0 && v < Infinity)) throw rangeError(fn, `weights[${c}] must be a finite number >= 0`, v);
    out[c] = v;
  }
  return out;
}

/** The class index whose samples are left out, or null (torch's default -100 is not assumed). */
export function readIgnoreIndex(value: unknown, fn: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw (typeof value === "number" ? rangeError : typeError)(fn, "ignoreIndex must be an integer", value);
  }
  return value;
}

/** A positive integer option (bins). */
export function readPositiveInteger(value: unknown, name: string, fallback: number, fn: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw typeError(fn, `${name} must be a positive integer`, value);
  if (!Number.isInteger(value) || value < 1) throw rangeError(fn, `${name} must be a positive integer`, value);
  return value;
}

