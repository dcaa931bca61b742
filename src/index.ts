// The public API (API.md). This file only re-exports.
export { softmax } from "./softmax.js";
export { logSoftmax } from "./logSoftmax.js";
export { logSumExp, type LogSumExpOptions } from "./logSumExp.js";
export type {
  AxisOptions, AxisOptionsOut, FloatArray, Mask, Nested, NestedInput, Tensor, TensorInput, Values,
} from "./types.js";
export type { NestedReduced, NestedResult } from "./nestedTypes.js";
export { backend, ready, setBackend, type BackendName } from "./backend.js";
export { crossEntropy } from "./crossEntropy.js";
export { crossEntropyWithGrad } from "./crossEntropyWithGrad.js";
export { nllLoss } from "./nllLoss.js";
export type { ClassTarget, CrossEntropyOptions, LossReduction, NllLossOptions } from "./lossTypes.js";
export { softmaxJacobian } from "./softmaxJacobian.js";
export { softmaxVjp } from "./softmaxVjp.js";
export { logSoftmaxVjp } from "./logSoftmaxVjp.js";
export { entropy } from "./entropy.js";
export { klDivergence } from "./klDivergence.js";
export { distillationLoss, type DistillationOptions } from "./distillationLoss.js";
export { fitTemperature, type FitTemperatureOptions } from "./fitTemperature.js";
export { expectedCalibrationError } from "./expectedCalibrationError.js";
export { reliabilityDiagram, type CalibrationOptions, type ReliabilityBin } from "./reliabilityDiagram.js";
export { createRng, type Pcg32, type RandomOptions, type Rng, type RngSource } from "./createRng.js";
export { sparsemax } from "./sparsemax.js";
export { entmax15 } from "./entmax15.js";
export { entmax, type EntmaxOptions, type EntmaxOptionsOut } from "./entmax.js";
export { sparsemaxVjp } from "./sparsemaxVjp.js";
export { entmax15Vjp } from "./entmax15Vjp.js";
export { filterTopK, type FilterOptions } from "./filterTopK.js";
export { filterTopP, type TopPOptions } from "./filterTopP.js";
export { filterMinP, type MinPOptions } from "./filterMinP.js";
export { sampleLogits, type SampleLogitsOptions } from "./sampleLogits.js";
export { hardmax, type HardmaxOptions } from "./hardmax.js";
export { argmax, type ArgmaxOptions } from "./argmax.js";
export type { IndexTensor, Indices } from "./core/indexOutput.js";
export { sigmoid, type SigmoidOptions } from "./sigmoid.js";
export { gumbelSoftmax, type GumbelSoftmaxOptions } from "./gumbelSoftmax.js";
export { sampleCategorical, type SampleCategoricalOptions } from "./sampleCategorical.js";
export { attention, type AttentionOptions } from "./attention.js";
