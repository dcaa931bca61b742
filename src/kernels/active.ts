// Which kernel set the ops dispatch to. The JS kernels are the reference and always present; the
// wasm-simd set runs once it has loaded, unless setBackend('js') chose otherwise.
import type { Kernels } from "./kernels.js";
import { jsKernels } from "./js/index.js";
import { loadedWasmKernels } from "./wasm/instance.js";

export type BackendChoice = "auto" | "wasm-simd" | "js";

let choice: BackendChoice = "auto";
let forced: Kernels | null = null;

export function activeKernels(): Kernels {
  if (forced !== null) return forced;
  return choice === "js" ? jsKernels : loadedWasmKernels() ?? jsKernels;
}

export function setChoice(next: BackendChoice): void {
  choice = next;
}

/** Internal, for the tests: runs `kernels` (or, with null, the chosen backend again). */
export function useKernels(kernels: Kernels | null): void {
  forced = kernels;
}
