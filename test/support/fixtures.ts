// The accuracy fixtures of test/fixtures/*.json (written by test/fixtures/generate.py): loads them,
// rebuilds the inputs of the long vectors from their recipes (bit for bit what the generator made,
// checked against stored checksums), runs the library on each vector and measures the distance in
// ulps to the correctly rounded mpmath references. Shared by test/accuracy.test.ts and
// scripts/accuracy.mjs (which transpiles this file), so the library is passed in, never imported.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ulpDistance } from "./ulp.js";

export type Precision = "float64" | "float32";
export type Fn = "softmax" | "logSoftmax" | "logSumExp" | "weightedLogSumExp";
export const FUNCTIONS: readonly Fn[] = ["softmax", "logSoftmax", "logSumExp", "weightedLogSumExp"];
export const PRECISIONS: readonly Precision[] = ["float64", "float32"];

/** The regimes, in the order the tests and the report list them. */
export const CATEGORIES = [
  "magnitudes 1e-3 to 1e4",
  "large shift 1e4",
  "large shift 1e30",
  "near-ties",
  "underflow",
  "temperature",
  "masked",
  "log-probabilities",
  "negative max cancellation",
  "weighted",
  "long",
] as const;

/** How the generator made a long vector's inputs (replayed by {@link regenerate}). */
export interface Recipe {
  seed: number;
  lo: number;
  hi: number;
  /** Number of uniforms averaged per entry (default 1). */
  terms?: number;
  /** Added to every entry after the mapping (default 0). */
  shift?: number;
  /** Entries rounded to float32 at the end. */
  float32?: boolean;
  /** Entry i is kept when the i-th output of mulberry32(seed) is below keepBelow. */
  mask?: { seed: number; keepBelow: number };
  /** Entry i gets weight lo + (hi - lo) * u_i, u_i the i-th uniform53 of mulberry32(seed). */
  weights?: { seed: number; lo: number; hi: number };
}

interface Checksum {
  first: number;
  last: number;
  /** The exact sum of the entries, in decimal. */
  sum: string;
  /** The exact sum of (i + 1) * x[i], in decimal. */
  indexWeightedSum: string;
}

interface StoredVector {
  id: string;
  category: string;
  precision: Precision;
  n: number;
  temperature?: number;
  x?: number[];
  mask?: number[];
  weights?: number[];
  recipe?: Recipe;
  checksum?: Checksum;
  indices?: number[];
  softmax: (number | null)[];
  logSoftmax: (number | null)[];
  logSumExp: number;
  weightedLogSumExp?: number;
}

export interface AccuracyCase {
  id: string;
  category: string;
  precision: Precision;
  n: number;
  temperature: number;
  /** Inputs stored in the JSON, or rebuilt from a PRNG recipe. */
  source: "stored" | "prng";
  /** The input as the library gets it: number[] (short float64), Float64Array (long), Float32Array. */
  x: number[] | Float64Array | Float32Array;
  mask: number[] | Uint8Array | null;
  weights: number[] | Float64Array | null;
  recipe: Recipe | null;
  /** Indices the element-wise references are given at (null: every index). */
  indices: number[] | null;
  softmax: (number | null)[];
  logSoftmax: (number | null)[];
  logSumExp: number;
  weightedLogSumExp: number | null;
  /** Differences between the rebuilt input and the stored checksum (empty when it matches). */
  checksumProblems: string[];
}

// ---------------------------------------------------------------------------------------------
// The PRNG and the mapping to floats (mirrors generate.py exactly)
// ---------------------------------------------------------------------------------------------

