// Loads the wasm-simd kernels: the binary is embedded (base64, scripts/build-wasm.mjs), so no bundler
// or server configuration is needed. Node compiles it synchronously at import; elsewhere (browsers
// limit synchronous compiles on the main thread) `ready()` compiles it asynchronously. An engine
// without WebAssembly SIMD fails `WebAssembly.validate` on the binary and keeps the JS kernels.
import type { Kernels } from "../kernels.js";
import { WASM_BASE64, WASM_RELAXED_BASE64 } from "./binary.generated.js";
import { makeWasmKernels, type KernelExports } from "./kernelSet.js";
import { CHUNK32, CHUNK64 } from "./layout.js";
import { webAssembly, type WasmInstance } from "./webAssembly.js";

let kernels: Kernels | null = null;
let wasmExports: KernelExports | null = null;
let loading: Promise<void> | null = null;
let candidates: { variant: WasmVariant; bytes: Uint8Array }[] | null = null;

function decodeBase64(text: string): Uint8Array {
  const binary = (globalThis as unknown as { atob(s: string): string }).atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export type WasmVariant = "relaxed-simd" | "simd";

/** The binaries this engine validates, best first: with relaxed SIMD (fused multiply-add), then plain SIMD. */
function validBinaries(): { variant: WasmVariant; bytes: Uint8Array }[] {
  if (candidates === null) {
    candidates = [];
    if (webAssembly !== undefined) {
      for (const [variant, text] of [["relaxed-simd", WASM_RELAXED_BASE64], ["simd", WASM_BASE64]] as const) {
        const bytes = decodeBase64(text);
        if (webAssembly.validate(bytes)) candidates.push({ variant, bytes });
      }
    }
  }
  return candidates;
}

/** Which binary runs (null: none loaded): for the tests and scripts/accuracy.mjs. */
export function wasmVariant(): WasmVariant | null {
  return kernels === null ? null : validBinaries()[0].variant;
}

export function wasmSupported(): boolean {
  return validBinaries().length > 0;
}

function install(instance: WasmInstance): void {
  wasmExports = instance.exports as unknown as KernelExports;
  kernels = makeWasmKernels(wasmExports);
  warmUp(kernels);
}

/**
 * V8 first runs a wasm function as baseline code and compiles it optimised (in the background) once
 * it has run enough; the JS driver warms up the same way. Running every kernel a few times at load
 * starts both, so that the user's first calls do not pay for baseline code.
 */
function warmUp(set: Kernels): void {
  const n = 2048;
  const x32 = new Float32Array(n), x64 = new Float64Array(n), mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x32[i] = x64[i] = Math.sin(i);
    mask[i] = i % 7 === 0 ? 0 : 1;
  }
  const out32 = new Float32Array(n), out64 = new Float64Array(n);
  const row = { outer: 1, n, inner: 1 }, rows = { outer: 32, n: n / 32, inner: 1 };
  for (let k = 0; k < 8; k++) {
    const plan = k % 2 === 0 ? row : rows;
    const params = { temperature: k % 4 === 3 ? 0.5 : 1, mask: k % 3 === 0 ? mask : null, weights: null };
    set.softmax(x32, out32, plan, params);
    set.logSoftmax(x32, out32, plan, params);
    set.logSumExp(x32, out32, plan, params);
    params.temperature = 1; // float64 at other temperatures runs the JS kernels
    set.softmax(x64, out64, plan, params);
    set.logSoftmax(x64, out64, plan, params);
    set.logSumExp(x64, out64, plan, params);
  }
  // and the streaming path, once a row is longer than a chunk
  for (const long of [new Float32Array(CHUNK32 + 4), new Float64Array(CHUNK64 + 4)]) {
    const plan = { outer: 1, n: long.length, inner: 1 }, params = { temperature: 1, mask: null, weights: null };
    set.softmax(long, long, plan, params);
    set.logSoftmax(long, long, plan, params);
  }
}

/** The wasm-simd kernel set, or null while it is not loaded (or cannot be). */
export function loadedWasmKernels(): Kernels | null {
  return kernels;
}

/** Loads the kernels once; resolves (never rejects) when done or when they cannot load. */
export function loadWasmKernels(): Promise<void> {
  if (loading === null) {
    const bytes = validBinaries()[0]?.bytes;
    loading = kernels !== null || bytes === undefined || webAssembly === undefined
      ? Promise.resolve()
      : webAssembly.instantiate(bytes, {}).then(({ instance }) => install(instance), () => undefined);
  }
  return loading;
}

/** Bytes of wasm memory in use (0 before loading): the tests check it stays bounded. */
export function wasmMemoryBytes(): number {
  return wasmExports === null ? 0 : wasmExports.memory.buffer.byteLength;
}

function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === "string";
}

if (isNode()) {
  const bytes = validBinaries()[0]?.bytes;
  if (bytes !== undefined && webAssembly !== undefined) {
    try {
      install(new webAssembly.Instance(new webAssembly.Module(bytes), {}));
    } catch {
      kernels = null; // the JS kernels stay; ready() will not retry a module this engine rejected
    }
    loading = Promise.resolve();
  }
}
