// attention(query, key, value, options) (API.md §8, /tmp/spec/attention.md): against
// test/fixtures/attention.json (mpmath, correctly rounded; written by test/fixtures/attention.py),
// the value kinds, the edge semantics, properties against the three-step computation (scores,
// softmax, times V), the key-block boundaries of the online softmax, and the argument errors.
// attention is JS-only (no kernel set), so everything runs once.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { attention, softmax } from "../src/index.js";
import { ulpDistance32, ulpDistance64 } from "./support/ulp.js";
import { accurateSum } from "./support/sums.js";

// ------------------------------------------------------------------------------------------------
// Helpers

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fixture = Record<string, any>;
interface Flat { shape: number[]; data: number[] }
interface Result { output: unknown; weights?: unknown }
type TensorOut = { data: Float32Array | Float64Array; shape: number[] };

/** attention with loose argument types: the tests pass every kind, and wrong ones on purpose. */
const attend = attention as unknown as (query: unknown, key: unknown, value: unknown, options?: unknown) => Result;

const revive = (_key: string, v: unknown) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
const fixture: { mpmath: string; numpy: string; cases: Fixture[] } =
  JSON.parse(readFileSync(new URL("./fixtures/attention.json", import.meta.url), "utf8"), revive);

const EPS = 2 ** -52;
const ULP_BOUND = 4;

/** Every number of a nested array, typed array or tensor, row-major. */
function flat(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.flatMap(flat);
  if (typeof value === "object" && value !== null && "data" in value) return flat((value as { data: unknown }).data);
  throw new Error(`not a numeric value: ${String(value)}`);
}

/** The shape of a nested array (a tensor's shape for a tensor). */
function shapeOf(value: unknown): number[] {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "shape" in value) return [...(value as TensorOut).shape];
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Row-major flat data as nested arrays of `shape`. */
function nest(data: readonly unknown[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return data.slice();
  const [n, ...rest] = shape;
  const size = product(rest);
  return Array.from({ length: n }, (_, i) => nest(data.slice(i * size, (i + 1) * size), rest));
}

/** Nested arrays can hold a shape only when no dim but the last is 0 ([] has shape [0], never [0, d]). */
const nestable = (shape: readonly number[]) => shape.slice(0, -1).every((n) => n > 0);

/** A fixture array as nested arrays when they can hold it, else as a Float64Array tensor. */
const nestedOrTensor = (t: Flat): unknown => (nestable(t.shape) ? nest(t.data, t.shape) : { data: Float64Array.from(t.data), shape: t.shape });

/** Deterministic uniform numbers in [lo, hi) (mulberry32). */
function stream(seed: number, lo = -1, hi = 1): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}
const matrix = (rows: number, cols: number, next: () => number) => Array.from({ length: rows }, () => Array.from({ length: cols }, next));

/** For each entry of the broadcast batch `batch`, the flat index of the slice it reads in an array whose leading dims are `lead`. */
function batchOffsets(batch: readonly number[], lead: readonly number[]): number[] {
  const out: number[] = [];
  const n = product(batch);
  for (let b = 0; b < n; b++) {
    let rest = b, offset = 0, stride = 1;
    for (let k = 1; k <= batch.length; k++) {
      const index = rest % batch[batch.length - k];
      rest = Math.floor(rest / batch[batch.length - k]);
      const size = k <= lead.length ? lead[lead.length - k] : 1;
      if (k <= lead.length) {
        offset += (size === 1 ? 0 : index) * stride;
        stride *= size;
      }
    }
    out.push(offset);
  }
  return out;
}

/**
 * Per output entry of a fixture case, the scale of its terms sum_j p_j |v_jc| (reference weights),
 * the normwise yardstick where the values cancel.
 */
function termScales(c: Fixture): number[] {
  const [Tq, Tk] = c.weights.shape.slice(-2) as number[];
  const dv = c.value.shape.at(-1) as number;
  const batch = c.weights.shape.slice(0, -2) as number[];
  const vOff = batchOffsets(batch, c.value.shape.slice(0, -2));
  const w: number[] = c.weights.data, v: number[] = c.value.data;
  const scales: number[] = [];
  for (let b = 0; b < product(batch); b++) {
    for (let i = 0; i < Tq; i++) {
      for (let col = 0; col < dv; col++) {
        const terms: number[] = [];
        for (let j = 0; j < Tk; j++) {
          const p = w[(b * Tq + i) * Tk + j];
          if (p !== 0) terms.push(Math.abs(p * v[(vOff[b] * Tk + j) * dv + col]));
        }
        scales.push(accurateSum(terms));
      }
    }
  }
  return scales;
}

/** The options of a fixture case (mask as given), with returnWeights. */
function caseOptions(c: Fixture, mask: unknown, returnWeights = true): Record<string, unknown> {
  const o: Record<string, unknown> = { causal: c.causal, returnWeights };
  if (c.scale !== undefined) o.scale = c.scale;
  if (mask !== undefined) o.mask = mask;
  return o;
}

/** A fixture mask flat (boolean[]) when the spec allows a flat mask of its shape, else as a tensor. */
function flatOrTensorMask(c: Fixture): unknown {
  if (!c.mask) return undefined;
  const [Tq, Tk] = c.weights.shape.slice(-2);
  const full = product(c.weights.shape);
  const n = c.mask.data.length;
  if (n === Tq * Tk || n === full) return c.mask.data.map((v: number) => v === 1);
  return { data: Float64Array.from(c.mask.data), shape: c.mask.shape };
}

