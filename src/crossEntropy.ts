import { crossEntropyLoss } from "./core/classLoss.js";
import type { ClassTarget, CrossEntropyOptions } from "./lossTypes.js";
import type { FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedReduced } from "./nestedTypes.js";

type Reduced = CrossEntropyOptions & { reduction?: "mean" | "sum" };
type PerSample = CrossEntropyOptions & { reduction: "none" };

/**
 * The cross-entropy between a target and softmax(logits) along the class axis, as
 * `torch.nn.functional.cross_entropy`: class indices or class probabilities, `reduction`,
 * `labelSmoothing`, per-class `weights` and `ignoreIndex`.
 *
 * ```ts
 * crossEntropy([[2, 1, 0.1], [0.5, 2.5, 0.3]], [0, 1]); // 0.3185397696491857
 * ```
 *
 * Per sample, with log-probabilities lp = logSoftmax(logits): a class index y gives
 * -(1 - s) w_y lp_y - (s / C) sum_c w_c lp_c, a probability target t gives -sum_c w_c t'_c lp_c with
 * t' = (1 - s) t + s / C (s = labelSmoothing, w = weights, 1 without). 'mean' divides the sum by the
 * total weight of the target classes of the samples not ignored (their count without weights) for
 * class indices, by the number of samples for probabilities; 'none' returns one loss per sample (the
 * logits' shape without the class axis). Every sample ignored gives NaN under 'mean', 0 under 'sum'
 * (torch). Reductions are float64 numbers, also for Float32Array logits.
 *
 * Edge cases: computed from the logits through log-sum-exp, never log(softmax), so logits of 1e4 give
 * finite, exact losses; a -Infinity logit costs Infinity only if the target puts weight on it (a zero
 * coefficient times -Infinity counts as 0, where torch gives NaN for probability targets); a NaN logit
 * makes its sample NaN. Targets out of range, negative probabilities, labelSmoothing outside [0, 1]
 * and shapes that disagree throw RangeError.
 */
export function crossEntropy(logits: Values, target: ClassTarget, options?: Reduced): number;
export function crossEntropy(logits: FloatArray | readonly number[], target: ClassTarget, options: PerSample): number;
export function crossEntropy<T extends FloatArray>(logits: TensorInput<T>, target: ClassTarget, options: PerSample): Tensor<T> | number;
export function crossEntropy<X extends NestedInput>(logits: X, target: ClassTarget, options: PerSample): NestedReduced<X>;
export function crossEntropy(logits: Values, target: ClassTarget, options?: CrossEntropyOptions): unknown;
export function crossEntropy(logits: unknown, target: unknown, options?: unknown): unknown {
  return crossEntropyLoss("crossEntropy", logits, target, options);
}
