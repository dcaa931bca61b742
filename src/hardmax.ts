import { mapAlongAxis } from "./core/alongAxis.js";
import { typeError } from "./core/describe.js";
import { readOptions } from "./core/options.js";
import type { AxisOptionsOut, FloatArray, Mask, NestedInput, Tensor, TensorInput } from "./types.js";
import type { NestedResult } from "./nestedTypes.js";

/** The options of {@link hardmax}: those of softmax without `temperature`. */
export interface HardmaxOptions {
  /** The axis to work along; default -1 (the last). Negative values count from the end. */
  axis?: number;
  /** Entries whose mask is falsy are left out (exactly 0). */
  mask?: Mask;
  /** hardmax is the temperature -> 0 limit; passing a temperature is a TypeError. */
  temperature?: never;
}

type HardmaxOptionsOut<T extends FloatArray> = HardmaxOptions & Pick<AxisOptionsOut<T>, "out">;

/**
 * The temperature -> 0 limit of softmax along `axis`: 1/k on each of the k entries equal to the row's
 * maximum, 0 elsewhere (ties share equally). It is exactly `softmax(x, { temperature: 0 })`.
 *
 * ```ts
 * hardmax([[1, 3, 3], [0, 2, 1]]); // [[0, 0.5, 0.5], [0, 1, 0]]
 * ```
 *
 * Edge cases (API.md §2, softmax at temperature 0): masked and -Infinity entries get exactly 0; a row
 * with nothing left (all masked or -Infinity) is all 0, never NaN; k entries at +Infinity get 1/k each;
 * a kept NaN makes its row NaN; -0 and 0 are equal (they tie); an empty axis gives an empty result.
 * hardmax has no temperature: passing `temperature` is a TypeError.
 *
 * Method: the temperature-0 path of the active softmax kernels.
 */
export function hardmax(x: Float32Array, options?: HardmaxOptionsOut<Float32Array>): Float32Array;
export function hardmax(x: Float64Array, options?: HardmaxOptionsOut<Float64Array>): Float64Array;
export function hardmax<T extends FloatArray>(x: TensorInput<T>, options?: HardmaxOptionsOut<T>): Tensor<T>;
export function hardmax<X extends NestedInput>(x: X, options?: HardmaxOptions): NestedResult<X>;
export function hardmax(x: unknown, options?: unknown): unknown {
  const o = readOptions(options, "hardmax");
  if (o.temperature !== undefined) {
    throw typeError("hardmax", "temperature is not an option (hardmax is the temperature -> 0 limit of softmax; for another temperature use softmax)", o.temperature);
  }
  return mapAlongAxis("softmax", x, { ...o, temperature: 0 }, "hardmax");
}
