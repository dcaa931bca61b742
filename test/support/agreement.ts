// Comparing a kernel set with the JS reference through the public functions (API.md §9: "results of
// the backends agree within the accuracy bounds in the README"). Each call runs once on the JS kernels
// and once on the compared set; every value must be within BOUND ulp of the JS value in the output's
// precision, and exactly the JS value (Object.is: NaN, ±Infinity, +0 / -0, 1/k, -log k) wherever
// API.md §2 fixes the result exactly:
//   - entries that are masked or -Infinity (0 / -Infinity), in rows without an unmasked NaN;
//   - whole rows with an unmasked NaN or +Infinity, rows with nothing left (all masked or -Infinity),
//     and rows at temperature 0 or Infinity (weighted logSumExp excepted: its total weight is a sum,
//     whose rounding may differ with the order of adding);
//   - and the sign of every zero.
// Every call also checks that x, mask and weights are left as they were.
import { expect } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../../src/index.js";
import type { Kernels } from "../../src/kernels/kernels.js";
import { mulberry32, uniform53 } from "./fixtures.js";
import { comparedKernels, jsKernels, using } from "./kernelSets.js";
import { ulpDistance } from "./ulp.js";

export type Fn = "softmax" | "logSoftmax" | "logSumExp";
export const FNS: readonly Fn[] = ["softmax", "logSoftmax", "logSumExp"];
export type Precision = "float32" | "float64";
export const PRECISIONS: readonly Precision[] = ["float32", "float64"];
export type FloatArray = Float32Array | Float64Array;

/** The published bound: every value within 4 ulp of the exact one. */
export const BOUND = 4;

export interface Tensor {
  data: FloatArray;
  shape: number[];
}
export type Input = FloatArray | Tensor;

export interface CallOptions {
  axis?: number;
  temperature?: number;
  mask?: Uint8Array | number[];
  weights?: Float64Array | number[];
  keepDims?: boolean;
  out?: FloatArray;
}

const library = { softmax, logSoftmax, logSumExp } as Record<Fn, (x: unknown, o?: unknown) => unknown>;

export function precisionOf(x: Input): Precision {
  const data = ArrayBuffer.isView(x) ? x : x.data;
  return data.BYTES_PER_ELEMENT === 4 ? "float32" : "float64";
}

export function dataOf(x: Input): FloatArray {
  return ArrayBuffer.isView(x) ? x : x.data;
}

export function shapeOf(x: Input): number[] {
  return ArrayBuffer.isView(x) ? [x.length] : x.shape;
}

export function typed(precision: Precision, values: ArrayLike<number>): FloatArray {
  return precision === "float32" ? Float32Array.from(values) : Float64Array.from(values);
}

/** n deterministic uniforms in [lo, hi) (mulberry32, as the fixtures use). */
export function uniforms(n: number, seed: number, lo = -10, hi = 10): Float64Array {
  const next = mulberry32(seed);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + (hi - lo) * uniform53(next);
  return values;
}

/** A deterministic PRNG of doubles in [0, 1). */
export function prng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => uniform53(next);
}

/** The result of a call as flat values (a plain number becomes a length-1 array). */
export function flat(result: unknown): ArrayLike<number> {
  if (typeof result === "number") return [result];
  if (ArrayBuffer.isView(result)) return result as FloatArray;
  if (Array.isArray(result)) return result.flat(Infinity) as number[];
  return (result as Tensor).data;
}

/** A copy of what `v` holds (typed arrays byte for byte), to compare with {@link unchanged} after a call. */
function snapshot(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (ArrayBuffer.isView(v)) return Buffer.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)); // a copy
  if (Array.isArray(v)) return v.flat(Infinity).map((e) => (Object.is(e, -0) ? "-0" : String(e))).join(",");
  return [snapshot((v as Tensor).data), JSON.stringify((v as Tensor).shape)];
}

function unchanged(v: unknown, before: unknown): boolean {
  if (v === undefined) return before === undefined;
  if (ArrayBuffer.isView(v)) return Buffer.compare(Buffer.from(v.buffer, v.byteOffset, v.byteLength), before as Buffer) === 0;
  if (Array.isArray(v)) return snapshot(v) === before;
  const [data, shape] = before as [Buffer, string];
  return unchanged((v as Tensor).data, data) && JSON.stringify((v as Tensor).shape) === shape;
}

