// The equal-width confidence bins of expectedCalibrationError and reliabilityDiagram (Guo, Pleiss, Sun
// & Weinberger 2017, "On Calibration of Modern Neural Networks", ICML, §2; after Naeini, Cooper &
// Hauskrecht 2015, "Obtaining Well Calibrated Probabilities Using Bayesian Binning", AAAI).
// One pass over the samples fills the bins; reliabilityDiagram reports them, expectedCalibrationError
// reduces them.
import { rangeError } from "./describe.js";
import { entryName, readValues, type Input } from "./input.js";
import { readAxis, readOptions } from "./options.js";
import { planRows } from "./plan.js";
import { readLabels } from "./targets.js";
import { readPositiveInteger } from "./lossOptions.js";
import { sumError, twoProd, type DD } from "../kernels/js/doubleDouble.js";

/** What the bins hold: per bin m, the samples whose confidence lies in (m / M, (m + 1) / M], exactly. */
export interface BinTotals {
  /** Number of samples, N. */
  samples: number;
  count: Float64Array;
  /** Samples whose first most probable class is their label. */
  correct: Float64Array;
  /** Sum of the confidences, as an unevaluated sum hi + lo (compensated, Ogita, Rump & Oishi's Sum2). */
  confidenceHi: Float64Array;
  confidenceLo: Float64Array;
}

/**
 * Reads `probs`, `labels` and `{ bins, axis }` for `fn` and fills the bins. Every entry of probs must
 * be in [0, 1] (rows need not sum to exactly 1); there must be at least one sample and one class.
 */
export function calibrationBins(probs: unknown, labels: unknown, options: unknown, fn: string): BinTotals {
  const input = readValues(probs, fn, "probs");
  const opts = readOptions(options, fn);
  const axis = readAxis(opts.axis, input.shape.length, fn);
  const bins = readPositiveInteger(opts.bins, "bins", 15, fn);
  const plan = planRows(input.shape, axis);
  const { outer, n, inner } = plan;
  const samples = outer * inner;
  const shape = `[${input.shape.join(", ")}]`;
  if (n === 0) throw rangeError(fn, `probs must have at least one class along axis ${axis} (its shape is ${shape})`, probs);
  if (samples === 0) throw rangeError(fn, `probs must hold at least one sample (its shape is ${shape})`, probs);
  const data = input.data;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (!(v >= 0 && v <= 1)) throw rangeError(fn, `${entryName(input, "probs", k)} must be a probability, in [0, 1]`, v);
  }
  const classes = readLabels(labels, input, axis, plan, fn);

  const totals: BinTotals = {
    samples,
    count: new Float64Array(bins),
    correct: new Float64Array(bins),
    confidenceHi: new Float64Array(bins),
    confidenceLo: new Float64Array(bins),
  };
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const off = o * n * inner + i;
      let best = 0, confidence = data[off];
      for (let c = 1; c < n; c++) {
        const v = data[off + c * inner];
        if (v > confidence) { confidence = v; best = c; } // strict: the first index of the maximum
      }
      const m = binOf(confidence, bins);
      totals.count[m]++;
      if (best === classes[o * inner + i]) totals.correct[m]++;
      const hi = totals.confidenceHi[m];
      const sum = hi + confidence;
      totals.confidenceLo[m] += sumError(hi, confidence, sum);
      totals.confidenceHi[m] = sum;
    }
  }
  return totals;
}

const product: DD = { hi: 0, lo: 0 };

/**
 * The bin m of `confidence` in [0, 1] among M: m / M < confidence <= (m + 1) / M, compared exactly
 * (confidence * M = hi + lo exactly, against the integers m and m + 1; no rounded boundary, no
 * accumulated steps); 0 goes in bin 0.
 */
export function binOf(confidence: number, bins: number): number {
  twoProd(confidence, bins, product);
  const { hi, lo } = product;
  // hi = fl(confidence * M). When hi is not an integer, no integer lies between it and the exact
  // product (integers below 2^53 are doubles, and hi is the nearest double): the bin is ceil(hi) - 1.
  let m = Math.ceil(hi) - 1;
  if (m + 1 === hi && lo > 0) m++; // hi an integer n and the product just above it: bin n
  return m < 0 ? 0 : m > bins - 1 ? bins - 1 : m;
}
