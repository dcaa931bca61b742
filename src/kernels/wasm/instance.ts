// Loads the wasm-simd kernels: the binary is embedded (base64, scripts/build-wasm.mjs), so no bundler
// or server configuration is needed. Node compiles it synchronously at import; elsewhere (browsers
// limit synchronous compiles on the main thread) `ready()` compiles it asynchronously. An engine
// without WebAssembly SIMD fails `WebAssembly.validate` on the binary and keeps the JS kernels.
import type { Kernels } from "../kernels.js";
import { WASM_BASE64, WASM_RELAXED_BASE64 } from "./binary.generated.js";
import { makeWasmKernels, type KernelExports } from "./kernelSet.js";
import { webAssembly, type WasmInstance } from "./webAssembly.js";

let kernels: Kernels | null = null;
let exports: KernelExports | null = null;
let loading: Promise<void> | null = null;
let candidates: Uint8Array[] | null = null;

function decodeBase64(text: string): Uint8Array {
  const binary = (globalThis as unknown as { atob(s: string): string }).atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The binaries this engine validates, best first: with relaxed SIMD (fused multiply-add), then plain SIMD. */
function validBinaries(): Uint8Array[] {
  if (candidates === null) {
    candidates = [];
    if (webAssembly !== undefined) {
      for (const text of [WASM_RELAXED_BASE64, WASM_BASE64]) {
        const bytes = decodeBase64(text);
        if (webAssembly.validate(bytes)) candidates.push(bytes);
      }
    }
  }
  return candidates;
}

export function wasmSupported(): boolean {
  return validBinaries().length > 0;
}

function install(instance: WasmInstance): void {
  exports = instance.exports as unknown as KernelExports;
  kernels = makeWasmKernels(exports);
}

/** The wasm-simd kernel set, or null while it is not loaded (or cannot be). */
export function loadedWasmKernels(): Kernels | null {
  return kernels;
}

/** Loads the kernels once; resolves (never rejects) when done or when they cannot load. */
export function loadWasmKernels(): Promise<void> {
  if (loading === null) {
    const bytes = validBinaries()[0];
    loading = kernels !== null || bytes === undefined || webAssembly === undefined
      ? Promise.resolve()
      : webAssembly.instantiate(bytes, {}).then(({ instance }) => install(instance), () => undefined);
  }
  return loading;
}

/** Bytes of wasm memory in use (0 before loading): the tests check it stays bounded. */
export function wasmMemoryBytes(): number {
  return exports === null ? 0 : exports.memory.buffer.byteLength;
}

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === "string";
}

if (isNode()) {
  const bytes = validBinaries()[0];
  if (bytes !== undefined && webAssembly !== undefined) {
    try {
      install(new webAssembly.Instance(new webAssembly.Module(bytes), {}));
    } catch {
      kernels = null; // the JS kernels stay; ready() will not retry a module this engine rejected
    }
    loading = Promise.resolve();
  }
}