/**
 * Runs fn(x, options) on `kernels` and returns a copy of the flat result; fails the test when x, the
 * mask or the weights changed (x may change only when options.out is x's own memory).
 */
export function runOn(kernels: Kernels, fn: Fn, x: Input, options: CallOptions = {}): FloatArray | number[] {
  const inPlace = options.out !== undefined && options.out.buffer === dataOf(x).buffer;
  const before = [inPlace ? undefined : snapshot(x), snapshot(options.mask), snapshot(options.weights)];
  const result = using(kernels, () => library[fn](x, options));
  const changed = [inPlace ? undefined : x, options.mask, options.weights]
    .map((v, i) => (i === 0 && inPlace) || unchanged(v, before[i]) ? null : ["x", "mask", "weights"][i])
    .filter((name) => name !== null);
  expect(changed, `${kernels.name}: ${fn}(${describeInput(x)}, ${describeOptions(options)}) changed its inputs`).toEqual([]);
  const values = flat(result);
  return ArrayBuffer.isView(values) ? (values as FloatArray).slice() : Array.from(values);
}

export function describeInput(x: Input): string {
  const data = dataOf(x);
  const kind = data.BYTES_PER_ELEMENT === 4 ? "Float32Array" : "Float64Array";
  return ArrayBuffer.isView(x) ? `${kind}(${x.length})` : `{ ${kind}, shape: [${x.shape.join(", ")}] }`;
}

export function describeOptions(o: CallOptions): string {
  const parts: string[] = [];
  if (o.axis !== undefined) parts.push(`axis: ${o.axis}`);
  if (o.temperature !== undefined) parts.push(`temperature: ${o.temperature}`);
  if (o.mask !== undefined) parts.push("mask");
  if (o.weights !== undefined) parts.push("weights");
  if (o.keepDims) parts.push("keepDims: true");
  if (o.out !== undefined) parts.push("out");
  return `{ ${parts.join(", ")} }`;
}

/** Row (o, i) along the axis: its entries are at offset + j * stride; a reduction writes it to `index`. */
export interface Row {
  offset: number;
  stride: number;
  n: number;
  index: number;
}

export function rowsOf(shape: readonly number[], axis = -1): Row[] {
  const a = axis < 0 ? axis + shape.length : axis;
  const outer = shape.slice(0, a).reduce((p, s) => p * s, 1);
  const inner = shape.slice(a + 1).reduce((p, s) => p * s, 1);
  const n = shape[a];
  const rows: Row[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) rows.push({ offset: o * n * inner + i, stride: inner, n, index: o * inner + i });
  }
  return rows;
}

/** Whether API.md §2 fixes every output of this row exactly (see the header). */
function exactRow(data: FloatArray, row: Row, mask: ArrayLike<number> | undefined, T: number, fn: Fn, weights: ArrayLike<number> | undefined): boolean {
  const weighted = fn === "logSumExp" && weights !== undefined;
  let kept = 0, nan = false, inf = false;
  for (let j = 0; j < row.n; j++) {
    const k = row.offset + j * row.stride;
    if (mask && !mask[k]) continue;
    if (weighted && weights[k] === 0) continue; // a weight of 0 drops its entry, NaN and +Infinity included
    const v = data[k];
    if (Number.isNaN(v)) nan = true;
    else if (v === Infinity) inf = true;
    if (v !== -Infinity) kept++;
  }
  if (nan || inf || kept === 0) return true;
  return (T === 0 || T === Infinity) && !weighted;
}

/**
 * The values of `got` (the compared set) that do not agree with `want` (the JS kernels), one line each
 * (at most 8, then a count). x and options are those of the call, to know which values are exact.
 */
