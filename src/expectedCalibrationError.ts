// The expected calibration error: Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural
// Networks", ICML, §2, eq. (3) (after Naeini, Cooper & Hauskrecht 2015). The binning is shared with
// reliabilityDiagram (src/core/calibrationBins.ts); this file reduces the bins.
import { calibrationBins } from "./core/calibrationBins.js";
import { sumError } from "./kernels/js/doubleDouble.js";
import type { ClassTarget } from "./lossTypes.js";
import type { CalibrationOptions } from "./reliabilityDiagram.js";
import type { Values } from "./types.js";

/**
 * The expected calibration error of class probabilities against labels: the mean gap between accuracy
 * and confidence over `bins` equal-width bins of confidence, each weighted by its share of the samples.
 *
 * ```ts
 * expectedCalibrationError([[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.55, 0.45]], [0, 1, 1, 0], { bins: 5 });
 * // 0.2375: confidences 0.55 | 0.75 (wrong), 0.65 | 0.9 in bins (0.4, 0.6] | (0.6, 0.8] | (0.8, 1],
 * // gaps |1 - 0.55| + |1 - 1.4| + |1 - 0.9| = 0.95, over 4 samples
 * ```
 *
 * ECE = sum_m (count_m / N) |accuracy_m - confidence_m| over the bins of
 * {@link reliabilityDiagram} (same `bins`, default 15, same `axis`, default the last, same binning:
 * confidence = the largest probability, prediction = the first class holding it, bin m holds the
 * confidences in (m / M, (m + 1) / M], the ends exact fractions, 0 in bin 0). Empty bins add nothing.
 * The result is in [0, 1]; 0 for perfectly calibrated probabilities.
 *
 * Edge cases: every entry of `probs` must be in [0, 1] (a NaN, a negative or an entry above 1 throws
 * RangeError naming it); rows need not sum to exactly 1. No samples or no classes throw RangeError,
 * as do labels out of range and a `bins` that is not a positive integer.
 *
 * Method: each bin's term is computed as |correct_m - sum of its confidences| / N, the sum of the
 * confidences kept compensated (two doubles) and the difference taken in double-double, so a nearly
 * calibrated bin loses nothing to cancellation; the terms are added with a compensated sum. Within a
 * few ulp of the exact value.
 *
 * References: C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017, §2, eq. (3); M. P. Naeini, G. F. Cooper and M. Hauskrecht, "Obtaining Well
 * Calibrated Probabilities Using Bayesian Binning", AAAI 2015.
 */
export function expectedCalibrationError(probs: Values, labels: ClassTarget, options?: CalibrationOptions): number;
export function expectedCalibrationError(probs: unknown, labels: unknown, options?: unknown): number {
  const totals = calibrationBins(probs, labels, options, "expectedCalibrationError");
  let sum = 0, comp = 0;
  for (let m = 0; m < totals.count.length; m++) {
    if (totals.count[m] === 0) continue;
    // correct - (hi + lo): two-sum of the first difference, then the low part
    const correct = totals.correct[m], hi = totals.confidenceHi[m];
    const s = correct - hi;
    const gap = Math.abs(s + (sumError(correct, -hi, s) - totals.confidenceLo[m]));
    const next = sum + gap;
    comp += sumError(sum, gap, next);
    sum = next;
  }
  return (sum + comp) / totals.samples;
}