// The worst figures measured, printed at the end.
const worst: Record<string, number> = {};
const note = (key: string, e: number) => { worst[key] = Math.max(worst[key] ?? 0, e); return e; };
const counts: Record<string, number> = {};
const count = (key: string) => { counts[key] = (counts[key] ?? 0) + 1; };
afterAll(() => {
  const fmt = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${k}: ${Number.isInteger(v) ? v : v.toPrecision(3)}`).join("\n");
  console.log(`attention vs mpmath (${fixture.cases.length} cases; numpy ${fixture.numpy}):\n${fmt(worst)}${Object.keys(counts).length ? `\n${fmt(counts)}` : ""}`);
});

/** An output entry whose terms p_j v_jc all have one sign: sum_j p_j |v_jc| is |o_c| (to rounding). */
const noCancellation = (want: number, scale: number) => scale <= Math.abs(want) * (1 + 1e-9);

/** The ulp and normwise figures of one output entry, noted under `label`. */
function noteOutputError(label: string, got: number, want: number, scale: number): { ulp: number; normwise: number } {
  const ulp = ulpDistance64(got, want);
  note(`${label} output: max ulp, all entries`, ulp);
  if (noCancellation(want, scale)) note(`${label} output: max ulp, entries whose terms do not cancel`, ulp);
  const normwise = ulp === 0 ? 0 : Math.abs(got - want) / (EPS * scale);
  note(`${label} output: max error in units of 2^-52 sum_j p_j |v_jc|`, normwise);
  return { ulp, normwise };
}

/**
 * Float64 output against the reference: each entry within 4 ulp, or within 4 * 2^-52 * sum_j p_j |v_jc|
 * where the values cancel.
 */
function checkOutput64(got: number[], c: Fixture, label: string): void {
  const want: number[] = c.output.data;
  expect(got.length).toBe(want.length);
  const scales = termScales(c);
  for (let i = 0; i < want.length; i++) {
    const { ulp: e, normwise } = noteOutputError(label, got[i], want[i], scales[i]);
    if (e > ULP_BOUND) {
      expect(normwise, `output entry ${i}: ${got[i]} vs exact ${want[i]} (${e} ulp; terms' scale ${scales[i]})`).toBeLessThanOrEqual(ULP_BOUND);
    }
  }
}

/** Float64 weights: within 4 ulp, exactly 0 where the reference is 0. */
function checkWeights64(got: number[], c: Fixture, label: string): void {
  const want: number[] = c.weights.data;
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === 0) expect(got[i], `weight ${i} must be exactly 0`).toBe(0);
    const e = note(`${label} weights: max ulp`, ulpDistance64(got[i], want[i]));
    expect(e, `weight ${i}: ${got[i]} vs exact ${want[i]}`).toBeLessThanOrEqual(ULP_BOUND);
  }
}

/** Float32 results: within 1 float32 ulp of the exact value rounded to float32 (or, for output entries
 * where the values cancel, within the float64 normwise bound plus the float32 rounding). */
function checkFloat32(out: number[], weights: number[], c: Fixture): void {
  const scales = termScales(c);
  out.forEach((v, i) => {
    const e = note("float32 output: max ulp32", ulpDistance32(v, c.output32.data[i]));
    if (e > 1) {
      const exact = c.output.data[i];
      expect(Math.abs(v - exact), `float32 output entry ${i}: ${v} vs ${c.output32.data[i]}`).toBeLessThanOrEqual(2 ** -24 * Math.abs(exact) + ULP_BOUND * EPS * scales[i]);
    }
  });
  weights.forEach((v, i) => {
    if (c.weights32.data[i] === 0) expect(v).toBe(0);
    expect(note("float32 weights: max ulp32", ulpDistance32(v, c.weights32.data[i])), `float32 weight ${i}`).toBeLessThanOrEqual(1);
  });
}

/** numpy's naive float64 result, measured the same way (informational only). */
function noteNumpy(c: Fixture): void {
  const scales = termScales(c);
  const special = (v: number, want: number) => ulpDistance64(v, want) === Infinity;
  c.numpy.output.forEach((v: number, i: number) => {
    if (special(v, c.output.data[i])) count("numpy naive float64: output entries NaN or infinite where the exact value is not, or the reverse");
    else noteOutputError("numpy naive float64", v, c.output.data[i], scales[i]);
  });
  c.numpy.weights.forEach((v: number, i: number) => {
    if (special(v, c.weights.data[i])) count("numpy naive float64: weights NaN or infinite where the exact value is not, or the reverse");
    else note("numpy naive float64 weights: max ulp", ulpDistance64(v, c.weights.data[i]));
  });
}

// ------------------------------------------------------------------------------------------------
// Fixtures

describe("fixtures: output within 4 ulp (or 4 * 2^-52 sum_j p_j |v_jc|) and weights within 4 ulp of mpmath", () => {
  for (const c of fixture.cases) {
    test(`${c.name}${c.dtype === "float32" ? " (float32)" : ""}`, () => {
      const label = c.dtype === "float32" ? "float64 run of float32 inputs" : "float64";
      // 1. nested arrays (tensors where nested arrays cannot hold the shape), nested 0/1 mask
      const q1 = nestedOrTensor(c.query), k1 = nestedOrTensor(c.key), v1 = nestedOrTensor(c.value);
      const m1 = c.mask ? nest(c.mask.data, c.mask.shape) : undefined;
      const r1 = attend(q1, k1, v1, caseOptions(c, m1));
      expect(shapeOf(r1.output)).toEqual(c.output.shape);
      expect(shapeOf(r1.weights)).toEqual(c.weights.shape);
      const out = flat(r1.output), weights = flat(r1.weights);
      checkOutput64(out, c, label);
      checkWeights64(weights, c, label);
      noteNumpy(c);

      // 2. Float64Array tensors (key by its `dims` alias), value nested, mask flat or a tensor: bit-identical
      const q2 = { data: Float64Array.from(c.query.data), shape: c.query.shape };
      const k2 = { data: Float64Array.from(c.key.data), dims: c.key.shape };
      const r2 = attend(q2, k2, nestedOrTensor(c.value), caseOptions(c, flatOrTensorMask(c)));
      expect((r2.output as TensorOut).data).toBeInstanceOf(Float64Array);
      expect((r2.output as TensorOut).shape).toEqual(c.output.shape);
      expect(flat(r2.output)).toEqual(out);
      expect(flat(r2.weights)).toEqual(weights);

      // 3. without returnWeights: the same output bit for bit, and no weights key
      const r3 = attend(q1, k1, v1, caseOptions(c, m1, false));
      expect("weights" in r3).toBe(false);
      expect(flat(r3.output)).toEqual(out);

      // 4. float32 cases: Float32Array tensors in, Float32Array out, within 1 float32 ulp
      if (c.dtype === "float32") {
        const t32 = (t: Flat) => ({ data: Float32Array.from(t.data), shape: t.shape });
        const m4 = c.mask ? { data: Float32Array.from(c.mask.data), shape: c.mask.shape } : undefined;
        const r4 = attend(t32(c.query), t32(c.key), t32(c.value), caseOptions(c, m4));
        expect((r4.output as TensorOut).data).toBeInstanceOf(Float32Array);
        expect((r4.weights as TensorOut).data).toBeInstanceOf(Float32Array);
        checkFloat32(flat(r4.output), flat(r4.weights), c);
      }
    });
  }
});

