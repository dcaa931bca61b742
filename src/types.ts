// The value kinds of API.md §1 and the options of §2. Every public function takes and returns these.

/** A typed array of floats: the only typed arrays the package computes on. */
export type FloatArray = Float32Array | Float64Array;

/** Rectangular nested arrays of numbers (`number[]`, `number[][]`, ...). Ragged nesting is a RangeError. */
export type Nested = number[] | Nested[];

/** Read-only view of {@link Nested}, accepted on input (inputs are never mutated). */
export type NestedInput = readonly number[] | readonly NestedInput[];

/** A row-major (C order) N-D array; `product(shape) === data.length`. */
export interface Tensor<T extends FloatArray = FloatArray> {
  data: T;
  shape: readonly number[];
}

/** On input, `dims` is accepted as an alias of `shape` (transformers.js and ONNX spell it so). */
export type TensorInput<T extends FloatArray = FloatArray> =
  | { data: T; shape: readonly number[] }
  | { data: T; dims: readonly number[] };

/** Everything a function of this package accepts as numbers. */
export type Values = NestedInput | FloatArray | TensorInput;

/** A mask: the same shape as `x` (nested or tensor), or flat with one entry per element; truthy = keep. */
export type Mask = Values | ArrayLike<boolean | number> | TensorInput<any>;

/** The options every axis-wise function takes (API.md §2). */
export interface AxisOptions {
  /** The axis to work along; default -1 (the last). Negative values count from the end. */
  axis?: number;
  /** Computes on `x / temperature`; must be >= 0 and not NaN. 0 and Infinity give the limits. Default 1. */
  temperature?: number;
  /** Entries whose mask is falsy are left out (probability exactly 0). */
  mask?: Mask;
}

/** {@link AxisOptions} plus `out`, for typed inputs: the result is written there and returned. */
export interface AxisOptionsOut<T extends FloatArray> extends AxisOptions {
  /** Receives the result (same constructor and length); may be the input itself. */
  out?: T;
}
