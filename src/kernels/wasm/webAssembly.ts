// The few WebAssembly JS API members the loader uses, typed here: the package's lib settings (ES2020,
// no DOM) do not declare WebAssembly, and its published types must not depend on a consumer's.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmGlobal {
  readonly value: number;
}

export interface WasmInstance {
  readonly exports: object;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance }>;
}

/** The engine's WebAssembly object, or undefined where there is none. */
export const webAssembly: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
