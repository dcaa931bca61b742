import { reduceRows } from "./core/reduceRows.js";
import { klDivergenceRow } from "./kernels/js/informationRows.js";
import type { FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedReduced, NestedResult } from "./nestedTypes.js";

interface Options {
  axis?: number;
  keepDims?: boolean;
}

/**
 * The Kullback-Leibler divergence KL(p || q) = sum p log(p / q) of each pair of distributions along
 * `axis`, in nats.
 *
 * ```ts
 * klDivergence([0.5, 0.5], [0.9, 0.1]); // 0.5108256237659906
 * ```
 *
 * Terms with p = 0 are 0 (0 log 0 = 0, whatever q); q = 0 where p > 0 gives +Infinity. `q` has the
 * shape of `p` (nested, a tensor, or flat). Negative entries throw RangeError; NaN gives NaN. Note the
 * order: torch's `kl_div(input, target)` takes log q first and p second; this is scipy's `rel_entr(p,
 * q).sum()`. Method: written as sum(p log(p/q) - p + q) + sum(p - q), whose first sum has no
 * cancellation (see src/kernels/js/informationRows.ts), so a divergence of 1e-20 between nearly equal
 * distributions keeps its digits, and the result is never below sum(p) - sum(q) (0 when both sum to 1).
 */
export function klDivergence(p: FloatArray | readonly number[], q: Values, options?: Options & { keepDims?: false }): number;
export function klDivergence<T extends FloatArray>(p: TensorInput<T>, q: Values, options?: Options): Tensor<T> | number;
export function klDivergence<X extends NestedInput>(p: X, q: Values, options: Options & { keepDims: true }): NestedResult<X>;
export function klDivergence<X extends NestedInput>(p: X, q: Values, options?: Options & { keepDims?: false }): NestedReduced<X>;
export function klDivergence(p: FloatArray, q: Values, options: Options & { keepDims: true }): FloatArray;
export function klDivergence(p: unknown, q: unknown, options?: unknown): unknown {
  return reduceRows("klDivergence", p, q, options, ["p", "q"], klDivergenceRow);
}