export function disagreements(fn: Fn, x: Input, options: CallOptions, got: ArrayLike<number>, want: ArrayLike<number>, bound = BOUND): string[] {
  const precision = precisionOf(x);
  const data = dataOf(x);
  const shape = shapeOf(x);
  const T = options.temperature ?? 1;
  const mask = options.mask;
  const lines: string[] = [];
  let count = 0;
  const report = (k: number, why: string) => {
    count++;
    if (lines.length < 8) lines.push(`[${k}] ${why}: got ${show(got[k])}, js ${show(want[k])}`);
  };
  if (got.length !== want.length) return [`length ${got.length}, js ${want.length}`];
  const rows = rowsOf(shape, options.axis ?? -1);
  for (const row of rows) {
    const exact = exactRow(data, row, mask, T, fn, options.weights);
    const check = (k: number, exactEntry: boolean) => {
      const g = got[k], w = want[k];
      if (Object.is(g, w)) return;
      if (exact || exactEntry) return report(k, "must equal the JS value exactly");
      if (g === 0 && w === 0) return report(k, "sign of zero");
      const d = Number.isFinite(g) && Number.isFinite(w) ? fastUlps(precision, g, w) : ulpDistance(precision, g, w);
      if (!(d <= bound)) report(k, `${ulpDistance(precision, g, w)} ulp`);
    };
    if (fn === "logSumExp") {
      check(row.index, false);
    } else {
      for (let j = 0; j < row.n; j++) {
        const k = row.offset + j * row.stride;
        check(k, (mask !== undefined && !mask[k]) || data[k] === -Infinity);
      }
    }
  }
  if (count > lines.length) lines.push(`... ${count} values in all`);
  return lines;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: u32[1] holds the sign and exponent
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/**
 * ulpDistance (test/support/ulp.ts) without BigInt, for the millions of values compared here: exact
 * whenever the distance is below 2^53, and some number above 2^53 otherwise. Both finite.
 */
export function fastUlps(precision: Precision, a: number, b: number): number {
  if (precision === "float32") {
    f32[0] = a;
    const ia = i32[0];
    f32[0] = b;
    const ib = i32[0];
    const oa = ia < 0 ? -(ia & 0x7fffffff) : ia, ob = ib < 0 ? -(ib & 0x7fffffff) : ib;
    return Math.abs(oa - ob);
  }
  f64[0] = a;
  const ha = u32[1], la = u32[0];
  f64[0] = b;
  const hb = u32[1], lb = u32[0];
  const ma = (ha & 0x7fffffff) * 4294967296 + la, mb = (hb & 0x7fffffff) * 4294967296 + lb; // magnitudes' ordinals
  if ((ha >>> 31) === (hb >>> 31)) return Math.abs(((ha & 0x7fffffff) - (hb & 0x7fffffff)) * 4294967296 + (la - lb));
  return ma + mb; // opposite signs: the distance runs through 0
}

function show(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/**
 * Runs fn(x, options) on the JS kernels and on the compared set, expects them to agree (see the header),
 * and returns both flat results for further checks.
 */
export function agree(fn: Fn, x: Input, options: CallOptions = {}, bound = BOUND): { js: ArrayLike<number>; got: ArrayLike<number> } {
  const js = runOn(jsKernels, fn, x, options);
  const got = runOn(comparedKernels, fn, x, options);
  const problems = disagreements(fn, x, options, got, js, bound);
  expect(problems, `${comparedKernels.name} vs js: ${fn}(${describeInput(x)}, ${describeOptions(options)})`).toEqual([]);
  return { js, got };
}

/** Expects `got` within `bound` ulp of the closed form `want` (rounded to float32 for float32 results). */
export function expectNear(got: number, want: number, precision: Precision, what: string, bound = BOUND): void {
  const w = precision === "float32" ? Math.fround(want) : want;
  const d = ulpDistance(precision, got, w);
  if (!(d <= bound)) expect(d, `${what}: got ${show(got)}, closed form ${show(w)} (${d} ulp)`).toBeLessThanOrEqual(bound);
}

/** Expects `got` to be exactly `want` (Object.is: NaN, ±Infinity and the sign of 0 included). */
export function expectExact(got: number, want: number, what: string): void {
  if (!Object.is(got, want)) expect(got, `${what}: got ${show(got)}, want exactly ${show(want)}`).toBe(want);
}
