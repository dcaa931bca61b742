// The reference values of test/fixtures/losses.json (written by test/fixtures/losses.py from PyTorch
// 1.13 and mpmath), and the error measure the loss and gradient tests report.
import { readFileSync } from "node:fs";

const path = new URL("../fixtures/losses.json", import.meta.url);

/** JSON cannot hold NaN and the infinities: the generator writes them as strings. */
function revive(_key: string, value: unknown): unknown {
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fixture = Record<string, any>;

export const lossFixtures: Record<string, Fixture[]> & { torch: string } = JSON.parse(readFileSync(path, "utf8"), revive);

/** Every number of a nested value, in row-major order (a plain number gives one). */
export function flat(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.flatMap(flat);
  if (typeof value === "object" && value !== null && "data" in value) return flat((value as { data: unknown }).data);
  throw new Error(`not a numeric value: ${String(value)}`);
}

/** Nested numbers as a typed array of the fixture's dtype, for the typed-array runs. */
export function typed(value: unknown, dtype: "float32" | "float64"): Float32Array | Float64Array {
  return dtype === "float32" ? Float32Array.from(flat(value)) : Float64Array.from(flat(value));
}

/** The shape of a nested array. */
export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

/**
 * |got - want| in units of the output format's epsilon relative to max(|want|, floor): about ulps for
 * values well above `floor`, and an absolute measure (in units of floor * eps) below it. Special
 * values must match exactly (NaN with NaN, equal infinities): else Infinity.
 */
export function errorUnits(got: number, want: number, dtype: "float32" | "float64", floor = 0): number {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  if (got === want) return 0;
  if (!Number.isFinite(got) || !Number.isFinite(want)) return Infinity;
  const eps = dtype === "float32" ? 2 ** -23 : 2 ** -52;
  return Math.abs(got - want) / (Math.max(Math.abs(want), floor, Number.MIN_VALUE) * eps);
}

/** The largest errorUnits over two nested values of the same layout. */
export function maxError(got: unknown, want: unknown, dtype: "float32" | "float64", floor = 0): number {
  const a = flat(got), b = flat(want);
  if (a.length !== b.length) throw new Error(`length ${a.length} where the reference has ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, errorUnits(a[i], b[i], dtype, floor));
  return worst;
}
