import { sparseMapAlongAxis } from "./core/sparseAlongAxis.js";
import type { AxisOptions, AxisOptionsOut, FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/** The options of {@link entmax}: {@link AxisOptions} plus alpha (required) and the bisection cap. */
export interface EntmaxOptions extends AxisOptions {
  /** A finite number >= 1: 1 is softmax, 1.5 entmax15, 2 sparsemax; larger is sparser. */
  alpha: number;
  /** Caps the bisection steps (a positive integer); the default (2000) never binds. */
  iterations?: number;
}

/** {@link EntmaxOptions} plus `out`, for typed inputs. */
export interface EntmaxOptionsOut<T extends FloatArray> extends EntmaxOptions {
  /** Receives the result (same constructor and length); may be the input itself. */
  out?: T;
}

/**
 * alpha-entmax: entmax(x)_i = max((alpha - 1) z_i - tau, 0)^(1 / (alpha - 1)) with z = x / T and tau
 * chosen so that the result sums to 1, along `axis` (default the last). alpha = 1 is softmax (exactly:
 * the same kernels run), alpha = 2 sparsemax, alpha = 1.5 entmax15; the larger alpha, the sparser.
 *
 * ```ts
 * entmax([1.5, 1, -1], { alpha: 1.25 }); // [0.6425507961850913, 0.35210978596847237, 0.005339417846436346]
 * entmax([1.5, 1, -1], { alpha: 3 });    // [1, 0, 0]
 * entmax([0.5, 0.3, 0.1], { alpha: 3 }); // [0.7, 0.3, 0]
 * ```
 *
 * Edge cases (API.md §2, as softmax): masked and -Infinity entries get exactly 0; a row with nothing
 * left is all 0 (never NaN); k entries at +Infinity get 1/k each; a kept NaN makes its row NaN;
 * temperature 0 gives 1/k on the k entries equal to the maximum, temperature Infinity the uniform
 * distribution over the entries left. float32 inputs are computed in float64 and rounded once. alpha
 * that is not a number is a TypeError; below 1, NaN or Infinity a RangeError; so is an `iterations`
 * that is not a positive integer.
 *
 * Method: alpha 1.5 and 2 use the exact sort-based thresholds (see entmax15 and sparsemax). Any other
 * alpha > 1 solves sum p(tau) = 1 by bisection (Blondel, Martins & Niculae 2019, "Learning Classifiers
 * with Fenchel-Young Losses"; Peters, Niculae & Martins 2019, "Sparse Sequence-to-Sequence Models"):
 * shifted by the row maximum, tau lies in [-1, -n^(1 - alpha)], and the bracket is halved until its
 * midpoint equals an endpoint (at most about 1100 steps; `iterations` caps them). Newton steps in
 * double-double, measured from the smallest entry of the support and kept inside the bracket, then
 * refine tau, and the result is divided by its computed sum, so it lies on the simplex with each entry
 * within a few ulps of the exact value (an entry just above the threshold: to within 2^-100 of the
 * row's scale). When `iterations` binds, the refinement is skipped and the
 * result is the normalised map at the bracket's lower end. Slower than the exact paths: tens of
 * passes over the candidate entries instead of one sort.
 */
export function entmax(x: Float32Array, options: EntmaxOptionsOut<Float32Array>): Float32Array;
export function entmax(x: Float64Array, options: EntmaxOptionsOut<Float64Array>): Float64Array;
export function entmax<T extends FloatArray>(x: TensorInput<T>, options: EntmaxOptionsOut<T>): Tensor<T>;
export function entmax<X extends NestedInput>(x: X, options: EntmaxOptions): NestedResult<X>;
export function entmax(x: unknown, options: unknown): unknown {
  return sparseMapAlongAxis("entmax", x, options);
}