// ------------------------------------------------------------------------------------------------
// The three-step computation: scores in the test, softmax from the package, times V

interface Problem { q: number[][]; k: number[][]; v: number[][]; causal: boolean; mask?: boolean[][]; scale?: number }

/** Key j visible to query i: the mask AND the causal rule j <= i + (Tk - Tq). */
function visible(p: Problem, i: number, j: number): boolean {
  const Tq = p.q.length, Tk = p.k.length;
  return (p.mask ? p.mask[i][j] : true) && (!p.causal || j <= i + (Tk - Tq));
}

/** softmax(scale * Q K^T, mask) V with plain float64 scores and accurate sums: [output, weights, term scales]. */
function threeStep(p: Problem): { output: number[][]; weights: number[][]; scales: number[][] } {
  const d = p.q[0]?.length ?? 0, dv = p.v[0]?.length ?? 0;
  const scale = p.scale ?? 1 / Math.sqrt(d);
  const output: number[][] = [], weights: number[][] = [], scales: number[][] = [];
  p.q.forEach((qi, i) => {
    const scores = p.k.map((kj) => (d === 0 ? 0 : scale * accurateSum(qi.map((a, t) => a * kj[t]))));
    const w = p.k.length === 0 ? [] : softmax(scores, { mask: p.k.map((_, j) => visible(p, i, j)) });
    weights.push(w);
    output.push(Array.from({ length: dv }, (_, c) => accurateSum(w.flatMap((pj, j) => (pj === 0 ? [] : [pj * p.v[j][c]])))));
    scales.push(Array.from({ length: dv }, (_, c) => accurateSum(w.map((pj, j) => (pj === 0 ? 0 : Math.abs(pj * p.v[j][c]))))));
  });
  return { output, weights, scales };
}

function run(p: Problem, returnWeights = true): { output: number[][]; weights: number[][] } {
  const options: Record<string, unknown> = { causal: p.causal, returnWeights };
  if (p.mask) options.mask = p.mask;
  if (p.scale !== undefined) options.scale = p.scale;
  return attend(p.q, p.k, p.v, options) as { output: number[][]; weights: number[][] };
}

/**
 * Each output entry within tol * (its terms' scale) of want, each weight within tol of want's
 * (exactly 0 where want's is 0). Collects the misses and asserts once (the large cases have 10^5 weights).
 */
function expectClose(got: { output: number[][]; weights?: number[][] }, want: ReturnType<typeof threeStep>, tol: number): void {
  const misses: string[] = [];
  got.output.forEach((row, i) => row.forEach((v, c) => {
    const w = want.output[i][c];
    if (!(Math.abs(v - w) <= tol * want.scales[i][c] + 1e-300)) misses.push(`output [${i}, ${c}]: ${v} vs ${w}`);
  }));
  got.weights?.forEach((row, i) => row.forEach((v, j) => {
    const w = want.weights[i][j];
    if (w === 0 ? v !== 0 : !(Math.abs(v - w) <= tol * w)) misses.push(`weight [${i}, ${j}]: ${v} vs ${w}`);
  }));
  expect(misses.slice(0, 10)).toEqual([]);
}

const entry = fc.double({ min: -3, max: 3, noNaN: true });
/** A random problem: Tq 1-5, Tk 1-8, d 1-6, dv 1-4, entries in [-3, 3], optional mask, causal, scale. */
const problem: fc.Arbitrary<Problem> = fc
  .record({ Tq: fc.integer({ min: 1, max: 5 }), Tk: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 6 }), dv: fc.integer({ min: 1, max: 4 }) })
  .chain(({ Tq, Tk, d, dv }) => fc.record({
    q: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: Tq, maxLength: Tq }),
    k: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: Tk, maxLength: Tk }),
    v: fc.array(fc.array(entry, { minLength: dv, maxLength: dv }), { minLength: Tk, maxLength: Tk }),
    causal: fc.boolean(),
    mask: fc.option(fc.array(fc.array(fc.boolean(), { minLength: Tk, maxLength: Tk }), { minLength: Tq, maxLength: Tq }), { nil: undefined }),
    scale: fc.option(fc.constantFrom(0.25, 1, 2, -0.5, 0.3), { nil: undefined }),
  }));
const RUNS = { numRuns: 150 };
const LOOSE = 1e-12; // the test's scores are rounded doubles: p_j moves by about |s_j| 2^-53 relative

