// The kernel contract: what an op hands to whichever kernel set is active (JS now; wasm-simd later).
// Kernels are pure arithmetic over strided rows: no validation, no allocation visible to the caller.
import type { FloatArray } from "../types.js";

/**
 * Rows along one axis of a row-major array: `outer * inner` rows of `n` entries; row (o, i) starts
 * at `o * n * inner + i` and its entries are `inner` apart. Reductions write row (o, i) to `o * inner + i`.
 */
export interface RowPlan {
  outer: number;
  n: number;
  inner: number;
}

export interface RowParams {
  /** >= 0; 0 and Infinity are the limits of API.md §2. */
  temperature: number;
  /** One byte per element of x, laid out like x; 0 = left out. */
  mask: Uint8Array | null;
}

export interface LogSumExpParams extends RowParams {
  /** SciPy's `b`: log(sum(b * exp(x))). One per element of x, laid out like x. */
  weights: Float64Array | null;
}

/**
 * A kernel set. `x` and `out` have the same constructor (Float32Array or Float64Array); `out` may be
 * `x` itself (in place). Every edge case of API.md §2 is the kernel's to get right, identically in
 * every set: the tests run one case table against each.
 */
export interface Kernels {
  readonly name: string;
  softmax(x: FloatArray, out: FloatArray, plan: RowPlan, params: RowParams): void;
  logSoftmax(x: FloatArray, out: FloatArray, plan: RowPlan, params: RowParams): void;
  logSumExp(x: FloatArray, out: FloatArray, plan: RowPlan, params: LogSumExpParams): void;
}
