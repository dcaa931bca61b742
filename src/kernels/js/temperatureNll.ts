// Temperature scaling (Guo, Pleiss, Sun & Weinberger 2017, "On Calibration of Modern Neural Networks",
// ICML, §4.2): the inverse temperature beta = 1 / T minimising the mean negative log-likelihood
//   f(beta) = mean_n [logsumexp(beta x_n) - beta x_{n, y_n}],
// a convex function of beta with
//   f'(beta)  = mean_n sum_c p_c (x_c - x_y)   (p = softmax(beta x_n), y = y_n),
//   f''(beta) = mean_n Var_p(x) >= 0.
// The root of f' is found by a safeguarded Newton iteration (Newton inside a sign-changing bracket,
// bisection when a step leaves it or fails to shrink |f'|: Press et al., Numerical Recipes, §9.4,
// rtsafe). Rows are strided (RowPlan); labels hold one class index per row, at o * inner + i.
// Kernels: no validation (the logits are finite and the labels in range, fitTemperature checked).
import type { FloatArray } from "../../types.js";
import type { RowPlan } from "../kernels.js";

/** f'(beta) and f''(beta), as written by {@link temperatureSlope}. */
export interface Slope {
  slope: number;
  curvature: number;
}

/**
 * f'(beta) and f''(beta) into `r`. Each row is shifted by its maximum, so every exponential has a
 * non-positive argument (beta >= 0); the slope is summed as sum_c p_c (x_c - x_y), never as
 * E[x] - x_y (which cancels), with compensated sums within rows and across them; the variance is
 * accumulated by West's weighted update (no E[x^2] - E[x]^2 cancellation).
 */
export function temperatureSlope(x: FloatArray, plan: RowPlan, labels: Int32Array, beta: number, r: Slope): void {
  const { outer, n, inner } = plan;
  let slope = 0, slopeComp = 0, curvature = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const off = o * n * inner + i;
      const end = off + n * inner;
      const xy = x[off + labels[o * inner + i] * inner];
      let max = -Infinity;
      for (let p = off; p !== end; p += inner) if (x[p] > max) max = x[p];
      let total = 0; // sum of the weights w_c = exp(beta (x_c - max)), >= 1
      let moment = 0, momentComp = 0; // sum w_c (x_c - x_y), compensated
      let mean = 0, squares = 0; // West: weighted mean and sum of squared deviations of x_c - x_y
      for (let p = off; p !== end; p += inner) {
        const w = Math.exp(beta * (x[p] - max));
        if (w === 0) continue; // also keeps 0 * Infinity out when x_c - x_y overflows
        const d = x[p] - xy;
        const term = w * d;
        const next = moment + term;
        const bb = next - moment;
        momentComp += (moment - (next - bb)) + (term - bb);
        moment = next;
        total += w;
        const delta = d - mean;
        mean += (w / total) * delta;
        squares += w * delta * (d - mean);
      }
      const g = (moment + momentComp) / total;
      const next = slope + g;
      const bb = next - slope;
      slopeComp += (slope - (next - bb)) + (g - bb);
      slope = next;
      curvature += squares / total;
    }
  }
  const rows = outer * inner;
  r.slope = (slope + slopeComp) / rows;
  r.curvature = curvature / rows;
}

/**
 * Whether every row is constant (f' is identically 0), and whether every label is at its row's
 * maximum, ties included (f' < 0 for every beta: the likelihood grows without bound as T -> 0).
 */
export function temperatureLimits(x: FloatArray, plan: RowPlan, labels: Int32Array): { allConstant: boolean; allAtMax: boolean } {
  const { outer, n, inner } = plan;
  let allConstant = true, allAtMax = true;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const off = o * n * inner + i;
      const end = off + n * inner;
      let max = -Infinity, min = Infinity;
      for (let p = off; p !== end; p += inner) {
        const v = x[p];
        if (v > max) max = v;
        if (v < min) min = v;
      }
      if (min !== max) allConstant = false;
      if (x[off + labels[o * inner + i] * inner] !== max) allAtMax = false;
    }
  }
  return { allConstant, allAtMax };
}

