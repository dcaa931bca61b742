// The shared pipeline of crossEntropy, crossEntropyWithGrad and nllLoss: read the logits (or
// log-probabilities), the targets and the options once; plan the rows along the class axis; compute
// each sample's loss (and the gradient rows) with the JS kernels; reduce as torch does.
import type { FloatArray, Nested, Tensor } from "../types.js";
import { activeKernels } from "../kernels/active.js";
import { denseFromProbs, oneHotFromProbs, REDO, TINY_32, TINY_64 } from "../kernels/js/crossEntropyFromProbs.js";
import { compensatedSum } from "../kernels/js/compensatedSum.js";
import { crossEntropyRow, gatherRow, rowSpace, zeroRow } from "../kernels/js/crossEntropyRows.js";
import { allocate } from "./floatArrays.js";
import { readValues, type Input } from "./input.js";
import { readClassWeights, readIgnoreIndex, readLabelSmoothing, readReduction, type Reduction } from "./lossOptions.js";
import { readAxis, readOptions } from "./options.js";
import { reductionResult, toInputKind } from "./output.js";
import { planRows, reducedShape } from "./plan.js";
import { readTargets, type Targets } from "./targets.js";
import type { RowPlan } from "../kernels/kernels.js";

export type LossValue = number | Nested | FloatArray | Tensor;

interface LossSetup {
  input: Input;
  plan: RowPlan;
  axis: number;
  targets: Targets;
  weights: Float64Array | null;
  smoothing: number;
  reduction: Reduction;
}

const REDUCTIONS = ["mean", "sum", "none"] as const;

function setup(fn: string, x: unknown, xName: string, target: unknown, options: unknown, probabilities: boolean): LossSetup {
  const input = readValues(x, fn, xName);
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const plan = planRows(input.shape, axis);
  const reduction = readReduction(o.reduction, REDUCTIONS, fn);
  const smoothing = probabilities ? readLabelSmoothing(o.labelSmoothing, fn) : 0;
  const weights = readClassWeights(o.weights, plan.n, fn);
  const ignoreIndex = readIgnoreIndex(o.ignoreIndex, fn);
  const targets = readTargets(target, input, axis, plan, "target", fn, { probabilities, ignoreIndex });
  return { input, plan, axis, targets, weights, smoothing, reduction };
}

/**
 * The divisor of the 'mean' reduction (torch): with class indices, the sum of the target classes'
 * weights over the samples not ignored (their count without weights); with probabilities, the number
 * of samples. 0 when every sample is ignored, which makes the mean NaN, as in torch.
 */
function meanDivisor(s: LossSetup): number {
  const { targets, weights } = s;
  if (targets.kind === "probabilities") return s.plan.outer * s.plan.inner;
  if (weights === null) return targets.kept;
  let sum = 0;
  for (const y of targets.classes) if (y >= 0) sum += weights[y];
  return sum;
}

/** Fills space.a with the coefficients a_c of sample `sample` (see crossEntropyRows.ts). */
function fillCoefficients(s: LossSetup, a: Float64Array, sample: number, off: number): void {
  const { targets, weights, smoothing: eps, plan } = s;
  const n = plan.n;
  const spread = eps / n;
  if (targets.kind === "indices") {
    const y = targets.classes[sample];
    for (let c = 0; c < n; c++) a[c] = eps === 0 ? 0 : spread * (weights === null ? 1 : weights[c]);
    a[y] += (1 - eps) * (weights === null ? 1 : weights[y]);
  } else {
    const t = targets.data;
    for (let c = 0, p = off; c < n; c++, p += plan.inner) {
      const tc = eps === 0 ? t[p] : (1 - eps) * t[p] + spread;
      a[c] = weights === null ? tc : weights[c] * tc;
    }
  }
}

