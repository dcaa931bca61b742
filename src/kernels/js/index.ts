// The JS kernel set: the reference every other kernel set is held to. Walks the row plan and hands
// each strided row to the row functions (float64 and float32 versions, so each stays monomorphic).
import type { FloatArray } from "../../types.js";
import type { Kernels, LogSumExpParams, RowParams, RowPlan } from "../kernels.js";
import { temperatureParts } from "./doubleDouble.js";
import { logSumExpRow } from "./logSumExpRow.js";
import type { Temperature } from "./shiftedExp.js";
import { logSoftmaxRow32, logSoftmaxRow64, softmaxRow32, softmaxRow64 } from "./softmaxRows.js";

function temperatureOf(T: number): Temperature {
  return { T, parts: T === 1 || T === 0 || T === Infinity ? null : temperatureParts(T) };
}

type Row64 = (x: Float64Array, out: Float64Array, off: number, stride: number, n: number, mask: Uint8Array | null, t: Temperature) => void;
type Row32 = (x: Float32Array, out: Float32Array, off: number, stride: number, n: number, mask: Uint8Array | null, T: number) => void;

function eachRow(row64: Row64, row32: Row32, x: FloatArray, out: FloatArray, plan: RowPlan, params: RowParams): void {
  const { outer, n, inner } = plan;
  const { mask, temperature: T } = params;
  if (x.BYTES_PER_ELEMENT === 4) { // not instanceof: arrays from another realm (iframe, vm) count too
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) row32(x as Float32Array, out as Float32Array, o * n * inner + i, inner, n, mask, T);
    }
  } else {
    const t = temperatureOf(T);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) row64(x as Float64Array, out as Float64Array, o * n * inner + i, inner, n, mask, t);
    }
  }
}

export const jsKernels: Kernels = {
  name: "js",
  softmax(x, out, plan, params) {
    eachRow(softmaxRow64, softmaxRow32, x, out, plan, params);
  },
  logSoftmax(x, out, plan, params) {
    eachRow(logSoftmaxRow64, logSoftmaxRow32, x, out, plan, params);
  },
  logSumExp(x: FloatArray, out: FloatArray, plan: RowPlan, params: LogSumExpParams) {
    const { outer, n, inner } = plan;
    const t = temperatureOf(params.temperature);
    const float32 = x.BYTES_PER_ELEMENT === 4;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        out[o * inner + i] = logSumExpRow(x, o * n * inner + i, inner, n, params.mask, params.weights, t, float32);
      }
    }
  },
};
