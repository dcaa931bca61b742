// Reliability diagrams: Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural Networks",
// ICML, §2 (after DeGroot & Fienberg 1983 and Niculescu-Mizil & Caruana 2005). The binning is shared
// with expectedCalibrationError (src/core/calibrationBins.ts).
import { calibrationBins } from "./core/calibrationBins.js";
import type { ClassTarget } from "./lossTypes.js";
import type { Values } from "./types.js";

export interface CalibrationOptions {
  /** Number of equal-width confidence bins M, a positive integer; default 15. */
  bins?: number;
  /** The class axis; default -1 (the last). */
  axis?: number;
}

/** One bin of a reliability diagram: the samples whose confidence lies in (lower, upper]. */
export interface ReliabilityBin {
  /** m / M (the bin holds confidences above it, compared exactly). */
  lower: number;
  /** (m + 1) / M (the bin holds confidences up to it, included). */
  upper: number;
  /** Mean confidence of the samples in the bin; 0 when the bin is empty. */
  confidence: number;
  /** Fraction of them whose prediction is their label; 0 when the bin is empty. */
  accuracy: number;
  /** Number of samples in the bin. */
  count: number;
}

/**
 * The reliability diagram of class probabilities against labels: accuracy and mean confidence in each
 * of `bins` equal-width bins of confidence.
 *
 * ```ts
 * reliabilityDiagram([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]], [0, 0, 0], { bins: 2 });
 * // [{ lower: 0, upper: 0.5, confidence: 0, accuracy: 0, count: 0 },
 * //  { lower: 0.5, upper: 1, confidence: 0.7333333333333334, accuracy: 0.6666666666666666, count: 3 }]
 * ```
 *
 * A sample's confidence is its largest probability along the class axis (`axis`, default the last),
 * its prediction the first class holding it; it is correct when the prediction is its label (a class
 * index, one per sample: the shape of `probs` without the class axis). Bin m (0-based) of M holds the
 * confidences in (m / M, (m + 1) / M], upper end included; a confidence of exactly 0 goes in bin 0,
 * of 1 in the last. The ends are the exact fractions m / M (confidence * M is compared with m without
 * rounding): the double 0.1, a little above 1/10, goes in bin 1 of 10, and 0.3, a little below 3/10,
 * in bin 2. `lower` and `upper` report m / M and (m + 1) / M rounded to doubles. All M bins are
 * returned, in order.
 *
 * Edge cases: an empty bin has count 0 and confidence and accuracy 0 (not NaN): skip the bins with
 * count 0 when plotting; they never count towards the expected calibration error. Every entry of
 * `probs` must be in [0, 1] (a NaN, a negative or an entry above 1 throws RangeError naming it); rows
 * need not sum to exactly 1. No samples or no classes throw RangeError, as do labels out of range and
 * a `bins` that is not a positive integer.
 *
 * Method: one pass over the samples; the bin is ceil(confidence * M) - 1 with the product made exact
 * (Dekker's two-product); each bin keeps its count, its number correct and a compensated sum of its
 * confidences (Ogita, Rump & Oishi's Sum2), so the mean confidence is within an ulp or two.
 *
 * References: C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017, §2; A. Niculescu-Mizil and R. Caruana, "Predicting Good Probabilities with
 * Supervised Learning", ICML 2005.
 */
export function reliabilityDiagram(probs: Values, labels: ClassTarget, options?: CalibrationOptions): ReliabilityBin[];
export function reliabilityDiagram(probs: unknown, labels: unknown, options?: unknown): ReliabilityBin[] {
  const totals = calibrationBins(probs, labels, options, "reliabilityDiagram");
  const M = totals.count.length;
  const diagram: ReliabilityBin[] = [];
  for (let m = 0; m < M; m++) {
    const count = totals.count[m];
    diagram.push({
      lower: m / M,
      upper: (m + 1) / M,
      confidence: count === 0 ? 0 : (totals.confidenceHi[m] + totals.confidenceLo[m]) / count,
      accuracy: count === 0 ? 0 : totals.correct[m] / count,
      count,
    });
  }
  return diagram;
}
