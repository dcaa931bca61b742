// The wasm-simd kernel set: moves rows through the module's fixed buffers and hands them to the
// AssemblyScript kernels (assembly/). Short rows go many to a batch (one call per batch); a row longer
// than a chunk is streamed through it with the online normaliser (stream()). Rows of a non-last axis
// are gathered into contiguous rows and scattered back. What the wasm kernels leave alone goes to the
// JS kernels, the reference: edge-case rows (they come back flagged, and are redone from the copy in
// wasm memory), temperature 0 and Infinity, weights, float64 rows longer than a chunk at a
// temperature other than 1, rows longer than a chunk along a non-last axis, and calls too small for
// the copies to pay (dispatch.ts).
import type { FloatArray } from "../../types.js";
import { jsKernels } from "../js/index.js";
import type { Kernels, LogSumExpParams, RowParams, RowPlan } from "../kernels.js";
import { wasmWorthIt } from "./dispatch.js";
import { CHUNK32, CHUNK64 } from "./layout.js";
import type { WasmGlobal, WasmMemory } from "./webAssembly.js";

/** What assembly/index.ts exports. Flags (`masked`) are 0 or 1. */
export interface KernelExports {
  memory: WasmMemory;
  CHUNK_BYTES: WasmGlobal;
  inPtr(): number;
  outPtr(): number;
  maskPtr(): number;
  resultsPtr(): number;
  flagsPtr(): number;
  softmaxRows32(rows: number, n: number, masked: number, invT: number): number;
  logSoftmaxRows32(rows: number, n: number, masked: number, invT: number): number;
  logSumExpRows32(rows: number, n: number, masked: number, invT: number): number;
  softmaxRows64(rows: number, n: number, masked: number, T: number): number;
  logSoftmaxRows64(rows: number, n: number, masked: number, T: number): number;
  logSumExpRows64(rows: number, n: number, masked: number, T: number): number;
  segmentMax32(len: number, masked: number): number;
  segmentSum32(len: number, masked: number, max: number, invT: number): number;
  segmentSoftmax32(len: number, masked: number, max: number, invT: number, factor: number): void;
  segmentRest32(len: number, masked: number, max: number, invT: number): number;
  segmentTies32(): number;
  segmentLog32(len: number, masked: number, max: number, invT: number, logSum: number): void;
  segmentMax64(len: number, masked: number): number;
  segmentSum64(len: number, masked: number, max: number, T: number): number;
  segmentSoftmax64(len: number, masked: number, max: number, T: number, sum: number): void;
  segmentRest64(len: number, masked: number, max: number, T: number): number;
  segmentTies64(): number;
  segmentLog64(len: number, masked: number, max: number, T: number, logSum: number): void;
}

type Op = "softmax" | "logSoftmax" | "logSumExp";

/** The module's buffers as typed arrays of one precision, and the kernels of that precision (T: the temperature). */
interface Lane {
  chunk: number;
  input: FloatArray;
  output: FloatArray;
  rows(op: Op, rows: number, n: number, masked: number, T: number): number;
  max(len: number, masked: number): number;
  sum(len: number, masked: number, max: number, T: number): number;
  /** exp((x - shift) / T) * 2^scale / sum into OUT (sum: the row's, as `sum` gave it, all chunks combined). */
  softmax(len: number, masked: number, max: number, T: number, sum: number): void;
  rest(len: number, masked: number, max: number, T: number): number;
  ties(): number;
  log(len: number, masked: number, max: number, T: number, logSum: number): void;
  /** The shift the kernels use for a row (or chunk) with this maximum (assembly/rows32.ts, rows64.ts). */
  shiftOf(max: number, T: number): Shift;
  /** The JS kernels' float32 / float64 one-row scratch for log-sum-exp. */
  one: FloatArray;
  /** A view of the start of `output` (head()). */
  headView: FloatArray;
}

/**
 * A shift s of exp((x - s) / T): value + lo; for the exponent-bias fold (s = N ln2) also the power N,
 * with N ln2 split so that value = N * LN2_HI is exact (LN2_HI has 40 bits, as in assembly/exp64.ts).
 */
interface Shift {
  value: number;
  lo: number;
  power: number | null;
}

/**
 * Short rows go to the kernels in batches of at most this many bytes (but at least one row), so that
 * a batch's input and output buffers stay in a core's L2 cache (512 KiB here) from the copy in, through
 * the kernel's passes, to the copy out. Best of three runs (ns an entry, float32 softmax), batches
 * filling the 512 KiB chunk -> 64 KiB: [16384, 512] 2.61 -> 2.23, [256, 1000] 1.87 -> 1.81,
 * [4096, 128] 2.11 -> 2.11 (2026-11-22; the machine's noise is about ±30% a run).
 */