describe("properties", () => {
  test("output and weights equal softmax(scale Q K^T, visible) V computed in the test (within 1e-12 of the terms' scale)", () => {
    fc.assert(fc.property(problem, (p) => expectClose(run(p), threeStep(p), LOOSE)), RUNS);
  });

  test("permuting the keys and values together (and the mask's columns) leaves the output unchanged within 8 ulp-normwise", () => {
    fc.assert(fc.property(problem, fc.integer({ min: 0, max: 10_000 }), (p, seed) => {
      fc.pre(!p.causal); // causal visibility depends on the key order
      const order = p.k.map((_, j) => j).sort((a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97) || a - b);
      const permuted: Problem = { ...p, k: order.map((j) => p.k[j]), v: order.map((j) => p.v[j]), mask: p.mask?.map((row) => order.map((j) => row[j])) };
      const a = run(p), b = run(permuted), want = threeStep(p);
      a.output.forEach((row, i) => row.forEach((x, c) => expect(Math.abs(x - b.output[i][c])).toBeLessThanOrEqual(8 * EPS * want.scales[i][c] + 1e-300)));
      b.weights.forEach((row, i) => row.forEach((w, t) => expect(ulpDistance64(w, a.weights[i][order[t]])).toBeLessThanOrEqual(8)));
    }), RUNS);
  });

  test("scale 0 gives the mean of the visible values (uniform weights 1/k)", () => {
    fc.assert(fc.property(problem, (p) => {
      const r = run({ ...p, scale: 0 });
      r.output.forEach((row, i) => {
        const seen = p.k.map((_, j) => j).filter((j) => visible(p, i, j));
        r.weights[i].forEach((w, j) => expect(w).toBe(seen.includes(j) ? 1 / seen.length : 0));
        row.forEach((x, c) => {
          const mean = seen.length === 0 ? 0 : accurateSum(seen.map((j) => p.v[j][c])) / seen.length;
          const scale = seen.length === 0 ? 0 : accurateSum(seen.map((j) => Math.abs(p.v[j][c]))) / seen.length;
          expect(Math.abs(x - mean)).toBeLessThanOrEqual(ULP_BOUND * EPS * scale);
        });
      });
    }), RUNS);
  });

  test("the output is bit-identical with and without returnWeights; the weights key is present only with it", () => {
    fc.assert(fc.property(problem, (p) => {
      const a = run(p, true), b = run(p, false);
      expect(b.output).toEqual(a.output);
      expect("weights" in b).toBe(false);
      expect("weights" in (attend(p.q, p.k, p.v) as object)).toBe(false);
    }), RUNS);
  });

  test("key and value without batch dims equal them repeated over the batch; a batch equals its slices (within 8 ulp-normwise)", () => {
    fc.assert(fc.property(problem, (p) => {
      const qs = [p.q, p.q.map((row) => row.map((x) => 0.5 - x))];
      const shared = attend(qs, p.k, p.v, { causal: p.causal, mask: p.mask, returnWeights: true }) as { output: number[][][] };
      const tiled = attend(qs, [p.k, p.k], [p.v, p.v], { causal: p.causal, mask: p.mask, returnWeights: true }) as { output: number[][][] };
      expect(tiled.output).toEqual(shared.output);
      qs.forEach((q, b) => {
        const one = { ...p, q, scale: undefined };
        const want = threeStep(one);
        run(one).output.forEach((row, i) => row.forEach((x, c) => {
          expect(Math.abs(x - shared.output[b][i][c])).toBeLessThanOrEqual(8 * EPS * want.scales[i][c] + 1e-300);
        }));
      });
    }), { numRuns: 60 });
  });

  test("weight rows sum to 1 (within 4 ulp), or are all 0 for a row with nothing visible", () => {
    fc.assert(fc.property(problem, (p) => {
      run(p).weights.forEach((row, i) => {
        const any = p.k.some((_, j) => visible(p, i, j));
        if (any) expect(Math.abs(accurateSum(row) - 1)).toBeLessThanOrEqual(4 * EPS);
        else expect(row.every((w) => w === 0)).toBe(true);
      });
    }), RUNS);
  });
});

// ------------------------------------------------------------------------------------------------
// Key-block boundaries (the online softmax works in key blocks)

describe("key-block boundaries: Tk around 128 and 256, and 1000, against the three-step computation", () => {
  for (const Tk of [1, 2, 127, 128, 129, 255, 256, 257, 1000]) {
    for (const causal of [false, true]) {
      test(`Tq 3, Tk ${Tk}, d 4, dv 2${causal ? ", causal" : ""}`, () => {
        const next = stream(Tk * 2 + (causal ? 1 : 0));
        const Tq = Math.min(3, Tk);
        const p: Problem = { q: matrix(Tq, 4, next), k: matrix(Tk, 4, () => 3 * next()), v: matrix(Tk, 2, next), causal };
        expectClose(run(p), threeStep(p), LOOSE);
        // a mask hiding every other key, and one hiding keys 100-299 (whole blocks)
        const masked = { ...p, mask: p.q.map(() => p.k.map((_, j) => j % 2 === 0)) };
        expectClose(run(masked), threeStep(masked), LOOSE);
        const block = { ...p, mask: p.q.map(() => p.k.map((_, j) => !(j >= 100 && j < 300))) };
        expectClose(run(block), threeStep(block), LOOSE);
      });
    }
  }

  test("Tq = Tk = 300, causal (query blocks too), and Tq 130 > Tk 129 causal", () => {
    const next = stream(99);
    const p: Problem = { q: matrix(300, 4, next), k: matrix(300, 4, next), v: matrix(300, 3, next), causal: true };
    expectClose(run(p), threeStep(p), LOOSE);
    const tall: Problem = { q: matrix(130, 4, next), k: matrix(129, 4, next), v: matrix(129, 3, next), causal: true };
    const r = run(tall);
    expect(r.output[0]).toEqual([0, 0, 0]);
    expect(r.weights[0].every((w) => w === 0)).toBe(true);
    expectClose(r, threeStep(tall), LOOSE);
  });

  test("a peaked row whose maximum comes in a late block rescales the earlier blocks correctly", () => {
    const Tk = 700;
    const k = Array.from({ length: Tk }, (_, j) => [j === 650 ? 40 : j === 5 ? 20 : 0.01 * Math.sin(j)]);
    const v = Array.from({ length: Tk }, (_, j) => [j, -j]);
    const p: Problem = { q: [[1], [-1]], k, v, causal: false, scale: 1 };
    expectClose(run(p), threeStep(p), LOOSE);
  });
});

// ------------------------------------------------------------------------------------------------
// Value kinds

