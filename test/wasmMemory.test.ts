// The wasm-simd kernels move data through fixed buffers in wasm memory (src/kernels/wasm/layout.ts), so
// the memory they use does not depend on the size or the number of calls: after the first calls it
// stays exactly where it was, and an input of any size goes through without being copied whole.
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";
import { CHUNK32, CHUNK64 } from "../src/kernels/wasm/layout.js";
import { wasmMemoryBytes } from "../src/kernels/wasm/instance.js";
import { expectNear, FNS, prng, runOn, typed, type CallOptions, type Fn, type Precision } from "./support/agreement.js";
import { jsKernels, testWasmKernelsLoad, using, wasmKernels } from "./support/kernelSets.js";
import { ulpDistance32 } from "./support/ulp.js";

const MiB = 1024 * 1024;
const call = { softmax, logSoftmax, logSumExp } as Record<Fn, (x: unknown, o?: unknown) => unknown>;

/** The wasm-simd kernels, or a failure saying they did not load. */
function wasm() {
  if (wasmKernels === null) throw new Error("loadedWasmKernels() is null: nothing to measure");
  return wasmKernels;
}

testWasmKernelsLoad();

describe("wasm memory stays bounded", () => {
  test("1000 calls of every function, in both precisions, of 1 to 3 CHUNK32 entries along last and non-last axes, leave wasm memory where the first calls left it (at most 4 MiB)", () => {
    const kernels = wasm();
    const u = prng(2024);
    const MAX = 3 * CHUNK32;
    const pools = { float32: typed("float32", Array.from({ length: MAX + 64 }, () => 20 * u() - 10)), float64: typed("float64", Array.from({ length: MAX + 64 }, () => 20 * u() - 10)) };
    const maskPool = Uint8Array.from({ length: MAX + 64 }, () => (u() < 0.8 ? 1 : 0));
    const weightPool = Float64Array.from({ length: MAX + 64 }, () => u());

    /** One call: fn, precision, size, layout and options drawn from the PRNG; x is a view at an odd offset of a pool. */
    const callAt = (fn: Fn, precision: Precision, size: number, layout: number, extras: number) => {
      const offset = Math.floor(u() * 64);
      const data = pools[precision].subarray(offset, offset + size);
      let shape: number[], axis = -1;
      if (layout === 0 || size < 6) shape = [size];
      else if (layout === 1) { const r = 1 + Math.floor(u() * Math.min(50, size)); shape = [r, Math.floor(size / r)]; }
      else if (layout === 2) { shape = [Math.floor(size / 3), 3]; axis = 0; }
      else { shape = [2, Math.floor(size / 6), 3]; axis = 1; }
      const n = shape.reduce((p, s) => p * s, 1);
      const options: CallOptions = { axis };
      if (extras & 1) options.mask = maskPool.subarray(0, n);
      if (extras & 2) options.temperature = 0.7;
      if (extras & 4 && fn === "logSumExp") options.weights = weightPool.subarray(0, n);
      using(kernels, () => call[fn]({ data: data.subarray(0, n), shape }, options));
    };

    // the first calls: every function, precision and option at the largest size
    for (const fn of FNS) {
      for (const precision of ["float32", "float64"] as const) {
        for (const extras of [0, 1, 2, 7]) callAt(fn, precision, MAX, extras % 4, extras);
      }
    }
    const after = wasmMemoryBytes();
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(4 * MiB);

    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const fn = FNS[Math.floor(u() * 3)];
      const precision = u() < 0.5 ? "float32" : "float64";
      const size = Math.max(1, Math.floor(Math.exp(u() * Math.log(MAX)))); // log-uniform in [1, 3 CHUNK32]
      callAt(fn, precision, size, Math.floor(u() * 4), Math.floor(u() * 8));
      seen.add(wasmMemoryBytes());
    }
    expect([...seen], "wasm memory after each of the 1000 calls").toEqual([after]);
  });

  test("a 10,000,000-entry Float32Array row goes through softmax, logSoftmax and logSumExp without growing wasm memory, with the right values", () => {
    const kernels = wasm();
    // a warm-up call of each, then the baseline
    for (const fn of FNS) using(kernels, () => call[fn](new Float32Array(3 * CHUNK64 + 1)));
    const before = wasmMemoryBytes();

    // period 8, so the exact values follow from the period's: p_i = p8[i % 8] / M, M = n / 8
    const pattern = Float32Array.of(0.5, -1.25, 3, 2.75, -7, 0, 1.5, 3);
    const n = 10_000_000, M = n / 8;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = pattern[i & 7];
    const p8 = runOn(jsKernels, "softmax", Float64Array.from(pattern));
    const lp8 = runOn(jsKernels, "logSoftmax", Float64Array.from(pattern));
    const lse8 = runOn(jsKernels, "logSumExp", Float64Array.from(pattern))[0];

    const p = using(kernels, () => softmax(x));
    expect(wasmMemoryBytes()).toBe(before);
    const lp = using(kernels, () => logSoftmax(x));
    expect(wasmMemoryBytes()).toBe(before);
    const lse = using(kernels, () => logSumExp(x));
    expect(wasmMemoryBytes()).toBe(before);

    // every entry of a class is within 4 float32 ulp of the exact value (the reference itself is off by well under 1)
    for (const [name, got, want] of [["softmax", p, (k: number) => p8[k] / M], ["logSoftmax", lp, (k: number) => lp8[k] - Math.log(M)]] as const) {
      for (let k = 0; k < 8; k++) {
        let lo = Infinity, hi = -Infinity;
        for (let i = k; i < n; i += 8) {
          const v = got[i];
          if (!(v >= lo)) lo = v;
          if (!(v <= hi)) hi = v;
        }
        const w = Math.fround(want(k));
        for (const v of [lo, hi]) expect(ulpDistance32(v, w), `${name}: entries i = ${k} mod 8 range over [${lo}, ${hi}], want ${w}`).toBeLessThanOrEqual(4);
      }
    }
    expectNear(lse, lse8 + Math.log(M), "float32", "logSumExp");
  });
});