const BATCH_BYTES = 65536;

/**
 * Below this |result| / max(|max / T|, log1p(rest)), max / T + log1p(rest) cancels beyond what the
 * wasm sums leave exact (assembly/rows32.ts, rows64.ts); the JS kernels refine such rows.
 */
const KEEP_RATIO = 7 / 8;

/** As the kernels decide: the fold applies at temperature 1 and |max| within the limit. */
const FOLD_LIMIT32 = 512;
const FOLD_LIMIT64 = 4096;
const LN2_HI = 0.6931471805601177;
const LN2_LO = -1.7239444525614835e-13;

function foldShift(max: number, T: number, limit: number): Shift {
  if (T !== 1 || !(Math.abs(max) <= limit)) return { value: max, lo: 0, power: null };
  const power = Math.round(max * Math.LOG2E);
  return { value: power * LN2_HI, lo: power * LN2_LO, power };
}

/**
 * exp((from - to) / T): what turns a sum shifted by `from` into one shifted by `to`. Between two folds
 * it is an exact power of two; otherwise from - to is carried with its two-sum error, so the factor
 * is good to an ulp or two of float64 whatever the distance.
 */
function rescale(from: Shift, to: Shift, invT: number): number {
  if (from.power !== null && to.power !== null) return 2 ** (from.power - to.power);
  const d = from.value - to.value;
  const b = d - from.value;
  const err = (from.value - (d - b)) - (to.value + b) + (from.lo - to.lo);
  return invT === 1 ? Math.exp(d) * (1 + err) : Math.exp(d * invT) * (1 + err * invT);
}

