// Input normalisation for attention: query, key, value and mask read once, their matrix sizes
// checked against each other, and their leading (batch, head) dims broadcast NumPy-style, so that the
// kernel only sees, for each batch entry, where that entry's matrices start in each array.
import { rangeError, typeError } from "./describe.js";
import { product, readValues, type Input } from "./input.js";
import { leafSource, maskLeaf, readBoolean, readOptions } from "./options.js";

export interface AttentionProblem {
  query: Input;
  key: Input;
  value: Input;
  /** The broadcast leading dims; output is [...batchShape, Tq, dv], weights [...batchShape, Tq, Tk]. */
  batchShape: number[];
  Tq: number;
  Tk: number;
  d: number;
  dv: number;
  /** For each batch entry (row-major over batchShape): where its matrix starts in each array. */
  queryStart: Float64Array;
  keyStart: Float64Array;
  valueStart: Float64Array;
  /** One byte per element of the mask's own shape (1 = attend), or null; maskStart as above. */
  mask: Uint8Array | null;
  maskStart: Float64Array | null;
  /** Tk, or 0 when the mask has one row for every query ([..., 1, Tk]). */
  maskRowStride: number;
  causal: boolean;
  scale: number;
  returnWeights: boolean;
}

export function readAttention(query: unknown, key: unknown, value: unknown, options: unknown, fn: string): AttentionProblem {
  const q = readMatrices(query, fn, "query");
  const k = readMatrices(key, fn, "key");
  const v = readMatrices(value, fn, "value");
  const [Tq, d] = q.shape.slice(-2);
  const [Tk, dk] = k.shape.slice(-2);
  const [Tv, dv] = v.shape.slice(-2);
  if (dk !== d) {
    throw rangeError(fn, `key's last dim (${dk}) must equal query's last dim d = ${d} (query [${q.shape.join(", ")}], key [${k.shape.join(", ")}])`, dk);
  }
  if (Tv !== Tk) {
    throw rangeError(fn, `value must have as many rows as key (Tk = ${Tk}) but has ${Tv} (key [${k.shape.join(", ")}], value [${v.shape.join(", ")}])`, Tv);
  }
  const o = readOptions(options, fn);
  const scale = readScale(o.scale, d, fn);
  const causal = readBoolean(o.causal, "causal", fn);
  const returnWeights = readBoolean(o.returnWeights, "returnWeights", fn);
  const leads: Lead[] = [
    { name: "query", shape: q.shape.slice(0, -2) },
    { name: "key", shape: k.shape.slice(0, -2) },
    { name: "value", shape: v.shape.slice(0, -2) },
  ];
  let batchShape = broadcastShapes(leads, fn);
  let mask: Uint8Array | null = null;
  let maskShape: number[] = [];
  if (o.mask !== undefined && o.mask !== null) {
    ({ mask, shape: maskShape } = readAttentionMask(o.mask, Tq, Tk, batchShape, fn));
    batchShape = broadcastShapes([...leads, { name: "mask", shape: maskShape.slice(0, -2) }], fn);
  }
  return {
    query: q, key: k, value: v, batchShape, Tq, Tk, d, dv,
    queryStart: matrixStarts(q.shape, batchShape),
    keyStart: matrixStarts(k.shape, batchShape),
    valueStart: matrixStarts(v.shape, batchShape),
    mask,
    maskStart: mask === null ? null : matrixStarts(maskShape, batchShape),
    maskRowStride: mask !== null && maskShape[maskShape.length - 2] === 1 ? 0 : Tk,
    causal, scale, returnWeights,
  };
}

/** An operand with at least two dims: a nested array or a tensor (a bare typed array is 1-D). */
function readMatrices(x: unknown, fn: string, name: string): Input {
  const input = readValues(x, fn, name);
  if (input.shape.length < 2) {
    const hint = input.kind === "typed" ? " (a bare typed array is 1-D: pass { data, shape })" : "";
    throw rangeError(fn, `${name} must have at least 2 dims [..., rows, columns]${hint}, but has shape [${input.shape.join(", ")}]`, x);
  }
  return input;
}

