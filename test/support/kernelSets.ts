// Every kernel set the package has: the same case tables run against each (STYLE.md). The JS kernels
// are the reference; the wasm-simd set is loaded at import in Node, so in Node it must be here: each
// file that runs per kernel set registers the test "the wasm-simd kernels load in Node", which fails
// when loadedWasmKernels() is null (the other tests still run, on the JS kernels).
import { afterAll, beforeAll, test } from "vitest";
import { useKernels } from "../../src/kernels/active.js";
import type { Kernels } from "../../src/kernels/kernels.js";
import { jsKernels } from "../../src/kernels/js/index.js";
import { thresholds } from "../../src/kernels/wasm/dispatch.js";
import { loadedWasmKernels } from "../../src/kernels/wasm/instance.js";

export { jsKernels };

/**
 * The wasm kernels with the dispatch thresholds at 1 for the duration of each call, so that the
 * tables run them on every row, however short (by default rows that short go to the JS kernels).
 */
function everyRow(kernels: Kernels): Kernels {
  const run = <A extends unknown[]>(f: (...args: A) => void) => (...args: A): void => {
    const saved = { ...thresholds };
    thresholds.minElements = thresholds.minRow = 1;
    try {
      f(...args);
    } finally {
      Object.assign(thresholds, saved);
    }
  };
  return {
    name: kernels.name,
    softmax: run(kernels.softmax),
    logSoftmax: run(kernels.logSoftmax),
    logSumExp: run(kernels.logSumExp),
  };
}

const loaded = loadedWasmKernels();

/** The wasm-simd kernel set (on every row), or null when it did not load (a failure in Node: see above). */
export const wasmKernels: Kernels | null = loaded === null ? null : everyRow(loaded);

/** The JS kernels, then the wasm-simd kernels when they loaded. */
export const kernelSets: Kernels[] = wasmKernels === null ? [jsKernels] : [jsKernels, wasmKernels];

/**
 * The kernel set compared with the JS reference: wasm-simd, or (when it failed to load, which
 * testWasmKernelsLoad reports) the JS set itself, so that the closed-form checks still run.
 */
export const comparedKernels: Kernels = wasmKernels ?? jsKernels;

/** Registers the test that the wasm-simd kernels loaded, so that a missing set is a failure, not a silent skip. */
export function testWasmKernelsLoad(): void {
  test("the wasm-simd kernels load in Node (loadedWasmKernels() is the set named 'wasm-simd')", () => {
    if (wasmKernels === null) {
      throw new Error("loadedWasmKernels() is null: the wasm-simd kernels did not load, so only the JS kernels were tested");
    }
    if (wasmKernels.name !== "wasm-simd") throw new Error(`loadedWasmKernels().name is ${JSON.stringify(wasmKernels.name)}`);
  });
}

/** Makes `kernels` the active set for the enclosing describe block (and the chosen backend again after it). */
export function withKernels(kernels: Kernels): void {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels(null));
}

/** Runs `f` with `kernels` active, then goes back to the chosen backend. */
export function using<T>(kernels: Kernels, f: () => T): T {
  useKernels(kernels);
  try {
    return f();
  } finally {
    useKernels(null);
  }
}
