// Recognising typed arrays by their tag, so arrays from another realm (an iframe, a vm context) work too.
import type { FloatArray } from "../types.js";

export type FloatKind = "float32" | "float64";

export function tagOf(value: unknown): string | undefined {
  return ArrayBuffer.isView(value) ? (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] : undefined;
}

export function floatKindOf(value: unknown): FloatKind | undefined {
  const tag = tagOf(value);
  return tag === "Float64Array" ? "float64" : tag === "Float32Array" ? "float32" : undefined;
}

export function allocate(kind: FloatKind, length: number): FloatArray {
  return kind === "float32" ? new Float32Array(length) : new Float64Array(length);
}
