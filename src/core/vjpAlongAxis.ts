// The pipeline of the vector-Jacobian products (softmaxVjp, logSoftmaxVjp, sparsemaxVjp, entmax15Vjp):
// the primal output (probs or logProbs) and the cotangent are read once (the cotangent may be nested, a tensor, or flat), rows are planned along
// the axis, and the row kernels write into a fresh array of the primal's kind (or into `out`).
import type { FloatArray, Nested, Tensor } from "../types.js";
import { sparseVjpRow } from "../kernels/js/sparseVjpRows.js";
import { logSoftmaxVjpRow, softmaxVjpRow } from "../kernels/js/vjpRows.js";
import { readValues } from "./input.js";
import { readAxis, readMask, readOptions, readOut, readPartner, readTemperature, resultArrays } from "./options.js";
import { toInputKind } from "./output.js";
import { planRows } from "./plan.js";

type VjpRow = (
  primal: FloatArray, g: Float64Array, out: FloatArray, off: number, stride: number, n: number,
  mask: Uint8Array | null, T: number,
) => void;

const ROWS: Record<string, VjpRow> = {
  softmaxVjp: softmaxVjpRow,
  logSoftmaxVjp: logSoftmaxVjpRow,
  sparsemaxVjp: (p, g, out, off, stride, n, mask, T) => sparseVjpRow(p, g, out, off, stride, n, mask, T, false),
  entmax15Vjp: (p, g, out, off, stride, n, mask, T) => sparseVjpRow(p, g, out, off, stride, n, mask, T, true),
};

export function vjpAlongAxis(
  op: "softmaxVjp" | "logSoftmaxVjp" | "sparsemaxVjp" | "entmax15Vjp", primal: unknown, cotangent: unknown, options: unknown,
): Nested | FloatArray | Tensor {
  const input = readValues(primal, op, op === "logSoftmaxVjp" ? "logProbs" : "probs");
  const g = readPartner(cotangent, input, "cotangent", op);
  const o = readOptions(options, op);
  const axis = readAxis(o.axis, input.shape.length, op);
  const T = readTemperature(o.temperature, op);
  const mask = readMask(o.mask, input, op);
  const { out, data } = resultArrays(readOut(o.out, input, op), input, input.data.length, op);
  const row = ROWS[op];
  const { outer, n, inner } = planRows(input.shape, axis);
  for (let o2 = 0; o2 < outer; o2++) {
    for (let i = 0; i < inner; i++) row(data, g, out, o2 * n * inner + i, inner, n, mask, T);
  }
  return toInputKind(input, out, input.shape);
}