export function makeWasmKernels(ex: KernelExports): Kernels {
  if (ex.CHUNK_BYTES.value !== CHUNK32 * 4) throw new Error("wasm kernels: chunk size differs from layout.ts");
  const buffer = ex.memory.buffer; // the kernels never allocate, so the memory never grows
  const mask = new Uint8Array(buffer, ex.maskPtr(), CHUNK32);
  const results = new Float64Array(buffer, ex.resultsPtr(), CHUNK32);
  const flags = new Uint8Array(buffer, ex.flagsPtr(), CHUNK32);
  const lane32: Lane = {
    chunk: CHUNK32,
    input: new Float32Array(buffer, ex.inPtr(), CHUNK32),
    output: new Float32Array(buffer, ex.outPtr(), CHUNK32),
    // the float32 kernels take 1 / T: their float64 products with it are exact enough for float32
    rows: (op, rows, n, masked, T) =>
      op === "softmax" ? ex.softmaxRows32(rows, n, masked, 1 / T)
        : op === "logSoftmax" ? ex.logSoftmaxRows32(rows, n, masked, 1 / T) : ex.logSumExpRows32(rows, n, masked, 1 / T),
    max: ex.segmentMax32,
    sum: (len, masked, max, T) => ex.segmentSum32(len, masked, max, 1 / T),
    softmax: (len, masked, max, T, sum) => ex.segmentSoftmax32(len, masked, max, 1 / T, Math.fround(1 / sum)),
    rest: (len, masked, max, T) => ex.segmentRest32(len, masked, max, 1 / T),
    ties: ex.segmentTies32,
    log: (len, masked, max, T, logSum) => ex.segmentLog32(len, masked, max, 1 / T, logSum),
    shiftOf: (max, T) => foldShift(max, T, FOLD_LIMIT32),
    one: new Float32Array(1),
    headView: new Float32Array(0),
  };
  const lane64: Lane = {
    chunk: CHUNK64,
    input: new Float64Array(buffer, ex.inPtr(), CHUNK64),
    output: new Float64Array(buffer, ex.outPtr(), CHUNK64),
    rows: (op, rows, n, masked, T) =>
      op === "softmax" ? ex.softmaxRows64(rows, n, masked, T)
        : op === "logSoftmax" ? ex.logSoftmaxRows64(rows, n, masked, T) : ex.logSumExpRows64(rows, n, masked, T),
    max: ex.segmentMax64,
    sum: ex.segmentSum64,
    softmax: ex.segmentSoftmax64,
    rest: ex.segmentRest64,
    ties: ex.segmentTies64,
    log: ex.segmentLog64,
    shiftOf: (max, T) => foldShift(max, T, FOLD_LIMIT64),
    one: new Float64Array(1),
    headView: new Float64Array(0),
  };

  /** The first len entries of the lane's output buffer: the view of the last length asked for is kept. */
  function head(lane: Lane, len: number): FloatArray {
    if (lane.headView.length !== len) lane.headView = lane.output.subarray(0, len);
    return lane.headView;
  }

  /**
   * One row by the JS kernels: `row` (n contiguous entries) with its mask into `into` (softmax,
   * logSoftmax); log-sum-exp's result is returned.
   */
  function jsRow(op: Op, lane: Lane, row: FloatArray, rowMask: Uint8Array | null, into: FloatArray | null, params: RowParams): number {
    const plan = { outer: 1, n: row.length, inner: 1 };
    if (op === "logSumExp") {
      jsKernels.logSumExp(row, lane.one, plan, { temperature: params.temperature, mask: rowMask, weights: null });
      return lane.one[0];
    }
    jsKernels[op](row, into!, plan, { temperature: params.temperature, mask: rowMask });
    return NaN;
  }

  /** Redoes row r of a batch (flagged by the kernels) with the JS kernels, from its copy in wasm memory. */
  function redo(op: Op, lane: Lane, r: number, n: number, params: RowParams): void {
    const at = r * n;
    const rowMask = params.mask === null ? null : mask.subarray(at, at + n);
    results[r] = jsRow(op, lane, lane.input.subarray(at, at + n), rowMask, lane.output.subarray(at, at + n), params);
  }

  /** Rows that fit a chunk: batches of whole rows, gathered (stride `inner`) into the buffers and back. */
  function batches(op: Op, lane: Lane, x: FloatArray, out: FloatArray, plan: RowPlan, params: RowParams): void {
    const { outer, n, inner } = plan;
    const masked = params.mask === null ? 0 : 1;
    const T = params.temperature;
    const total = outer * inner;
    const perBatch = Math.min(Math.max(1, Math.floor(BATCH_BYTES / (n * x.BYTES_PER_ELEMENT))), Math.floor(lane.chunk / n), total);
    const input = lane.input, output = lane.output;
    for (let q0 = 0; q0 < total; q0 += perBatch) {
      const rows = Math.min(perBatch, total - q0);
      const len = rows * n;
      if (inner === 1) {
        input.set(len === x.length ? x : x.subarray(q0 * n, q0 * n + len)); // subarray costs ~0.1 µs a call
        if (masked) mask.set(params.mask!.subarray(q0 * n, q0 * n + len));
      } else {
        gather(x, input, params.mask, mask, q0, rows, n, inner);
      }
      const left = lane.rows(op, rows, n, masked, T);
      if (left > 0) {
        for (let r = 0; r < rows; r++) if (flags[r] !== 0) redo(op, lane, r, n, params);
      }
      if (op === "logSumExp") {
        for (let r = 0; r < rows; r++) out[q0 + r] = results[r];
      } else if (inner === 1) {
        out.set(head(lane, len), q0 * n);
      } else {
        scatter(output, out, q0, rows, n, inner);
      }
    }
  }

  /**
   * One row longer than a chunk, at x[base...], streamed with the online normaliser (Milakov and
   * Gimelshein 2018): a first pass sums each chunk relative to its own maximum, and the sums are
   * brought to the row's maximum when combined; a second pass (softmax, logSoftmax) writes. The row
   * is read twice (once for log-sum-exp), and x is not written before the first pass has seen all of
   * it, so an edge-case row still goes to the JS kernels intact (in place too).
   */
  function stream(op: Op, lane: Lane, x: FloatArray, out: FloatArray, base: number, q: number, n: number, params: RowParams): void {
    const masked = params.mask === null ? 0 : 1;
    const T = params.temperature, invT = 1 / T;
    const chunk = lane.chunk;
    const load = (at: number, len: number): void => {
      lane.input.set(x.subarray(base + at, base + at + len));
      if (masked) mask.set(params.mask!.subarray(base + at, base + at + len));
    };
    const fallBack = (): void => {
      const rowMask = params.mask === null ? null : params.mask.subarray(base, base + n);
      const result = jsRow(op, lane, x.subarray(base, base + n), rowMask, op === "logSumExp" ? null : out.subarray(base, base + n), params);
      if (op === "logSumExp") out[q] = result;
    };
    // First pass. softmax: the chunk sums as the kernels shift them (shiftOf); the others: the rest
    // sums (entries below the chunk's maximum) and the count of entries equal to it.
    const chunks = Math.ceil(n / chunk);
    const maxima = new Float64Array(chunks), sums = new Float64Array(chunks), ties = new Float64Array(chunks);
    let max = -Infinity;
    for (let k = 0; k < chunks; k++) {
      const at = k * chunk, len = Math.min(chunk, n - at);
      load(at, len);
      const m = lane.max(len, masked);
      maxima[k] = m;
      if (m === Infinity) return fallBack();
      if (m === -Infinity) continue; // nothing kept in this chunk
      if (op === "softmax") {
        sums[k] = lane.sum(len, masked, m, T);
      } else {
        sums[k] = lane.rest(len, masked, m, T);
        ties[k] = lane.ties();
      }
      if (sums[k] !== sums[k]) return fallBack(); // a kept NaN
      if (m > max) max = m;
    }
    if (max === -Infinity) return fallBack();
    if (op === "softmax") {
      const shift = lane.shiftOf(max, T);
      let sum = 0;
      for (let k = 0; k < chunks; k++) {
        if (maxima[k] !== -Infinity) sum += sums[k] * rescale(lane.shiftOf(maxima[k], T), shift, invT);
      }
      for (let at = 0; at < n; at += chunk) {
        const len = Math.min(chunk, n - at);
        load(at, len);
        lane.softmax(len, masked, max, T, sum);
        out.set(head(lane, len), base + at);
      }
      return;
    }
    // rest = (sum of the terms below the maximum) + (entries equal to it - 1); the count is added
    // last, as an integer, so that a tiny rest is not lost to -1 + rest + 1.
    let below = 0, atMax = 0;
    for (let k = 0; k < chunks; k++) {
      const m = maxima[k];
      if (m === max) {
        below += sums[k];
        atMax += ties[k];
      } else if (m !== -Infinity) {
        below += (sums[k] + ties[k]) * rescale({ value: m, lo: 0, power: null }, { value: max, lo: 0, power: null }, invT);
      }
    }
    const rest = below + (atMax - 1);
    const logSum = Math.log1p(rest);
    if (op === "logSumExp") {
      const shift = max / T, r = shift + logSum;
      if (!(Math.abs(r) >= KEEP_RATIO * Math.max(Math.abs(shift), logSum))) return fallBack();
      out[q] = r;
      return;
    }
    for (let at = 0; at < n; at += chunk) {
      const len = Math.min(chunk, n - at);
      load(at, len);
      lane.log(len, masked, max, T, logSum);
      out.set(head(lane, len), base + at);
    }
  }

  function run(op: Op, x: FloatArray, out: FloatArray, plan: RowPlan, params: LogSumExpParams | RowParams): void {
    const float32 = x.BYTES_PER_ELEMENT === 4;
    const lane = float32 ? lane32 : lane64;
    const weights = (params as LogSumExpParams).weights ?? null;
    // Streamed rows are combined with exp((m_k - M) / T) (rescale), whose rounding of the division a
    // float64 result would show: float64 rows at T != 1 stream only in the JS kernels.
    const longRowForJs = plan.n > lane.chunk && (plan.inner !== 1 || (!float32 && params.temperature !== 1));
    if (weights !== null || !wasmWorthIt(plan, params.temperature, float32) || longRowForJs) {
      return op === "logSumExp" ? jsKernels.logSumExp(x, out, plan, params as LogSumExpParams) : jsKernels[op](x, out, plan, params);
    }
    if (plan.n <= lane.chunk) return batches(op, lane, x, out, plan, params);
    for (let o = 0; o < plan.outer; o++) stream(op, lane, x, out, o * plan.n, o, plan.n, params);
  }

  return {
    name: "wasm-simd",
    softmax: (x, out, plan, params) => run("softmax", x, out, plan, params),
    logSoftmax: (x, out, plan, params) => run("logSoftmax", x, out, plan, params),
    logSumExp: (x, out, plan, params) => run("logSumExp", x, out, plan, params),
  };
}

/** Copies rows q0 ... q0 + rows - 1 (row q = (o, i) with stride inner) of x, and of its mask, into the buffers, packed. */
function gather(x: FloatArray, input: FloatArray, xMask: Uint8Array | null, mask: Uint8Array, q0: number, rows: number, n: number, inner: number): void {
  for (let r = 0; r < rows; r++) {
    const q = q0 + r, o = Math.floor(q / inner), start = o * n * inner + (q - o * inner);
    for (let j = 0, p = start, d = r * n; j < n; j++, p += inner, d++) input[d] = x[p];
    if (xMask !== null) for (let j = 0, p = start, d = r * n; j < n; j++, p += inner, d++) mask[d] = xMask[p];
  }
}

function scatter(output: FloatArray, out: FloatArray, q0: number, rows: number, n: number, inner: number): void {
  for (let r = 0; r < rows; r++) {
    const q = q0 + r, o = Math.floor(q / inner), start = o * n * inner + (q - o * inner);
    for (let j = 0, p = start, s = r * n; j < n; j++, p += inner, s++) out[p] = output[s];
  }
}
