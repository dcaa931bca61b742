// Which kernel set the ops dispatch to. The JS kernels are the reference and always present.
import type { Kernels } from "./kernels.js";
import { jsKernels } from "./js/index.js";

let active: Kernels = jsKernels;

export function activeKernels(): Kernels {
  return active;
}

/** Internal: installs a kernel set (the wasm-simd loader and the tests use it). */
export function useKernels(kernels: Kernels): void {
  active = kernels;
}