/** mulberry32 (Tommy Ettinger): a uint32 per call. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A double uniform in [0, 1) with 53 random bits; every operation is exact. */
export function uniform53(next: () => number): number {
  const a = next() >>> 5, b = next() >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

/** The inputs, mask and weights of a long vector, as generate.py made them. */
export function regenerate(recipe: Recipe, n: number): {
  x: Float64Array | Float32Array; mask: Uint8Array | null; weights: Float64Array | null;
} {
  const next = mulberry32(recipe.seed);
  const { lo, hi } = recipe;
  const terms = recipe.terms ?? 1, shift = recipe.shift ?? 0;
  const x = recipe.float32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < terms; j++) acc += uniform53(next);
    const u = acc / terms;
    let v = lo + (hi - lo) * u;
    if (shift !== 0) v = v + shift;
    x[i] = v; // a Float32Array rounds to nearest-even, as generate.py does
  }
  let mask: Uint8Array | null = null;
  if (recipe.mask) {
    const m = mulberry32(recipe.mask.seed);
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = m() < recipe.mask.keepBelow ? 1 : 0;
  }
  let weights: Float64Array | null = null;
  if (recipe.weights) {
    const w = mulberry32(recipe.weights.seed);
    const { lo: wlo, hi: whi } = recipe.weights;
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = wlo + (whi - wlo) * uniform53(w);
  }
  return { x, mask, weights };
}

const view = new DataView(new ArrayBuffer(8));

/** v * 2^1074 as an exact integer. */
function scaled(v: number): bigint {
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = bits & 0xf_ffff_ffff_ffffn;
  const s = e === 0 ? m : (m | (1n << 52n)) << BigInt(e - 1);
  return bits >> 63n ? -s : s;
}

/** The exact decimal expansion of s * 2^-1074 (the text generate.py writes). */
function exactDecimal(s: bigint): string {
  if (s === 0n) return "0";
  let k = 1074;
  while (k > 0 && (s & 1n) === 0n) {
    s >>= 1n;
    k--;
  }
  const sign = s < 0n ? "-" : "";
  const digits = ((s < 0n ? -s : s) * 5n ** BigInt(k)).toString();
  if (k === 0) return sign + digits;
  const padded = digits.padStart(k + 1, "0");
  return sign + padded.slice(0, -k) + "." + padded.slice(-k);
}

