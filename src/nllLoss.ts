import { nllLossOf } from "./core/classLoss.js";
import type { ClassTarget, NllLossOptions } from "./lossTypes.js";
import type { FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedReduced } from "./nestedTypes.js";

type Reduced = NllLossOptions & { reduction?: "mean" | "sum" };
type PerSample = NllLossOptions & { reduction: "none" };

/**
 * The negative log-likelihood of class indices under log-probabilities, as
 * `torch.nn.functional.nll_loss`: loss_n = -w_y logProbs[n, y].
 *
 * ```ts
 * nllLoss([[-0.5, -1.2, -2.3], [-2, -0.2, -3]], [0, 1]); // 0.35
 * ```
 *
 * `logProbs` are used as given (log-softmax output, not checked to be normalised). 'mean' divides by
 * the total weight of the target classes of the samples not ignored; every sample ignored gives NaN
 * under 'mean' (torch). A target class at -Infinity gives Infinity; a class weight of 0 gives 0 there.
 * Targets must be class indices: probabilities are for {@link crossEntropy}.
 */
export function nllLoss(logProbs: Values, target: ClassTarget, options?: Reduced): number;
export function nllLoss(logProbs: FloatArray | readonly number[], target: ClassTarget, options: PerSample): number;
export function nllLoss<T extends FloatArray>(logProbs: TensorInput<T>, target: ClassTarget, options: PerSample): Tensor<T> | number;
export function nllLoss<X extends NestedInput>(logProbs: X, target: ClassTarget, options: PerSample): NestedReduced<X>;
export function nllLoss(logProbs: Values, target: ClassTarget, options?: NllLossOptions): unknown;
export function nllLoss(logProbs: unknown, target: unknown, options?: unknown): unknown {
  return nllLossOf("nllLoss", logProbs, target, options);
}
