// API.md §9: which kernel set runs. 'auto' (the default) runs the wasm-simd kernels once they are
// loaded, and the JS kernels before that or where the engine has no WebAssembly SIMD.
import { describe } from "./core/describe.js";
import { activeKernels, setChoice } from "./kernels/active.js";
import { loadWasmKernels, wasmSupported } from "./kernels/wasm/instance.js";

export type BackendName = "wasm-simd" | "js";

/**
 * Resolves once the fastest kernels this engine supports are loaded. In Node they load at import, so
 * it resolves at once; in browsers the functions run on the JS kernels until it has resolved.
 * Never rejects: without WebAssembly SIMD the JS kernels are the fastest there are.
 */
export async function ready(): Promise<void> {
  await loadWasmKernels();
}

/** The kernel set that runs now. */
export function backend(): BackendName {
  return activeKernels().name === "wasm-simd" ? "wasm-simd" : "js";
}

/**
 * Chooses the kernels: 'auto' (the fastest loaded; the default), 'wasm-simd' or 'js'. Choosing
 * 'wasm-simd' on an engine without WebAssembly SIMD throws; choosing it before the module has loaded
 * (a browser, before `ready()` resolves) starts the load, and the choice takes effect when it is done.
 */
export function setBackend(name: "auto" | BackendName): void {
  if (name !== "auto" && name !== "wasm-simd" && name !== "js") {
    throw new RangeError(`setBackend: name must be 'auto', 'wasm-simd' or 'js'; got ${describe(name)}`);
  }
  if (name === "wasm-simd" && !wasmSupported()) {
    throw new Error("setBackend: this engine has no WebAssembly SIMD, so 'wasm-simd' cannot run here; use 'auto' or 'js'");
  }
  setChoice(name);
  if (name !== "js") void loadWasmKernels();
}
