// The argument and option types of the losses (API.md §5).
import type { FloatArray, NestedInput, TensorInput } from "./types.js";

/**
 * Targets of a loss: class indices, one per sample (the logits' shape without the class axis: a plain
 * number for 1-D logits, nested arrays, an Int32Array or any typed array, a tensor), or class
 * probabilities with the logits' shape. A flat array matching neither shape is read by its length;
 * integer typed arrays are always class indices.
 */
export type ClassTarget =
  | number
  | NestedInput
  | FloatArray
  | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array
  | ArrayLike<number>
  | { data: ArrayLike<number>; shape: readonly number[] }
  | { data: ArrayLike<number>; dims: readonly number[] }
  | TensorInput;

export type LossReduction = "mean" | "sum" | "none";

export interface NllLossOptions {
  /** The class axis; default -1 (the last). */
  axis?: number;
  /** 'mean' (default): weighted mean over the samples not ignored; 'sum'; 'none': one loss per sample. */
  reduction?: LossReduction;
  /** One weight per class (finite, >= 0): scales each sample's loss by its target class's weight. */
  weights?: ArrayLike<number>;
  /** Samples whose class index equals this are left out of the loss and of the mean's divisor. */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** In [0, 1]; mixes the target with the uniform distribution: (1 - s) target + s / C. Default 0. */
  labelSmoothing?: number;
}
