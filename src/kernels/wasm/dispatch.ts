// When a call goes to the wasm kernels. The thresholds come from bench/ (see the comment at each).
import type { RowPlan } from "../kernels.js";

/** Calls with fewer elements than this stay in JS: copying in and out and the call cost more than they save. */
export const MIN_ELEMENTS = 16;

export function wasmWorthIt(plan: RowPlan, temperature: number, float32: boolean): boolean {
  if (temperature === 0 || temperature === Infinity) return false; // limits: no exp at all
  if (!float32 && temperature !== 1) return false; // exact x / T in float64 is the JS kernels' double-double work
  return plan.outer * plan.n * plan.inner >= MIN_ELEMENTS;
}