/** The checksum generate.py stores for a long vector: first, last, exact sum and exact sum of (i + 1) x_i. */
export function checksumOf(x: ArrayLike<number>): Checksum {
  let sum = 0n, weighted = 0n;
  for (let i = 0; i < x.length; i++) {
    const s = scaled(x[i]);
    sum += s;
    weighted += BigInt(i + 1) * s;
  }
  return { first: x[0], last: x[x.length - 1], sum: exactDecimal(sum), indexWeightedSum: exactDecimal(weighted) };
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

export const FIXTURE_FILES = ["float64.json", "float32.json", "long.json"] as const;

const defaultDir = (): string => fileURLToPath(new URL("../fixtures/", import.meta.url));
const cache = new Map<string, AccuracyCase[]>();

/** Every fixture vector, ready to run (memoised per directory). */
export function loadFixtures(dir: string = defaultDir()): AccuracyCase[] {
  const hit = cache.get(dir);
  if (hit) return hit;
  const cases: AccuracyCase[] = [];
  for (const file of FIXTURE_FILES) {
    const json = JSON.parse(readFileSync(join(dir, file), "utf8")) as { vectors: StoredVector[] };
    for (const v of json.vectors) cases.push(toCase(v, file));
  }
  cache.set(dir, cases);
  return cases;
}

function toCase(v: StoredVector, file: string): AccuracyCase {
  const where = `${file}: ${v.id}`;
  const problems: string[] = [];
  let x: AccuracyCase["x"];
  let mask: AccuracyCase["mask"] = v.mask ?? null;
  let weights: AccuracyCase["weights"] = v.weights ?? null;
  if (v.recipe) {
    const made = regenerate(v.recipe, v.n);
    x = made.x;
    mask = made.mask;
    weights = made.weights;
    const got = checksumOf(x);
    const want = v.checksum!;
    for (const key of ["first", "last", "sum", "indexWeightedSum"] as const) {
      if (got[key] !== want[key]) problems.push(`${key}: rebuilt ${got[key]}, stored ${want[key]}`);
    }
    if ((v.precision === "float32") !== (x instanceof Float32Array)) problems.push("precision and recipe disagree");
  } else {
    if (v.precision === "float32") {
      for (const value of v.x!) {
        if (Math.fround(value) !== value) throw new Error(`${where}: input ${value} is not a float32 value`);
      }
      x = Float32Array.from(v.x!);
    } else {
      x = v.x!;
    }
  }
  if (x.length !== v.n) throw new Error(`${where}: ${x.length} inputs, n = ${v.n}`);
  const count = v.indices ? v.indices.length : v.n;
  if (v.softmax.length !== count || v.logSoftmax.length !== count) throw new Error(`${where}: reference length`);
  if (v.precision === "float32") {
    const refs = [...v.softmax, ...v.logSoftmax, v.logSumExp, v.weightedLogSumExp ?? 0];
    for (const r of refs) {
      if (r !== null && Math.fround(r) !== r) throw new Error(`${where}: reference ${r} is not a float32 value`);
    }
  }
  return {
    id: v.id,
    category: v.category,
    precision: v.precision,
    n: v.n,
    temperature: v.temperature ?? 1,
    source: v.recipe ? "prng" : "stored",
    x,
    mask,
    weights,
    recipe: v.recipe ?? null,
    indices: v.indices ?? null,
    softmax: v.softmax,
    logSoftmax: v.logSoftmax,
    logSumExp: v.logSumExp,
    weightedLogSumExp: v.weightedLogSumExp ?? null,
    checksumProblems: problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Running the library and measuring
// ---------------------------------------------------------------------------------------------

/** The three functions under test (the package's, from src or from dist). */
export interface SoftmaxLibrary {
  softmax(x: any, options?: any): any;
  logSoftmax(x: any, options?: any): any;
  logSumExp(x: any, options?: any): any;
}

export interface Deviation {
  index: number;
  got: number;
  expected: number | null;
  ulp: number;
  note?: string;
}

export interface Measurement {
  case: AccuracyCase;
  fn: Fn;
  /** ulp distance of every value checked against a reference (masked entries are not in here). */
  ulps: number[];
  maxUlp: number;
  /** The value at maxUlp (null when nothing was checked). */
  worst: Deviation | null;
  /** Masked entries that are not exactly 0 (softmax) / -Infinity (logSoftmax). */
  maskedWrong: Deviation[];
}

/** Whether the case has a reference for fn. */
export function applies(c: AccuracyCase, fn: Fn): boolean {
  return fn !== "weightedLogSumExp" || c.weightedLogSumExp !== null;
}

/** The options object the case is run with (temperature only when it is not 1: the default path too). */
export function optionsOf(c: AccuracyCase, fn: Fn): Record<string, unknown> | undefined {
  const o: Record<string, unknown> = {};
  if (c.temperature !== 1) o.temperature = c.temperature;
  if (c.mask) o.mask = c.mask;
  if (fn === "weightedLogSumExp") o.weights = c.weights;
  return Object.keys(o).length ? o : undefined;
}

/** Runs fn on the case: the element-wise result, or the logSumExp number. */
export function run(lib: SoftmaxLibrary, c: AccuracyCase, fn: Fn): ArrayLike<number> | number {
  const options = optionsOf(c, fn);
  switch (fn) {
    case "softmax":
      return lib.softmax(c.x, options);
    case "logSoftmax":
      return lib.logSoftmax(c.x, options);
    default:
      return lib.logSumExp(c.x, options);
  }
}

function distance(precision: Precision, got: number, expected: number): { ulp: number; note?: string } {
  if (precision === "float32" && Number.isFinite(got) && Math.fround(got) !== got) {
    return { ulp: Infinity, note: "not a float32 value" };
  }
  return { ulp: ulpDistance(precision, got, expected) };
}

export function measure(lib: SoftmaxLibrary, c: AccuracyCase, fn: Fn): Measurement {
  const result = run(lib, c, fn);
  const ulps: number[] = [];
  const maskedWrong: Deviation[] = [];
  let worst: Deviation | null = null;
  const record = (index: number, got: number, expected: number) => {
    const { ulp, note } = distance(c.precision, got, expected);
    ulps.push(ulp);
    if (worst === null || ulp > worst.ulp || (Number.isNaN(ulp) && !Number.isNaN(worst.ulp))) {
      worst = { index, got, expected, ulp, ...(note ? { note } : {}) };
    }
  };
  if (fn === "softmax" || fn === "logSoftmax") {
    if (typeof result === "number" || result.length !== c.n) {
      throw new Error(`${c.id}: ${fn} returned ${typeof result === "number" ? "a number" : `length ${result.length}`}`);
    }
    const refs = fn === "softmax" ? c.softmax : c.logSoftmax;
    const masked = fn === "softmax" ? 0 : -Infinity;
    for (let k = 0; k < refs.length; k++) {
      const index = c.indices ? c.indices[k] : k;
      const expected = refs[k];
      const got = result[index];
      if (expected === null) {
        if (got !== masked) maskedWrong.push({ index, got, expected: masked, ulp: Infinity, note: "masked entry" });
      } else {
        record(index, got, expected);
      }
    }
  } else {
    if (typeof result !== "number") throw new Error(`${c.id}: logSumExp of a 1-D input must be a number`);
    record(-1, result, fn === "logSumExp" ? c.logSumExp : c.weightedLogSumExp!);
  }
  const maxUlp = ulps.reduce((a, b) => (b > a || Number.isNaN(b) ? b : a), 0);
  return { case: c, fn, ulps, maxUlp, worst, maskedWrong };
}

/** Whether the measurement is within `bound` ulps everywhere, with every masked entry exact. */
export function passes(m: Measurement, bound: number): boolean {
  return m.maxUlp <= bound && m.maskedWrong.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

function literal(x: ArrayLike<number>): string {
  return `[${Array.from(x, (v) => (Object.is(v, -0) ? "-0" : String(v))).join(", ")}]`;
}

/** Longer stored vectors are named rather than written out in failure messages. */
const MAX_LITERAL = 20;

/** A stand-alone JS expression that reproduces the measured call (the result indexed at the worst entry). */
export function reproduction(c: AccuracyCase, fn: Fn, index: number): string {
  let input: string;
  const opts: string[] = [];
  if (c.temperature !== 1) opts.push(`temperature: ${c.temperature}`);
  if (c.source === "prng") {
    input = `x /* regenerate(${JSON.stringify(c.recipe)}, ${c.n}).x from test/support/fixtures.ts */`;
    if (c.mask) opts.push("mask /* regenerate(...).mask */");
    if (fn === "weightedLogSumExp") opts.push("weights /* regenerate(...).weights */");
  } else if (c.n > MAX_LITERAL) {
    const where = `the "${c.id}" entry of test/fixtures/${c.precision}.json`;
    input = c.precision === "float32" ? `new Float32Array(x /* ${where} */)` : `x /* ${where} */`;
    if (c.mask) opts.push("mask");
    if (fn === "weightedLogSumExp") opts.push("weights");
  } else {
    input = c.precision === "float32" ? `new Float32Array(${literal(c.x)})` : literal(c.x);
    if (c.mask) opts.push(`mask: ${literal(c.mask)}`);
    if (fn === "weightedLogSumExp") opts.push(`weights: ${literal(c.weights!)}`);
  }
  const name = fn === "weightedLogSumExp" ? "logSumExp" : fn;
  const call = `${name}(${input}${opts.length ? `, { ${opts.join(", ")} }` : ""})`;
  return index >= 0 ? `${call}[${index}]` : call;
}

/** One line per problem of a measurement, naming the vector and how to reproduce it. */
export function describeFailure(m: Measurement, bound: number): string[] {
  const c = m.case;
  const head = `${c.id} (${c.category}, ${c.precision}, n = ${c.n}${c.temperature !== 1 ? `, T = ${c.temperature}` : ""})`;
  const lines: string[] = [];
  const w = m.worst;
  if (w && !(w.ulp <= bound)) {
    const at = w.index >= 0 ? ` at [${w.index}]` : "";
    const over = m.ulps.filter((u) => !(u <= bound)).length;
    lines.push(
      `${head}: ${w.ulp} ulp${at} (${over} of ${m.ulps.length} values over ${bound}): got ${w.got}, expected ${w.expected}` +
        `${w.note ? ` (${w.note})` : ""}; reproduce: ${reproduction(c, m.fn, w.index)}`,
    );
  }
  for (const d of m.maskedWrong.slice(0, 3)) {
    lines.push(`${head}: masked entry [${d.index}] is ${d.got}, not exactly ${d.expected}`);
  }
  return lines;
}
