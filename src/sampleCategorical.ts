import { rangeError } from "./core/describe.js";
import { indicesAlongAxis, type IndexTensor, type Indices } from "./core/indexOutput.js";
import { entryName, readValues, type Input } from "./core/input.js";
import { readAxis, readOptions } from "./core/options.js";
import { planRows } from "./core/plan.js";
import { readRng } from "./core/rngOption.js";
import type { RandomOptions } from "./createRng.js";
import { inverseCdf, rowTotal } from "./kernels/js/inverseCdf.js";
import type { FloatArray, NestedInput, TensorInput, Values } from "./types.js";
import type { NestedReduced } from "./nestedTypes.js";

export interface SampleCategoricalOptions extends RandomOptions {
  /** The axis along which each row holds one distribution; default -1 (the last). */
  axis?: number;
}

/** Weights whose sum overflows are scaled by this power of two (exactly) before the draw. */
const OVERFLOW_SCALE = 2 ** -64;

/**
 * One draw from each row along `axis` of non-negative weights: index j with probability
 * w_j / sum(w). The weights need not sum to 1 (like torch.multinomial with one sample). Rows are drawn
 * in the row-major order of the result, one uniform each.
 *
 * ```ts
 * sampleCategorical([0.1, 0, 0.6, 0.3], { seed: 42 }); // 2
 * ```
 *
 * Returns a number for a 1-D input; otherwise the indices in the kinds argmax returns (nested
 * `number[]`, or `{ data: Int32Array, shape }` for a tensor), the axis removed.
 *
 * Randomness: `rng` (an object with `next()` or a bare function) or `seed` (for {@link createRng}),
 * not both; with neither, a fresh generator seeded from crypto.
 *
 * Edge cases: an entry of weight 0 is never drawn. A negative, NaN or infinite entry is a RangeError
 * naming its index and value, and a row without a positive weight (all 0, or an empty axis) a
 * RangeError naming the row; both are checked before any draw.
 *
 * Method: inverse CDF: u * total, then a scan of the running sum for the first entry past it; where
 * rounding leaves u * total at the very top, the last positive weight is drawn.
 */
export function sampleCategorical(probs: FloatArray | readonly number[], options?: SampleCategoricalOptions): number;
/** A 1-D tensor gives a number; higher ranks a tensor of indices. */
export function sampleCategorical(probs: TensorInput, options?: SampleCategoricalOptions): IndexTensor | number;
export function sampleCategorical<X extends NestedInput>(probs: X, options?: SampleCategoricalOptions): NestedReduced<X>;
export function sampleCategorical(probs: Values, options?: SampleCategoricalOptions): Indices;
export function sampleCategorical(probs: unknown, options?: unknown): Indices {
  const fn = "sampleCategorical";
  const input = readValues(probs, fn, "probs");
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const draw = readRng(o.rng, o.seed, fn);
  const w = input.data;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] >= 0 && w[i] < Infinity)) {
      throw rangeError(fn, `${entryName(input, "probs", i)} must be a finite weight >= 0`, w[i]);
    }
  }

  const { outer, n, inner } = planRows(input.shape, axis);
  if (n === 0 && outer * inner > 0) {
    throw new RangeError(`${fn}: axis ${axis} of probs is empty (shape [${input.shape.join(", ")}]), so its rows have nothing to draw`);
  }
  const totals = new Float64Array(outer * inner), scales = new Float64Array(outer * inner);
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) {
      const off = a * n * inner + i, r = a * inner + i;
      let scale = 1, total = rowTotal(w, off, inner, n, scale);
      if (total === Infinity) total = rowTotal(w, off, inner, n, (scale = OVERFLOW_SCALE));
      if (total === 0) throw rangeError(fn, `the weights of ${rowName(input, axis, a, i)} sum to 0 (a row needs a positive weight)`, total);
      totals[r] = total;
      scales[r] = scale;
    }
  }
  return indicesAlongAxis(input, axis, false, (off, stride, len, r) => inverseCdf(w, off, stride, len, draw() * totals[r], scales[r]));
}

/** The row (a, i) along `axis` as an index with ':' on the axis: "probs[1, :, 0]". */
function rowName(input: Input, axis: number, a: number, i: number): string {
  const index: (number | string)[] = [];
  for (let d = input.shape.length - 1; d > axis; d--) {
    index.unshift(i % input.shape[d]);
    i = Math.floor(i / input.shape[d]);
  }
  index.unshift(":");
  for (let d = axis - 1; d >= 0; d--) {
    index.unshift(a % input.shape[d]);
    a = Math.floor(a / input.shape[d]);
  }
  return `probs row [${index.join(", ")}]`;
}