/** Past these, beta = 1 / T is taken as its limit: T below 2^-1000 is returned as 0. */
const BETA_MAX = 2 ** 1000;
const BETA_MIN = 2 ** -1000;
/** A bracket this narrow relative to its upper end (2 to 4 ulp) ends the iteration. */
const WIDTH = 2 * Number.EPSILON;
/** The step (relative, 1 to 2 ulp) past a converged Newton iterate that closes the bracket. */
const NUDGE = Number.EPSILON;
const MAX_STEPS = 4000;

/**
 * The inverse temperature beta = 1 / T minimising f: Infinity when every label is at its row's
 * maximum (T -> 0), 0 when f'(0) >= 0 (T = Infinity), 1 when every row is constant.
 */
export function fitInverseTemperature(x: FloatArray, plan: RowPlan, labels: Int32Array): number {
  const { allConstant, allAtMax } = temperatureLimits(x, plan, labels);
  if (allConstant) return 1;
  if (allAtMax) return Infinity;
  const r: Slope = { slope: 0, curvature: 0 };
  temperatureSlope(x, plan, labels, 0, r);
  const slopeAtZero = r.slope; // mean_n (mean_c x_c - x_y): labels no better than uniform when >= 0
  if (slopeAtZero >= 0) return 0;

  // Bracket the root from beta = 1: double hi, or halve lo, until f' changes sign.
  temperatureSlope(x, plan, labels, 1, r);
  if (r.slope === 0) return 1;
  let lo: number, hi: number, gLo: number, gHi: number, hLo: number, hHi: number;
  if (r.slope < 0) {
    lo = 1; gLo = r.slope; hLo = r.curvature;
    hi = 2;
    for (;;) {
      temperatureSlope(x, plan, labels, hi, r);
      if (r.slope >= 0) break;
      lo = hi; gLo = r.slope; hLo = r.curvature;
      hi *= 2;
      if (hi > BETA_MAX) return Infinity;
    }
    gHi = r.slope; hHi = r.curvature;
  } else {
    hi = 1; gHi = r.slope; hHi = r.curvature;
    lo = 0.5;
    for (;;) {
      temperatureSlope(x, plan, labels, lo, r);
      if (r.slope <= 0) break;
      hi = lo; gHi = r.slope; hHi = r.curvature;
      lo /= 2;
      if (lo < BETA_MIN) {
        lo = 0;
        temperatureSlope(x, plan, labels, 0, r);
        break;
      }
    }
    gLo = r.slope; hLo = r.curvature;
  }
  if (gLo === 0) return lo;
  if (gHi === 0) return hi;

  // Safeguarded Newton from the end with the smaller |f'|: f'(lo) < 0 < f'(hi) throughout.
  let beta = -gLo < gHi ? lo : hi;
  let g = beta === lo ? gLo : gHi;
  let h = beta === lo ? hLo : hHi;
  let newtonAllowed = true;
  for (let step = 0; step < MAX_STEPS && hi - lo > WIDTH * hi; step++) {
    let next = NaN;
    if (newtonAllowed) {
      const dx = -g / h; // infinite when h is 0: falls to bisection below
      // A step under an ulp or two means Newton has converged: step just past the root instead, by
      // an ulp or two, to close the bracket from the other side.
      next = Math.abs(dx) < NUDGE * beta ? beta + (g < 0 ? NUDGE * beta : -NUDGE * beta) : beta + dx;
    }
    const newton = next > lo && next < hi;
    if (!newton) next = lo + (hi - lo) / 2;
    temperatureSlope(x, plan, labels, next, r);
    if (r.slope === 0) return next;
    // A Newton step that did not shrink |f'| is followed by a bisection.
    newtonAllowed = !newton || Math.abs(r.slope) < Math.abs(g);
    beta = next; g = r.slope; h = r.curvature;
    if (g < 0) { lo = beta; gLo = g; } else { hi = beta; gHi = g; }
  }
  return -gLo < gHi ? lo : hi;
}
