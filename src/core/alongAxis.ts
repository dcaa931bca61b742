// The shared pipeline of the axis-wise ops: validate once, plan rows, dispatch to the active kernels,
// convert back. softmax, logSoftmax and logSumExp are thin wrappers over these two functions.
import { activeKernels } from "../kernels/active.js";
import type { Kernels } from "../kernels/kernels.js";
import type { FloatArray, Nested, Tensor } from "../types.js";
import { readValues, product } from "./input.js";
import { readAxis, readBoolean, readMask, readOptions, readOut, readTemperature, readWeights, resultArrays } from "./options.js";
import { reductionResult, toInputKind } from "./output.js";
import { planRows, reducedShape } from "./plan.js";

/**
 * Runs a shape-preserving op (softmax, logSoftmax) along an axis; `fn` is the public name errors give
 * (hardmax, entmax run the softmax kernels under their own names).
 */
export function mapAlongAxis(op: "softmax" | "logSoftmax", x: unknown, options: unknown, fn: string = op): Nested | FloatArray | Tensor {
  const input = readValues(x, fn, "x");
  const o = readOptions(options, fn);
  const axis = readAxis(o.axis, input.shape.length, fn);
  const temperature = readTemperature(o.temperature, fn);
  const mask = readMask(o.mask, input, fn);
  const { out, data } = resultArrays(readOut(o.out, input, fn), input, input.data.length, fn);
  const kernels: Kernels = activeKernels();
  kernels[op](data, out, planRows(input.shape, axis), { temperature, mask });
  return toInputKind(input, out, input.shape);
}

/** Runs logSumExp along an axis. */
export function reduceAlongAxis(op: "logSumExp", x: unknown, options: unknown): number | Nested | FloatArray | Tensor {
  const input = readValues(x, op, "x");
  const o = readOptions(options, op);
  const axis = readAxis(o.axis, input.shape.length, op);
  const temperature = readTemperature(o.temperature, op);
  const mask = readMask(o.mask, input, op);
  const weights = readWeights(o.weights, input, op);
  const keepDims = readBoolean(o.keepDims, "keepDims", op);
  const shape = reducedShape(input.shape, axis, keepDims);
  const size = product(shape);
  const given = readOut(o.out, input, op);
  if (given && shape.length === 0) {
    throw new TypeError(`${op}: out cannot receive the plain number that reducing a 1-D input gives; pass keepDims: true`);
  }
  const { out, data } = resultArrays(given, input, size, op);
  activeKernels()[op](data, out, planRows(input.shape, axis), { temperature, mask, weights });
  return reductionResult(input, out, shape);
}
