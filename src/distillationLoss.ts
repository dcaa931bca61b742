import { rangeError, typeError } from "./core/describe.js";
import { allocate } from "./core/floatArrays.js";
import { readValues } from "./core/input.js";
import { readReduction } from "./core/lossOptions.js";
import { readAxis, readOptions, readPartner } from "./core/options.js";
import { reductionResult } from "./core/output.js";
import { planRows, reducedShape } from "./core/plan.js";
import { gatherRow } from "./kernels/js/crossEntropyRows.js";
import { temperatureParts } from "./kernels/js/doubleDouble.js";
import { compensatedSum } from "./kernels/js/compensatedSum.js";
import { klFromLogProbs } from "./kernels/js/informationRows.js";
import { logSoftmaxRow64, softmaxRow64 } from "./kernels/js/softmaxRows.js";
import type { FloatArray, NestedInput, Tensor, TensorInput, Values } from "./types.js";
import type { NestedReduced } from "./nestedTypes.js";

export interface DistillationOptions {
  /** Softens both distributions: softmax(logits / T). Finite and > 0; default 1. */
  temperature?: number;
  /** The class axis; default -1. */
  axis?: number;
  /** 'batchmean' (default): the sum over samples divided by their number; 'sum'; 'none': per sample. */
  reduction?: "batchmean" | "sum" | "none";
}

const REDUCTIONS = ["batchmean", "sum", "none"] as const;

/**
 * Knowledge-distillation loss of Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a Neural
 * Network": T^2 * KL(softmax(teacher / T) || softmax(student / T)) per sample.
 *
 * ```ts
 * distillationLoss([[1, 2, 3]], [[3, 2, 1]], { temperature: 2 }); // 1.2806266713192258
 * ```
 *
 * The T^2 factor keeps the gradients' scale independent of T. Computed from log-softmax of both
 * (never log of softmax), so far-apart logits give finite, exact values; a teacher probability of 0
 * contributes 0. The sum is taken as sum q phi(p / q), phi(r) = r log r - r + 1 >= 0 (equal to KL for
 * distributions), whose terms never cancel: a divergence carried by classes of probability 1e-176
 * keeps its digits where sum p (log p - log q) would return rounding noise. 'batchmean' divides by the number of samples (every axis but the class axis); torch's
 * `kl_div(..., reduction='batchmean')` divides by the first dimension only, which is the same for
 * [batch, classes] logits. `teacherLogits` has the shape of `studentLogits`.
 */
export function distillationLoss(studentLogits: Values, teacherLogits: Values, options?: DistillationOptions & { reduction?: "batchmean" | "sum" }): number;
export function distillationLoss(studentLogits: FloatArray | readonly number[], teacherLogits: Values, options: DistillationOptions & { reduction: "none" }): number;
export function distillationLoss<T extends FloatArray>(studentLogits: TensorInput<T>, teacherLogits: Values, options: DistillationOptions & { reduction: "none" }): Tensor<T> | number;
export function distillationLoss<X extends NestedInput>(studentLogits: X, teacherLogits: Values, options: DistillationOptions & { reduction: "none" }): NestedReduced<X>;
export function distillationLoss(studentLogits: Values, teacherLogits: Values, options?: DistillationOptions): unknown;
export function distillationLoss(studentLogits: unknown, teacherLogits: unknown, options?: unknown): unknown {
  const fn = "distillationLoss";
  const input = readValues(studentLogits, fn, "studentLogits");
  const teacher = readPartner(teacherLogits, input, "teacherLogits", fn);
  const o = readOptions(options, fn);
  const T = readSofteningTemperature(o.temperature, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const reduction = readReduction(o.reduction, REDUCTIONS, fn);
  const { outer, n, inner } = planRows(input.shape, axis);
  const temperature = { T, parts: T === 1 ? null : temperatureParts(T) };
  const s = new Float64Array(n), t = new Float64Array(n), lpS = new Float64Array(n), lpT = new Float64Array(n), pS = new Float64Array(n), pT = new Float64Array(n);
  const losses = new Float64Array(outer * inner);
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) {
      const off = a * n * inner + i;
      gatherRow(input.data, off, inner, n, s);
      gatherRow(teacher, off, inner, n, t);
      logSoftmaxRow64(s, lpS, 0, 1, n, null, temperature);
      logSoftmaxRow64(t, lpT, 0, 1, n, null, temperature);
      softmaxRow64(t, pT, 0, 1, n, null, temperature);
      softmaxRow64(s, pS, 0, 1, n, null, temperature);
      losses[a * inner + i] = T * T * klFromLogProbs(pT, pS, lpT, lpS, n);
    }
  }
  if (reduction !== "none") {
    const total = compensatedSum(losses);
    return reduction === "sum" ? total : total / losses.length;
  }
  const out = allocate(input.float, losses.length);
  out.set(losses);
  return reductionResult(input, out, reducedShape(input.shape, axis, false));
}

function readSofteningTemperature(value: unknown, fn: string): number {
  if (value === undefined) return 1;
  if (typeof value !== "number") throw typeError(fn, "temperature must be a number", value);
  if (!(value > 0 && value < Infinity)) throw rangeError(fn, "temperature must be finite and > 0", value);
  return value;
}