describe("kinds", () => {
  const q = [[0.5, -1, 0.25], [1, 0, -0.5]];
  const k = [[1, 0.5, 0], [0, 1, 1], [-1, 0.25, 0.5], [0.3, 0.3, 0.3]];
  const v = [[1, 2], [3, -4], [0.5, 0.5], [-2, 1]];
  let cached: { output: number[][]; weights: number[][] } | undefined;
  const ref = () => (cached ??= attend(q, k, v, { returnWeights: true }) as { output: number[][]; weights: number[][] });

  test("nested query -> nested output and weights (number[][]), shapes [Tq, dv] and [Tq, Tk]", () => {
    const reference = ref();
    expect(Array.isArray(reference.output)).toBe(true);
    expect(shapeOf(reference.output)).toEqual([2, 2]);
    expect(shapeOf(reference.weights)).toEqual([2, 4]);
    expect(reference.output.every((row) => Array.isArray(row) && row.every((x) => typeof x === "number"))).toBe(true);
  });

  test("Float64 tensor query -> { data: Float64Array, shape }, the same numbers as nested", () => {
    const r = attend({ data: Float64Array.from(q.flat()), shape: [2, 3] }, k, v, { returnWeights: true });
    const out = r.output as TensorOut, w = r.weights as TensorOut, reference = ref();
    expect(out.data).toBeInstanceOf(Float64Array);
    expect(w.data).toBeInstanceOf(Float64Array);
    expect(out.shape).toEqual([2, 2]);
    expect(w.shape).toEqual([2, 4]);
    expect(Array.from(out.data)).toEqual(reference.output.flat());
    expect(Array.from(w.data)).toEqual(reference.weights.flat());
  });

  test("Float32 tensor query -> Float32Array data, rounded once from the float64 result of the same (float32) inputs", () => {
    const q32 = Float32Array.from(q.flat()), k32 = Float32Array.from(k.flat()), v32 = Float32Array.from(v.flat());
    const r = attend({ data: q32, shape: [2, 3] }, { data: k32, shape: [4, 3] }, { data: v32, shape: [4, 2] }, { returnWeights: true });
    const out = r.output as TensorOut, w = r.weights as TensorOut;
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(w.data).toBeInstanceOf(Float32Array);
    const wide = attend({ data: Float64Array.from(q32), shape: [2, 3] }, { data: Float64Array.from(k32), shape: [4, 3] },
      { data: Float64Array.from(v32), shape: [4, 2] }, { returnWeights: true });
    flat(wide.output).forEach((x, i) => expect(ulpDistance32(out.data[i], Math.fround(x))).toBeLessThanOrEqual(1));
    flat(wide.weights).forEach((x, i) => expect(ulpDistance32(w.data[i], Math.fround(x))).toBeLessThanOrEqual(1));
  });

  test("the kind follows query alone: nested query with tensor key/value gives nested; Float32 query with Float64 key/value gives Float32", () => {
    const kt = { data: Float64Array.from(k.flat()), shape: [4, 3] }, vt = { data: Float32Array.from(v.flat()), dims: [4, 2] };
    const a = attend(q, kt, { data: Float64Array.from(v.flat()), shape: [4, 2] });
    expect(a.output).toEqual(ref().output);
    const b = attend({ data: Float32Array.from(q.flat()), shape: [2, 3] }, kt, vt);
    expect((b.output as TensorOut).data).toBeInstanceOf(Float32Array);
  });

  test("`dims` is accepted as an alias of `shape` for query, key, value and mask", () => {
    const mask = [[1, 0, 1, 1], [0, 1, 1, 1]];
    const want = attend(q, k, v, { mask });
    const r = attend({ data: Float64Array.from(q.flat()), dims: [2, 3] }, { data: Float64Array.from(k.flat()), dims: [4, 3] },
      { data: Float64Array.from(v.flat()), dims: [4, 2] }, { mask: { data: Float64Array.from(mask.flat()), dims: [2, 4] } });
    expect((r.output as TensorOut).shape).toEqual([2, 2]);
    expect(Array.from((r.output as TensorOut).data)).toEqual((want.output as number[][]).flat());
  });

  test("the weights key is absent unless returnWeights: true", () => {
    expect("weights" in attend(q, k, v)).toBe(false);
    expect("weights" in attend(q, k, v, {})).toBe(false);
    expect("weights" in attend(q, k, v, { returnWeights: false })).toBe(false);
    expect(Object.keys(attend(q, k, v, { returnWeights: true })).sort()).toEqual(["output", "weights"]);
  });

  test("batch shapes: weights [..., Tq, Tk], output [..., Tq, dv], with rows summing to 1 or 0 for empty rows", () => {
    const next = stream(7);
    const Q = [[matrix(3, 2, next), matrix(3, 2, next)], [matrix(3, 2, next), matrix(3, 2, next)]]; // [2, 2, 3, 2]
    const K = matrix(5, 2, next), V = matrix(5, 4, next);
    const mask = [[1, 1, 0, 0, 1], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]];
    const r = attend(Q, K, V, { mask, returnWeights: true }) as { output: number[][][][]; weights: number[][][][] };
    expect(shapeOf(r.output)).toEqual([2, 2, 3, 4]);
    expect(shapeOf(r.weights)).toEqual([2, 2, 3, 5]);
    for (const plane of r.weights.flat()) {
      plane.forEach((row, i) => {
        const total = accurateSum(row);
        if (i === 1) expect(total).toBe(0);
        else expect(Math.abs(total - 1)).toBeLessThanOrEqual(4 * EPS);
      });
    }
  });

  test("every mask form gives the same result: nested 0/1, nested booleans, boolean[] flat, Uint8Array flat, a tensor, full-batch flat", () => {
    const next = stream(8);
    const Q = [matrix(3, 2, next), matrix(3, 2, next)], K = matrix(4, 2, next), V = matrix(4, 2, next); // batch [2]
    const mask = [[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 1, 0]];
    const want = attend(Q, K, V, { mask, returnWeights: true });
    const forms: unknown[] = [
      mask.map((row) => row.map((x) => x === 1)),
      mask.flat().map((x) => x === 1),
      Uint8Array.from(mask.flat()),
      Float64Array.from(mask.flat()),
      { data: Float64Array.from(mask.flat()), shape: [3, 4] },
      { data: Float32Array.from(mask.flat()), shape: [1, 3, 4] },
      [mask, mask],
      Uint8Array.from([...mask.flat(), ...mask.flat()]),
    ];
    for (const form of forms) expect(attend(Q, K, V, { mask: form, returnWeights: true })).toEqual(want);
  });

  test("a mask of shape [B, H, Tq, Tk] and one broadcasting [B, 1, Tq, Tk] against [B, H]", () => {
    const next = stream(9);
    const Q = [[matrix(2, 2, next), matrix(2, 2, next)], [matrix(2, 2, next), matrix(2, 2, next)]]; // [2, 2, 2, 2]
    const K = matrix(3, 2, next), V = matrix(3, 1, next);
    const m0 = [[1, 0, 1], [1, 1, 0]], m1 = [[0, 1, 1], [1, 0, 0]];
    const narrow = attend(Q, K, V, { mask: [[m0], [m1]], returnWeights: true }) as { output: number[][][][] };
    const wide = attend(Q, K, V, { mask: [[m0, m0], [m1, m1]], returnWeights: true });
    expect(narrow).toEqual(wide);
    const single = attend(Q[1][0], K, V, { mask: m1 });
    expect(narrow.output[1][0]).toEqual(single.output);
  });
});

// ------------------------------------------------------------------------------------------------
// Edge semantics

