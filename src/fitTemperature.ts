// Temperature scaling: Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural Networks",
// ICML, §4.2. The arithmetic is in src/kernels/js/temperatureNll.ts.
import { rangeError } from "./core/describe.js";
import { entryName, readValues } from "./core/input.js";
import { readAxis, readOptions } from "./core/options.js";
import { planRows } from "./core/plan.js";
import { readLabels } from "./core/targets.js";
import { fitInverseTemperature } from "./kernels/js/temperatureNll.js";
import type { ClassTarget } from "./lossTypes.js";
import type { Values } from "./types.js";

export interface FitTemperatureOptions {
  /** The class axis; default -1 (the last). */
  axis?: number;
}

/**
 * The temperature T > 0 that minimises the mean negative log-likelihood of the labels under
 * softmax(logits / T): temperature scaling, the one-parameter calibration of Guo et al. (2017).
 *
 * ```ts
 * fitTemperature([[2, 0], [2, 0], [2, 0], [2, 0]], [0, 0, 0, 1]); // 1.8204784532536746
 * // 2 / ln 3 = 1.8204784532536748 to 17 digits: at that T, softmax gives the first class 3/4, its accuracy
 * ```
 *
 * `labels` are class indices, one per sample (the logits' shape without the class axis); the class
 * axis is `axis` (default the last). Fit T on held-out data, then divide the logits by it
 * (`softmax(logits, { temperature: T })`). Float32Array logits are computed in float64.
 *
 * Edge cases: the minimum may lie at a limit, returned as such.
 * - Every label at its row's maximum (ties included), some row not constant: the likelihood keeps
 *   growing as T -> 0; returns 0.
 * - Labels no better than uniform, f'(0) = mean_n (mean_c x_c - x_y) >= 0: the minimum is at
 *   T = Infinity (softmax uniform); returns Infinity.
 * - Every row constant: the likelihood does not depend on T; returns 1.
 *
 * The logits must be finite: NaN or ±Infinity throws RangeError (a masked class cannot be calibrated
 * over; leave masked classes out of the logits, or give them a large finite negative logit, before
 * fitting). No samples or no classes, labels out of range or of the wrong shape throw RangeError.
 *
 * Method: with beta = 1 / T, f(beta) = mean_n [logsumexp(beta x_n) - beta x_{n,y_n}] is convex, with
 * f'(beta) = mean_n sum_c p_c (x_c - x_y) (p = softmax(beta x_n)) and f''(beta) = mean_n Var_p(x).
 * Starting from beta = 1, hi is doubled (or lo halved) until f'(lo) < 0 < f'(hi); then a safeguarded
 * Newton iteration (a Newton step while it stays inside the bracket and shrinks |f'|, bisection
 * otherwise) narrows the bracket to a few ulp. f' is evaluated with each row shifted by its maximum
 * (no exponential of a positive number, so logits of 1e300 are fine), in the form sum_c p_c (x_c - x_y)
 * (no cancellation of E[x] against x_y) and with compensated sums. Logits beyond 2^±500 are first
 * scaled by a power of 2 (exact; T scales with them). On the test fixtures the result is within
 * 2.2e-16 (relative, 1 ulp) of a 50-digit mpmath root of f'; 7 to 20 evaluations of f' are typical.
 *
 * References: C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017, §4.2; W. H. Press et al., Numerical Recipes, 3rd ed., §9.4 (rtsafe).
 */
export function fitTemperature(logits: Values, labels: ClassTarget, options?: FitTemperatureOptions): number;
export function fitTemperature(logits: unknown, labels: unknown, options?: unknown): number {
  const fn = "fitTemperature";
  const input = readValues(logits, fn, "logits");
  const opts = readOptions(options, fn);
  const axis = readAxis(opts.axis, input.shape.length, fn);
  const plan = planRows(input.shape, axis);
  const shape = `[${input.shape.join(", ")}]`;
  if (plan.n === 0) throw rangeError(fn, `logits must have at least one class along axis ${axis} (its shape is ${shape})`, logits);
  if (plan.outer * plan.inner === 0) throw rangeError(fn, `logits must hold at least one sample (its shape is ${shape})`, logits);
  const data = input.data;
  let largest = 0;
  for (let k = 0; k < data.length; k++) {
    const v = Math.abs(data[k]);
    if (!(v < Infinity)) {
      throw rangeError(fn, `${entryName(input, "logits", k)} must be finite (leave masked classes out before calibrating)`, data[k]);
    }
    if (v > largest) largest = v;
  }
  const classes = readLabels(labels, input, axis, plan, fn);
  // T(2^e x) = 2^e T(x), exactly: logits beyond 2^±500 are scaled to about 1 first, so that their
  // differences cannot overflow and their spacing is not lost in the subnormal range.
  if (!(largest > 2 ** 500 || (largest < 2 ** -500 && largest > 0))) return 1 / fitInverseTemperature(data, plan, classes);
  const e = -Math.floor(Math.log2(largest));
  const half = 2 ** Math.trunc(e / 2), rest = 2 ** (e - Math.trunc(e / 2)); // 2^e itself may overflow
  const scaled = new Float64Array(data.length);
  for (let k = 0; k < data.length; k++) scaled[k] = data[k] * half * rest;
  return 1 / fitInverseTemperature(scaled, plan, classes) / half / rest;
}
