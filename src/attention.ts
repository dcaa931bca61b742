import { readAttention } from "./core/attentionInputs.js";
import { allocate } from "./core/floatArrays.js";
import { toInputKind } from "./core/output.js";
import { AttentionWork, attendEntry } from "./kernels/js/attentionRows.js";
import type { FloatArray, Mask, Nested, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

export interface AttentionOptions {
  /**
   * Each query sees the keys up to its own position, aligned bottom-right: query i sees key j when
   * j <= i + (Tk - Tq). With Tq = Tk that is the lower triangle (diagonal included); with Tq < Tk
   * (new queries against a cache of keys) every new query sees all earlier keys; with Tq > Tk the
   * first Tq - Tk queries see nothing (zeros). Default false.
   */
  causal?: boolean;
  /**
   * Truthy = attend. Shape [Tq, Tk] (one mask for every batch entry) or [..., Tq, Tk], broadcasting
   * against the leading dims; Tq may be 1 (one row for every query: a key-padding mask such as
   * [batch, 1, 1, Tk]). Nested, a { data, shape } tensor, or flat with Tq * Tk entries (or Tk, or one
   * per score). Combined with `causal` by AND.
   */
  mask?: Mask;
  /** Multiplies the scores q.k; default 1 / sqrt(d). Must be finite. */
  scale?: number;
  /** Also return the Tq x Tk weights (otherwise that matrix is never made). Default false. */
  returnWeights?: boolean;
}

type WithWeights = AttentionOptions & { returnWeights: true };
type WithoutWeights = AttentionOptions & { returnWeights?: false };

/**
 * Scaled dot-product attention: softmax(Q K^T * scale, masked) V over the last two dims; the leading
 * (batch, head) dims broadcast as in NumPy. query [..., Tq, d], key [..., Tk, d], value [..., Tk, dv];
 * output [..., Tq, dv] and, with `returnWeights`, weights [..., Tq, Tk], both the same kind as `query`
 * (nested arrays, or a tensor with query's data type; a bare typed array is 1-D and not accepted).
 *
 * ```ts
 * attention([[1, 0]], [[1, 0], [0, 1]], [[10], [20]], { scale: 2 * Math.LN2 }).output; // [[12]]: weights 0.8 and 0.2
 * ```
 *
 * Edge cases: a query row with nothing to attend to (every key masked or beyond the causal limit, or
 * Tk = 0) gives zeros, and zero weights, never NaN. Keys whose weight is 0 contribute nothing, so
 * NaN or Infinity in a masked value row cannot leak. Scores follow API.md §2: k scores of +Infinity
 * share the weight; a visible NaN score makes its row NaN.
 *
 * Method: FlashAttention's blocked loop with an online softmax, in float64 (scores carried in
 * double-double; float64 outputs use compensated dot products and sums); memory is a few blocks beyond
 * the output, plus the weights only when asked.
 */
export function attention<T extends FloatArray>(query: TensorInput<T>, key: Values, value: Values, options: WithWeights): { output: Tensor<T>; weights: Tensor<T> };
export function attention<T extends FloatArray>(query: TensorInput<T>, key: Values, value: Values, options?: WithoutWeights): { output: Tensor<T> };
/** Nested arrays: the output has query's nesting (deeper only if key, value or mask add batch dims). */
export function attention<Q extends NestedInput>(query: Q, key: Values, value: Values, options: WithWeights): { output: NestedResult<Q>; weights: NestedResult<Q> };
export function attention<Q extends NestedInput>(query: Q, key: Values, value: Values, options?: WithoutWeights): { output: NestedResult<Q> };
/** returnWeights known only at run time. */
export function attention(query: Values, key: Values, value: Values, options?: AttentionOptions): { output: Nested | Tensor; weights?: Nested | Tensor };
export function attention(query: unknown, key: unknown, value: unknown, options?: unknown): unknown {
  const p = readAttention(query, key, value, options, "attention");
  const { Tq, Tk, d, dv, batchShape } = p;
  const batches = p.queryStart.length;
  const float = p.query.float;
  const out = allocate(float, batches * Tq * dv);
  const weights = p.returnWeights ? allocate(float, batches * Tq * Tk) : null;
  const work = new AttentionWork({ Tq, Tk, d, dv, scale: p.scale, causal: p.causal, precise: float === "float64" }, p.returnWeights);
  for (let b = 0; b < batches; b++) {
    attendEntry(work, {
      q: p.query.data, qStart: p.queryStart[b],
      k: p.key.data, kStart: p.keyStart[b],
      v: p.value.data, vStart: p.valueStart[b],
      mask: p.mask, maskStart: p.maskStart === null ? 0 : p.maskStart[b], maskRowStride: p.maskRowStride,
      out, outStart: b * Tq * dv,
      weights, weightsStart: b * Tq * Tk,
    });
  }
  const result: { output: unknown; weights?: unknown } = { output: toInputKind(p.query, out, [...batchShape, Tq, dv]) };
  if (weights !== null) result.weights = toInputKind(p.query, weights, [...batchShape, Tq, Tk]);
  return result;
}
