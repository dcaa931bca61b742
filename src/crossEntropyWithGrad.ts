import { crossEntropyLossAndGrad } from "./core/classLoss.js";
import type { ClassTarget, CrossEntropyOptions } from "./lossTypes.js";
import type { FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedReduced, NestedResult } from "./nestedTypes.js";

type Reduced = CrossEntropyOptions & { reduction?: "mean" | "sum" };
type PerSample = CrossEntropyOptions & { reduction: "none" };

/**
 * {@link crossEntropy} and its gradient with respect to the logits, in one pass over the logits. The
 * gradient has the logits' kind and shape; with `reduction: 'none'` it is the gradient of the sum of
 * the per-sample losses (torch's `loss.sum().backward()`).
 *
 * ```ts
 * const { loss, grad } = crossEntropyWithGrad([[2, 1, 0.1]], [0]);
 * // loss 0.41703001627783354, grad [[-0.3409988611140321, 0.24243297070471392, 0.09856589040931818]]
 * ```
 *
 * Per sample the gradient is (A softmax(logits) - a) times the reduction's scale, with a_c the
 * coefficient of lp_c in the loss (the target with its weight and smoothing) and A = sum_c a_c:
 * softmax - one-hot for a plain class index. Ignored samples get a zero gradient; every sample ignored
 * gives loss NaN and a zero gradient under 'mean' (torch). Where softmax is near 1 the difference is
 * formed from the other classes' terms, so it keeps its digits (the gradient of a 1e-18 loss is
 * 1e-18, not 0).
 */
export function crossEntropyWithGrad(logits: Float32Array, target: ClassTarget, options?: Reduced): { loss: number; grad: Float32Array };
export function crossEntropyWithGrad(logits: Float64Array, target: ClassTarget, options?: Reduced): { loss: number; grad: Float64Array };
export function crossEntropyWithGrad<T extends FloatArray>(logits: TensorInput<T>, target: ClassTarget, options?: Reduced): { loss: number; grad: Tensor<T> };
export function crossEntropyWithGrad<X extends NestedInput>(logits: X, target: ClassTarget, options?: Reduced): { loss: number; grad: NestedResult<X> };
export function crossEntropyWithGrad<T extends FloatArray>(logits: T, target: ClassTarget, options: PerSample): { loss: number; grad: T };
export function crossEntropyWithGrad<T extends FloatArray>(logits: TensorInput<T>, target: ClassTarget, options: PerSample): { loss: Tensor<T> | number; grad: Tensor<T> };
export function crossEntropyWithGrad<X extends NestedInput>(logits: X, target: ClassTarget, options: PerSample): { loss: NestedReduced<X>; grad: NestedResult<X> };
export function crossEntropyWithGrad(logits: Values, target: ClassTarget, options?: CrossEntropyOptions): { loss: unknown; grad: unknown };
export function crossEntropyWithGrad(logits: unknown, target: unknown, options?: unknown): unknown {
  return crossEntropyLossAndGrad("crossEntropyWithGrad", logits, target, options);
}
