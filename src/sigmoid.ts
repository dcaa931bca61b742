import { readValues } from "./core/input.js";
import { readOptions, readOut, resultArrays } from "./core/options.js";
import { toInputKind } from "./core/output.js";
import { sigmoidArray } from "./kernels/js/sigmoid.js";
import type { FloatArray, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/** The options of {@link sigmoid}: `out`, for typed inputs. */
export interface SigmoidOptions<T extends FloatArray = FloatArray> {
  /** Receives the result (same constructor and length); may be the input itself. */
  out?: T;
}

/**
 * The logistic function 1 / (1 + exp(-x)), elementwise; the result has the kind and shape of x.
 *
 * ```ts
 * sigmoid([-800, -1, 0, 1, 40]); // [0, 0.2689414213699951, 0.5, 0.7310585786300049, 1]
 * ```
 *
 * Edge cases: NaN -> NaN (elementwise: no row semantics), +Infinity -> 1, -Infinity -> 0, -0 -> 0.5.
 * Large |x| never overflows: sigmoid(-745) is the subnormal 5e-324 and sigmoid(-800) is 0 (the
 * correctly rounded values). Float32Array input is computed in float64 and rounded once.
 *
 * Method: 1 / (1 + exp(-x)) for x >= 0 and e / (1 + e) with e = exp(x) for x < 0, so exp only sees
 * -|x|. Measured against mpmath (test/fixtures/sigmoid.py): within 2 ulp in float64; every float32
 * result of the fixture correctly rounded.
 */
export function sigmoid(x: Float32Array, options?: SigmoidOptions<Float32Array>): Float32Array;
export function sigmoid(x: Float64Array, options?: SigmoidOptions<Float64Array>): Float64Array;
export function sigmoid<T extends FloatArray>(x: TensorInput<T>, options?: SigmoidOptions<T>): Tensor<T>;
export function sigmoid<X extends NestedInput>(x: X, options?: { out?: never }): NestedResult<X>;
export function sigmoid(x: unknown, options?: unknown): unknown {
  const fn = "sigmoid";
  const input = readValues(x, fn, "x");
  const o = readOptions(options, fn);
  const { out, data } = resultArrays(readOut(o.out, input, fn), input, input.data.length, fn);
  sigmoidArray(data, out);
  return toInputKind(input, out, input.shape);
}
