// When a call goes to the wasm kernels. The thresholds come from `node bench/dispatch.mjs` (AMD EPYC,
// 2 shared cores, Node 20, 2026-11-22; js / wasm-simd time per softmax call): one row of n float32
// 0.95 at n = 8, 1.24 at 16, 1.9 at 32, 6.8 at 256; float64 1.03 at 8, 1.12 at 16, 1.7 at 32; rows of
// 2 entries 0.80 (float32) and 1.37 (float64); rows of 8: 3.3 and 2.7. Below these the copies into
// and out of wasm memory and the per-row set-up cost what the SIMD loops save.
import type { RowPlan } from "../kernels.js";

/**
 * Calls with fewer elements than `minElements`, or rows shorter than `minRow` (each row costs the
 * wasm kernels three passes of set-up), stay in JS. The tests and scripts/accuracy.mjs set both to 1,
 * so that the wasm kernels are checked on every row, however short.
 */
export const thresholds = { minElements: 16, minRow: 3 };

export function wasmWorthIt(plan: RowPlan, temperature: number, float32: boolean): boolean {
  if (temperature === 0 || temperature === Infinity) return false; // the limits: no exp at all
  // float64 at T != 1: the kernels' exact division (assembly/exp64.ts, expShiftT64) splits T and
  // products with it, which must neither overflow nor underflow
  if (!float32 && temperature !== 1 && !(temperature >= 2 ** -500 && temperature <= 2 ** 500)) return false;
  return plan.n >= thresholds.minRow && plan.outer * plan.n * plan.inner >= thresholds.minElements;
}