function readScale(value: unknown, d: number, fn: string): number {
  if (value === undefined) return d === 0 ? 1 : 1 / Math.sqrt(d); // with d = 0 every score is 0 anyway
  if (typeof value !== "number") throw typeError(fn, "scale must be a number", value);
  if (!Number.isFinite(value)) throw rangeError(fn, "scale must be finite", value);
  return value;
}

interface Lead {
  name: string;
  shape: readonly number[];
}

/** NumPy broadcasting of the leading dims: aligned at the right; a dim of 1 (or a missing one) stretches. */
function broadcastShapes(leads: readonly Lead[], fn: string): number[] {
  const rank = Math.max(...leads.map((l) => l.shape.length));
  const shape = new Array<number>(rank).fill(1);
  for (let i = 1; i <= rank; i++) {
    for (const lead of leads) {
      const size = lead.shape[lead.shape.length - i];
      if (size === undefined || size === 1) continue;
      if (shape[rank - i] !== 1 && shape[rank - i] !== size) {
        const text = leads.map((l) => `${l.name} [${l.shape.join(", ")}]`).join(", ");
        throw rangeError(fn, `the leading (batch) dims do not broadcast: ${text}`, size);
      }
      shape[rank - i] = size;
    }
  }
  return shape;
}

/**
 * Where each batch entry's matrix (the last two dims of `shape`) starts in a row-major array of that
 * shape, for every index of `batchShape` in row-major order (broadcast dims repeat the same matrix).
 */
function matrixStarts(shape: readonly number[], batchShape: readonly number[]): Float64Array {
  const lead = shape.length - 2;
  const rank = batchShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = shape[lead] * shape[lead + 1];
  for (let i = 1; i <= lead; i++) {
    const size = shape[lead - i];
    if (size !== 1) strides[rank - i] = stride;
    stride *= size;
  }
  const starts = new Float64Array(product(batchShape));
  const index = new Array<number>(rank).fill(0);
  let start = 0;
  for (let b = 0; b < starts.length; b++) {
    starts[b] = start;
    for (let i = rank - 1; i >= 0; i--) { // odometer: step the last dim, carry into earlier ones
      index[i]++;
      start += strides[i];
      if (index[i] < batchShape[i]) break;
      start -= strides[i] * index[i];
      index[i] = 0;
    }
  }
  return starts;
}

/**
 * The mask as bytes and its shape, [..., Tq, Tk] or [..., 1, Tk]: nested arrays or a { data, shape }
 * tensor of that shape, or flat (any array-like) with Tq * Tk entries (one [Tq, Tk] mask for every
 * batch entry), Tk (one row for every query) or one entry per score of the whole batch.
 */
function readAttentionMask(
  value: unknown, Tq: number, Tk: number, batchShape: readonly number[], fn: string,
): { mask: Uint8Array; shape: number[] } {
  const source = leafSource(value, "mask", maskLeaf, fn, "mask must be nested arrays, a flat array or typed array, or a { data, shape } tensor");
  let shape = source.shape;
  if (shape === null) {
    const whole = product(batchShape) * Tq * Tk;
    if (source.length === Tq * Tk) shape = [Tq, Tk];
    else if (source.length === Tk) shape = [1, Tk];
    else if (source.length === whole) shape = [...batchShape, Tq, Tk];
    else {
      throw rangeError(fn, `a flat mask must have Tq * Tk = ${Tq * Tk} entries (one [${Tq}, ${Tk}] mask for every batch entry), Tk = ${Tk} (one row for every query) or ${whole} (one per score), but has ${source.length}`, value);
    }
  } else if (source.layout === "tensor" && source.length !== product(shape)) {
    throw rangeError(fn, `mask.shape [${shape.join(", ")}] holds ${product(shape)} elements but mask.data has ${source.length}`, value);
  }
  const rows = shape[shape.length - 2];
  if (shape.length < 2 || (rows !== Tq && rows !== 1) || shape[shape.length - 1] !== Tk) {
    throw rangeError(fn, `mask must have shape [..., ${Tq}, ${Tk}] (Tq, Tk) or [..., 1, ${Tk}], but has [${shape.join(", ")}]`, value);
  }
  const mask = new Uint8Array(source.length);
  source.fill(mask);
  return { mask, shape };
}