/**
 * Per-sample losses (float64, in the layout of the reduced logits) and, if asked, `scale` times the
 * gradient. softmax of the whole batch comes first, from the active kernels (the one exp pass), into
 * the gradient's array; each row is then finished from its probabilities, or, where a probability the
 * loss needs has underflowed, redone from its logits.
 */
function crossEntropyRows(s: LossSetup, grad: FloatArray | null, scale: number): Float64Array {
  const { outer, n, inner } = s.plan;
  const { targets, weights, smoothing } = s;
  const x = s.input.data;
  const probs = grad ?? allocate(s.input.float, x.length);
  activeKernels().softmax(x, probs, s.plan, { temperature: 1, mask: null });
  const tiny = s.input.float === "float32" ? TINY_32 : TINY_64;
  const losses = new Float64Array(outer * inner);
  const space = rowSpace(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const sample = o * inner + i, off = o * n * inner + i;
      if (targets.kind === "indices" && targets.classes[sample] < 0) { // ignored
        if (grad !== null) zeroRow(grad, off, inner, n);
        continue;
      }
      let loss: number;
      if (targets.kind === "indices" && smoothing === 0) {
        const y = targets.classes[sample];
        loss = oneHotFromProbs(probs, grad, off, inner, n, y, weights === null ? 1 : weights[y], scale, tiny);
      } else {
        fillCoefficients(s, space.a, sample, off);
        loss = denseFromProbs(probs, grad, off, inner, n, space.a, scale, tiny);
      }
      if (loss === REDO) {
        gatherRow(x, off, inner, n, space.x);
        fillCoefficients(s, space.a, sample, off);
        loss = crossEntropyRow(space, n, grad, off, inner, scale);
      }
      losses[sample] = loss;
    }
  }
  return losses;
}

function reduce(s: LossSetup, losses: Float64Array, divisor: number): LossValue {
  if (s.reduction === "sum") return compensatedSum(losses);
  if (s.reduction === "mean") return compensatedSum(losses) / divisor;
  const out = allocate(s.input.float, losses.length);
  out.set(losses);
  return reductionResult(s.input, out, reducedShape(s.input.shape, s.axis, false));
}

export function crossEntropyLoss(fn: string, logits: unknown, target: unknown, options: unknown): LossValue {
  const s = setup(fn, logits, "logits", target, options, true);
  const divisor = s.reduction === "mean" ? meanDivisor(s) : 1;
  return reduce(s, crossEntropyRows(s, null, 1), divisor);
}

export function crossEntropyLossAndGrad(fn: string, logits: unknown, target: unknown, options: unknown): { loss: LossValue; grad: LossValue } {
  const s = setup(fn, logits, "logits", target, options, true);
  const divisor = s.reduction === "mean" ? meanDivisor(s) : 1;
  const grad = allocate(s.input.float, s.input.data.length);
  // Every sample ignored: the mean is NaN (0 / 0) but nothing depends on the logits, so the gradient is 0.
  const losses = crossEntropyRows(s, grad, divisor === 0 ? 0 : 1 / divisor);
  return { loss: reduce(s, losses, divisor), grad: toInputKind(s.input, grad, s.input.shape) };
}

/** nllLoss: loss_n = -w_y logProbs[n, y] (class indices only). */
export function nllLossOf(fn: string, logProbs: unknown, target: unknown, options: unknown): LossValue {
  const s = setup(fn, logProbs, "logProbs", target, options, false);
  const { outer, n, inner } = s.plan;
  const classes = (s.targets as { classes: Int32Array }).classes;
  const losses = new Float64Array(outer * inner);
  const lp = s.input.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const sample = o * inner + i;
      const y = classes[sample];
      if (y < 0) continue;
      const w = s.weights === null ? 1 : s.weights[y];
      if (w !== 0) losses[sample] = 0 - w * lp[o * n * inner + i + y * inner]; // a weight of 0 counts as 0, even at -Infinity
    }
  }
  return reduce(s, losses, s.reduction === "mean" ? meanDivisor(s) : 1);
}
