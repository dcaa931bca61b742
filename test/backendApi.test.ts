// API.md §9: ready(), backend(), setBackend(). In Node the wasm-simd kernels load at import, so they
// run from the first call; setBackend('js') and 'auto' switch, a name that is not a backend is a
// RangeError naming it, and an engine without WebAssembly SIMD keeps the JS kernels (simulated here by
// re-importing the package with WebAssembly.validate rejecting every binary).
import { afterEach, describe, expect, test, vi } from "vitest";
import { backend, logSoftmax, logSumExp, ready, setBackend, softmax } from "../src/index.js";
import { agree, FNS, runOn, typed, uniforms } from "./support/agreement.js";
import { jsKernels, wasmKernels } from "./support/kernelSets.js";

/** The README's worked examples, as the JS kernels give them. */
function expectReadmeExamples(lib: { softmax: typeof softmax; logSoftmax: typeof logSoftmax; logSumExp: typeof logSumExp }): void {
  expect(lib.softmax([2, 1, 0.1])).toEqual([0.6590011388859679, 0.24243297070471392, 0.09856589040931818]);
  expect(lib.logSoftmax([0, -1000])).toEqual([0, -1000]);
  expect(lib.logSumExp([1000, 1001, 1002])).toBe(1002.4076059644444);
  expect(Array.from(lib.softmax(new Float32Array([1, 2, 3])))).toEqual([0.09003057330846786, 0.2447284758090973, 0.6652409434318542]);
}

/** A call big enough for the wasm-simd kernels to take it (not left to JS as too small). */
const big32 = () => typed("float32", uniforms(5000, 42)) as Float32Array;

afterEach(() => {
  if (typeof setBackend === "function") setBackend("auto");
});

describe("API.md §9 backends", () => {
  test("backend() is 'wasm-simd' in Node right after import, before ready() is awaited", () => {
    expect(backend()).toBe("wasm-simd");
  });

  test("ready() returns a promise that resolves to undefined, and can be awaited again", async () => {
    const p = ready();
    expect(p).toBeInstanceOf(Promise);
    await expect(p).resolves.toBeUndefined();
    await expect(ready()).resolves.toBeUndefined();
  });

  test("backend() is still 'wasm-simd' after ready() resolves", async () => {
    await ready();
    expect(backend()).toBe("wasm-simd");
  });

  test("setBackend('js') makes backend() 'js', and every function then gives the JS kernels' results, bit for bit", () => {
    setBackend("js");
    expect(backend()).toBe("js");
    expectReadmeExamples({ softmax, logSoftmax, logSumExp });
    const x = big32();
    const want = { softmax: runOn(jsKernels, "softmax", x), logSoftmax: runOn(jsKernels, "logSoftmax", x), logSumExp: runOn(jsKernels, "logSumExp", x) };
    expect(softmax(x)).toEqual(want.softmax);
    expect(logSoftmax(x)).toEqual(want.logSoftmax);
    expect(logSumExp(x)).toBe(want.logSumExp[0]);
  });

  test("setBackend('wasm-simd') makes backend() 'wasm-simd', and its results agree with the JS kernels within 4 ulp", () => {
    setBackend("js");
    setBackend("wasm-simd");
    expect(backend()).toBe("wasm-simd");
    expectReadmeExamples({ softmax, logSoftmax, logSumExp });
    for (const fn of FNS) agree(fn, big32());
  });

  test("setBackend('auto') after setBackend('js') goes back to the wasm-simd kernels", () => {
    setBackend("js");
    expect(backend()).toBe("js");
    setBackend("auto");
    expect(backend()).toBe("wasm-simd");
  });

  test("setBackend('auto') is where the package starts: the fastest loaded kernels", () => {
    setBackend("auto");
    expect(backend()).toBe(wasmKernels === null ? "js" : "wasm-simd");
  });

  test("setBackend('bogus') throws a RangeError naming the value, and leaves the backend as it was", () => {
    setBackend("js");
    for (const name of ["bogus", "WASM-SIMD", "wasm", ""]) {
      expect(() => setBackend(name as never)).toThrow(RangeError);
      expect(() => setBackend(name as never)).toThrow(JSON.stringify(name));
      expect(backend()).toBe("js");
    }
    for (const name of [undefined, null, 3, {}]) expect(() => setBackend(name as never)).toThrow(RangeError);
    expect(() => setBackend(undefined as never)).toThrow(/undefined/);
  });
});

describe("API.md §9 on an engine without WebAssembly SIMD (WebAssembly.validate rejects the binaries)", () => {
  test("backend() is 'js', ready() resolves, setBackend('wasm-simd') throws an Error (not a RangeError) and leaves 'js', and the functions give the JS results", async () => {
    vi.resetModules();
    const validate = vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    try {
      const lib = await import("../src/index.js");
      const instance = await import("../src/kernels/wasm/instance.js");
      expect(validate).toHaveBeenCalled();
      expect(instance.wasmSupported()).toBe(false);
      expect(instance.loadedWasmKernels()).toBeNull();
      expect(lib.backend()).toBe("js");
      expectReadmeExamples(lib); // synchronous and right before ready() resolves
      await expect(lib.ready()).resolves.toBeUndefined();
      expect(lib.backend()).toBe("js");
      let error: unknown;
      try {
        lib.setBackend("wasm-simd");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(RangeError);
      expect(String((error as Error).message)).toContain("wasm-simd");
      expect(lib.backend()).toBe("js");
      lib.setBackend("auto");
      expect(lib.backend()).toBe("js");
      lib.setBackend("js");
      expect(lib.backend()).toBe("js");
      expect(() => lib.setBackend("bogus" as never)).toThrow(RangeError);
      const x = big32();
      expect(lib.softmax(x)).toEqual(runOn(jsKernels, "softmax", x));
    } finally {
      validate.mockRestore();
      vi.resetModules();
    }
  });
});

describe("API.md §9 where the module cannot be compiled at import (a browser: no Node)", () => {
  test("the functions run on the JS kernels until ready() resolves, then on wasm-simd, and agree", async () => {
    vi.resetModules();
    const versions = Object.getOwnPropertyDescriptor(process, "versions")!;
    Object.defineProperty(process, "versions", { ...versions, value: { ...process.versions, node: undefined } });
    let lib: typeof import("../src/index.js");
    try {
      lib = await import("../src/index.js");
    } finally {
      Object.defineProperty(process, "versions", versions);
    }
    try {
      expect(lib.backend()).toBe("js");
      const x = big32();
      const before = lib.softmax(x);
      expect(before).toEqual(runOn(jsKernels, "softmax", x));
      await lib.ready();
      expect(lib.backend()).toBe("wasm-simd");
      const after = lib.softmax(x);
      for (let i = 0; i < x.length; i++) expect(Math.abs(after[i] - before[i])).toBeLessThanOrEqual(4 * 2 ** -23 * before[i]);
    } finally {
      vi.resetModules();
    }
  });
});