describe("edge semantics", () => {
  const isZero = (x: number) => x === 0;

  test("a fully masked row gives output zeros and weight zeros, never NaN; the other rows are unaffected", () => {
    const q = [[1, 2], [3, 4], [-1, 0.5]], k = [[1, 0], [0, 1]], v = [[5, 6], [7, 8]];
    const r = attend(q, k, v, { mask: [[1, 1], [0, 0], [1, 0]], returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(r.output[1]).toEqual([0, 0]);
    expect(r.weights[1]).toEqual([0, 0]);
    expect(r.weights[2]).toEqual([1, 0]);
    expect(r.output[2]).toEqual([5, 6]);
    expect(r.output[0]).toEqual((attend([q[0]], k, v).output as number[][])[0]);
    const none = attend(q, k, v, { mask: [[0, 0], [0, 0], [0, 0]], returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(none.output.flat().every(isZero)).toBe(true);
    expect(none.weights.flat().every(isZero)).toBe(true);
  });

  test("causal Tq = Tk: the lower triangle including the diagonal", () => {
    const next = stream(11);
    const r = attend(matrix(4, 3, next), matrix(4, 3, next), matrix(4, 2, next), { causal: true, returnWeights: true }) as { weights: number[][] };
    r.weights.forEach((row, i) => row.forEach((w, j) => expect(w > 0).toBe(j <= i)));
  });

  test("causal Tq < Tk (decoding): query i sees keys j <= i + Tk - Tq; Tq = 1 sees every key", () => {
    const next = stream(12);
    const k = matrix(7, 3, next), v = matrix(7, 2, next);
    const r = attend(matrix(3, 3, next), k, v, { causal: true, returnWeights: true }) as { weights: number[][] };
    r.weights.forEach((row, i) => row.forEach((w, j) => expect(w > 0, `weight [${i}, ${j}]`).toBe(j <= i + 4)));
    const one = attend([[0.3, -0.2, 0.1]], k, v, { causal: true, returnWeights: true });
    expect(one).toEqual(attend([[0.3, -0.2, 0.1]], k, v, { returnWeights: true }));
  });

  test("causal Tq > Tk: the first Tq - Tk queries see nothing (zeros), then the lower triangle", () => {
    const next = stream(13);
    const r = attend(matrix(5, 3, next), matrix(3, 3, next), matrix(3, 2, next), { causal: true, returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(r.output[0]).toEqual([0, 0]);
    expect(r.output[1]).toEqual([0, 0]);
    expect(r.weights[0]).toEqual([0, 0, 0]);
    expect(r.weights[1]).toEqual([0, 0, 0]);
    expect(r.weights[2]).toEqual([1, 0, 0]);
    r.weights.forEach((row, i) => row.forEach((w, j) => expect(w > 0).toBe(j <= i - 2)));
    expect(r.output.flat().some(Number.isNaN)).toBe(false);
  });

  test("causal AND mask: a key is attended only when both allow it", () => {
    const next = stream(14);
    const mask = [[1, 1, 1], [0, 1, 1], [1, 0, 1]];
    const r = attend(matrix(3, 2, next), matrix(3, 2, next), matrix(3, 2, next), { causal: true, mask, returnWeights: true }) as { weights: number[][] };
    r.weights.forEach((row, i) => row.forEach((w, j) => expect(w > 0).toBe(j <= i && mask[i][j] === 1)));
  });

  test("NaN and ±Infinity in value rows of masked keys (and NaN in their key rows) never leak", () => {
    const q = [[1, 0], [0, 1]], k = [[1, 1], [NaN, 0], [0.5, -1], [Infinity, 2]];
    const v = [[1, 2], [NaN, NaN], [3, 4], [-Infinity, Infinity]];
    const mask = [[1, 0, 1, 0], [1, 0, 1, 0]];
    const r = attend(q, k, v, { mask, returnWeights: true }) as { output: number[][]; weights: number[][] };
    const clean = attend(q, [k[0], k[2]], [v[0], v[2]], { returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(r.output).toEqual(clean.output);
    expect(r.weights.map((row) => [row[0], row[2]])).toEqual(clean.weights);
    expect(r.weights.map((row) => [row[1], row[3]])).toEqual([[0, 0], [0, 0]]);
  });

  test("NaN in a value row hidden by causality does not leak into earlier queries; it does reach the query that sees it", () => {
    const q = [[1], [2], [3]], k = [[0.1], [0.2], [0.3]], v = [[1], [2], [NaN]];
    const r = attend(q, k, v, { causal: true }) as { output: number[][] };
    expect(Number.isNaN(r.output[0][0]) || Number.isNaN(r.output[1][0])).toBe(false);
    expect(Number.isNaN(r.output[2][0])).toBe(true);
  });

  test("a -Infinity score gets weight 0 and its (NaN) value row is not read", () => {
    const r = attend([[1], [2]], [[-Infinity], [0.5], [1]], [[NaN, NaN], [1, 2], [3, 4]], { returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(r.weights.map((row) => row[0])).toEqual([0, 0]);
    expect(r.output.flat().some(Number.isNaN)).toBe(false);
    // the same as without that key (to a few ulps: the spec promises accuracy, not the same rounding)
    const without = attend([[1], [2]], [[0.5], [1]], [[1, 2], [3, 4]], { returnWeights: true }) as { output: number[][]; weights: number[][] };
    r.output.forEach((row, i) => row.forEach((x, c) => expect(ulpDistance64(x, without.output[i][c])).toBeLessThanOrEqual(2 * ULP_BOUND)));
    r.weights.forEach((row, i) => row.slice(1).forEach((w, j) => expect(ulpDistance64(w, without.weights[i][j])).toBeLessThanOrEqual(2 * ULP_BOUND)));
  });

  test("values near the overflow threshold give their finite weighted mean, never NaN or Infinity", () => {
    for (const x of [9e307, 1.7e308, Number.MAX_VALUE]) {
      const equal = attend([[0]], [[1], [1]], [[x, -x], [x, -x]]).output as number[][];
      expect(equal, `two equal weights on values ${x}`).toEqual([[x, -x]]);
      const r = attend([[1]], [[1], [0]], [[x], [x / 2]], { returnWeights: true, scale: 1 }) as { output: number[][]; weights: number[][] };
      const [p0, p1] = r.weights[0];
      const want = p0 * x + p1 * (x / 2);
      expect(ulpDistance64(r.output[0][0], want), `weights ${p0}, ${p1} on ${x} and ${x / 2}: ${r.output[0][0]}`).toBeLessThanOrEqual(ULP_BOUND);
    }
  });

  test("an Infinity in a visible value row gives ±Infinity in that column (p_j * Infinity), in float64 and float32 alike", () => {
    const v = [[Infinity, 1], [1, -Infinity]];
    expect(attend([[1]], [[1], [2]], v).output).toEqual([[Infinity, -Infinity]]);
    expect(attend([[1]], [[1]], [[Infinity]]).output).toEqual([[Infinity]]);
    const f32 = attend({ data: Float32Array.from([1]), shape: [1, 1] }, [[1], [2]], v).output as TensorOut;
    expect(Array.from(f32.data)).toEqual([Infinity, -Infinity]);
    // +Infinity and -Infinity in one column, both with a nonzero weight: NaN (Infinity - Infinity)
    expect(Number.isNaN((attend([[1]], [[1], [2]], [[Infinity], [-Infinity]]).output as number[][])[0][0])).toBe(true);
  });

  test("only -Infinity scores in a row: zeros, never NaN", () => {
    const r = attend([[1]], [[-Infinity], [-Infinity]], [[1], [2]], { returnWeights: true });
    expect(r.output).toEqual([[0]]);
    expect(r.weights).toEqual([[0, 0]]);
  });

  test("k scores of +Infinity get 1/k each, the rest 0 (their value rows not read)", () => {
    const r = attend([[Infinity], [1]], [[1], [2], [-1]], [[1, 10], [3, 30], [NaN, NaN]], { mask: [[1, 1, 1], [1, 1, 0]], returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(r.weights[0]).toEqual([0.5, 0.5, 0]);
    expect(r.output[0]).toEqual([2, 20]);
    expect(r.output[1].some(Number.isNaN)).toBe(false);
  });

  test("a visible NaN score makes that output row and weight row NaN (over +Infinity too); a masked one is ignored", () => {
    const k = [[1, 0], [0, 1], [1, 1]], v = [[1, 2], [3, 4], [5, 6]];
    const r = attend([[NaN, 0], [1, 1]], k, v, { returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(r.output[0].every(Number.isNaN)).toBe(true);
    expect(r.weights[0].every(Number.isNaN)).toBe(true);
    expect(r.output[1].some(Number.isNaN)).toBe(false);
    const inf = attend([[Infinity, 0]], [[1, 0], [NaN, 1]], [[1], [2]], { returnWeights: true }) as { output: number[][]; weights: number[][] };
    expect(Number.isNaN(inf.output[0][0])).toBe(true);
    expect(inf.weights[0].every(Number.isNaN)).toBe(true);
    const masked = attend([[1, 1]], [[1, 0], [NaN, 1]], [[1], [NaN]], { mask: [[1, 0]], returnWeights: true });
    expect(masked.output).toEqual([[1]]);
    expect(masked.weights).toEqual([[1, 0]]);
  });

  test("d = 0: every score is 0 (uniform weights), with the default scale and an explicit one", () => {
    const q = { data: new Float64Array(0), shape: [2, 0] }, k = { data: new Float64Array(0), shape: [4, 0] };
    const v = [[1], [2], [3], [6]];
    for (const scale of [undefined, 3]) {
      const r = attend(q, k, v, { returnWeights: true, ...(scale === undefined ? {} : { scale }) });
      expect(flat(r.weights)).toEqual(Array(8).fill(0.25));
      flat(r.output).forEach((x) => expect(ulpDistance64(x, 3)).toBeLessThanOrEqual(ULP_BOUND));
    }
    // causal, Tq 2 < Tk 4: query 0 sees keys 0-2, query 1 all four
    const causal = attend(q, k, v, { returnWeights: true, causal: true });
    expect(flat(causal.weights)).toEqual([1 / 3, 1 / 3, 1 / 3, 0, 0.25, 0.25, 0.25, 0.25]);
    expect(shapeOf(attend([[], []], [[], [], []], [[1], [2], [3]]).output)).toEqual([2, 1]);
  });

  test("Tk = 0: output zeros [Tq, dv], weights [Tq, 0]", () => {
    const r = attend([[1, 2], [3, 4]], { data: new Float64Array(0), shape: [0, 2] }, { data: new Float64Array(0), shape: [0, 3] }, { returnWeights: true });
    expect(r.output).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(shapeOf(r.weights)).toEqual([2, 0]);
  });

  test("Tq = 0: an empty output of shape [0, dv] (and weights [0, Tk])", () => {
    const r = attend({ data: new Float64Array(0), shape: [0, 2] }, [[1, 2], [3, 4], [5, 6]], [[1], [2], [3]], { returnWeights: true });
    expect((r.output as TensorOut).shape).toEqual([0, 1]);
    expect((r.output as TensorOut).data.length).toBe(0);
    expect((r.weights as TensorOut).shape).toEqual([0, 3]);
  });

  test("the default scale is 1 / Math.sqrt(d), the float64 value", () => {
    const next = stream(15);
    const q = matrix(2, 5, next), k = matrix(3, 5, next), v = matrix(3, 2, next);
    expect(attend(q, k, v, { returnWeights: true })).toEqual(attend(q, k, v, { returnWeights: true, scale: 1 / Math.sqrt(5) }));
  });

  test("a negative scale reverses the preference", () => {
    const r = attend([[1]], [[1], [-1]], [[1], [0]], { scale: -4, returnWeights: true }) as { weights: number[][] };
    expect(r.weights[0][1]).toBeGreaterThan(r.weights[0][0]);
  });
});

// ------------------------------------------------------------------------------------------------
// Errors

describe("errors", () => {
  const q = [[1, 2], [3, 4]], k = [[1, 0], [0, 1], [1, 1]], v = [[1], [2], [3]];

  test("a 1-D query, key or value (a bare typed array, or a flat number[]) is a RangeError naming it", () => {
    expect(() => attend(Float64Array.from([1, 2]), k, v)).toThrow(RangeError);
    expect(() => attend(Float64Array.from([1, 2]), k, v)).toThrow(/query/);
    expect(() => attend(Float32Array.from([1, 2]), k, v)).toThrow(/query/);
    expect(() => attend([1, 2], k, v)).toThrow(RangeError);
    expect(() => attend(q, Float64Array.from([1, 2]), v)).toThrow(RangeError);
    expect(() => attend(q, Float64Array.from([1, 2]), v)).toThrow(/key/);
    expect(() => attend(q, k, Float64Array.from([1, 2, 3]))).toThrow(RangeError);
    expect(() => attend(q, k, Float64Array.from([1, 2, 3]))).toThrow(/value/);
  });

  test("key's d differing from query's is a RangeError naming both", () => {
    const bad = [[1, 0, 0], [0, 1, 0], [1, 1, 0]];
    expect(() => attend(q, bad, v)).toThrow(RangeError);
    expect(() => attend(q, bad, v)).toThrow(/query[\s\S]*key|key[\s\S]*query/);
  });

  test("value's Tk differing from key's is a RangeError naming both", () => {
    expect(() => attend(q, k, [[1], [2]])).toThrow(RangeError);
    expect(() => attend(q, k, [[1], [2]])).toThrow(/key[\s\S]*value|value[\s\S]*key/);
  });

  test("batch dims that do not broadcast are a RangeError", () => {
    expect(() => attend([q, q], [k, k, k], [v, v, v])).toThrow(RangeError);
    expect(() => attend([q, q], k, [v, v, v])).toThrow(RangeError);
  });

  test("a mask of the wrong shape or length is a RangeError naming mask", () => {
    const bad: unknown[] = [
      [[1, 1], [1, 1]], // [Tq, Tk - 1]
      [[1, 1]], // [1, Tk - 1]
      [1, 1, 1, 1, 1], // flat, length 5
      Uint8Array.from([1, 1, 1, 1, 1, 1, 1]),
      { data: new Float64Array(6), shape: [3, 2] },
    ];
    for (const mask of bad) {
      expect(() => attend(q, k, v, { mask })).toThrow(RangeError);
      expect(() => attend(q, k, v, { mask })).toThrow(/mask/);
    }
    // a mask whose batch dims do not broadcast against the inputs' batch dims
    const m3 = [0, 1, 2].map(() => [[1, 1, 1], [1, 1, 1]]);
    expect(() => attend([q, q], k, v, { mask: m3 })).toThrow(RangeError);
    expect(() => attend([q, q], k, v, { mask: m3 })).toThrow(/mask/);
  });

  test("a mask with one row ([..., 1, Tk], a key-padding mask) applies to every query", () => {
    const row = [1, 0, 1];
    const full = attend(q, k, v, { mask: q.map(() => row), returnWeights: true });
    expect(attend(q, k, v, { mask: [row], returnWeights: true })).toEqual(full);
    expect(attend(q, k, v, { mask: Uint8Array.from(row), returnWeights: true })).toEqual(full);
    // [batch, heads, 1, Tk] against [batch, heads, Tq, d]: a different padding row per batch entry
    const rows = [[1, 1, 0], [0, 1, 1]];
    const batched = attend([[q], [q]], k, v, { mask: rows.map((r) => [[r]]), returnWeights: true });
    const one = rows.map((r) => attend(q, k, v, { mask: [r], returnWeights: true }));
    expect(batched.output).toEqual(one.map((o) => [o.output]));
    expect(batched.weights).toEqual(one.map((o) => [o.weights]));
    expect((batched.weights as number[][][][])[0][0][1][2]).toBe(0);
  });

  test("a non-finite scale is a RangeError, a non-number scale a TypeError, both naming scale", () => {
    for (const scale of [NaN, Infinity, -Infinity]) {
      expect(() => attend(q, k, v, { scale })).toThrow(RangeError);
      expect(() => attend(q, k, v, { scale })).toThrow(/scale/);
    }
    expect(() => attend(q, k, v, { scale: "2" })).toThrow(TypeError);
    expect(() => attend(q, k, v, { scale: "2" })).toThrow(/scale/);
  });

  test("string entries and Int8Array data are TypeErrors naming the parameter", () => {
    expect(() => attend([[1, "2"], [3, 4]], k, v)).toThrow(TypeError);
    expect(() => attend([[1, "2"], [3, 4]], k, v)).toThrow(/query/);
    expect(() => attend(q, [[1, 0], [0, "1"], [1, 1]], v)).toThrow(TypeError);
    expect(() => attend(q, [[1, 0], [0, "1"], [1, 1]], v)).toThrow(/key/);
    expect(() => attend(q, k, [[1], ["2"], [3]])).toThrow(TypeError);
    expect(() => attend(q, k, [[1], ["2"], [3]])).toThrow(/value/);
    expect(() => attend({ data: new Int8Array(4), shape: [2, 2] }, k, v)).toThrow(TypeError);
    expect(() => attend({ data: new Int8Array(4), shape: [2, 2] }, k, v)).toThrow(/query/);
    expect(() => attend(new Int8Array(4), k, v)).toThrow(TypeError);
    expect(() => attend("q", k, v)).toThrow(TypeError);
    expect(() => attend(q, k, undefined)).toThrow(TypeError);
    expect(() => attend(q, k, undefined)).toThrow(/value/);
  });

  test("ragged nesting and a tensor whose shape does not match its data are RangeErrors", () => {
    expect(() => attend([[1, 2], [3]], k, v)).toThrow(RangeError);
    expect(() => attend({ data: new Float64Array(5), shape: [2, 2] }, k, v)).toThrow(RangeError);
  });

  test("inputs are never mutated (nested, typed, mask), also when a row is NaN or masked", () => {
    const next = stream(16);
    const qn = matrix(3, 2, next), kn = matrix(4, 2, next), vn = matrix(4, 3, next);
    qn[1][0] = NaN;
    vn[3] = [NaN, Infinity, -Infinity];
    const mask = [[1, 1, 1, 0], [1, 0, 1, 0], [0, 0, 0, 0]];
    const copies = JSON.stringify([qn, kn, vn, mask], (_key, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x));
    attend(qn, kn, vn, { mask, causal: true, returnWeights: true });
    expect(JSON.stringify([qn, kn, vn, mask], (_key, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x))).toBe(copies);
    const qt = Float64Array.from(qn.flat()), kt = Float32Array.from(kn.flat()), vt = Float64Array.from(vn.flat()), mt = Uint8Array.from(mask.flat());
    const before = [qt, kt, vt, mt].map((a) => Array.from(a as ArrayLike<number>));
    const qShape = [3, 2];
    const r = attend({ data: qt, shape: qShape }, { data: kt, shape: [4, 2] }, { data: vt, shape: [4, 3] }, { mask: mt, returnWeights: true });
    expect([qt, kt, vt, mt].map((a) => Array.from(a as ArrayLike<number>))).toEqual(before);
    expect(qShape).toEqual([3, 2]);
    expect((r.output as TensorOut).data).not.toBe(qt);
  });
});
