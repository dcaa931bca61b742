// hardmax, argmax and sigmoid: their edge cases, every input kind, and sigmoid's accuracy against the
// mpmath fixture (test/fixtures/sigmoid.json, written by test/fixtures/sigmoid.py).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { argmax, hardmax, sigmoid, softmax } from "../src/index.js";
import { kernelSets, withKernels } from "./support/kernelSets.js";
import { ulpDistance32, ulpDistance64 } from "./support/ulp.js";

const SIMD_LENGTHS = [3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65];
const same = (a: unknown, b: unknown) => expect(a).toEqual(b); // toEqual tells -0 from 0 and NaN equals NaN

/** Small integers, so that rows often have ties. */
const tieRow = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 20 });
const maskFor = (n: number) => fc.array(fc.boolean(), { minLength: n, maxLength: n });

describe.each(kernelSets)("hardmax with the $name kernels", (kernels) => {
  withKernels(kernels);

  test("hardmax(x) splits ties at the row maximum equally and gives 0 elsewhere", () => {
    same(hardmax([1, 3, 3]), [0, 0.5, 0.5]);
    same(hardmax([2, 2, 2, 2]), [0.25, 0.25, 0.25, 0.25]);
    same(hardmax([[5, 1, 5], [1, 5, 1]]), [[0.5, 0, 0.5], [0, 1, 0]]);
    same(hardmax([-1000, 1000]), [0, 1]);
    same(hardmax([7]), [1]);
  });

  test("hardmax(x) equals softmax(x, { temperature: 0 }) on random rows, masks and axes", () => {
    fc.assert(fc.property(tieRow.chain((x) => fc.tuple(fc.constant(x), maskFor(x.length))), ([x, mask]) => {
      same(hardmax(x), softmax(x, { temperature: 0 }));
      same(hardmax(x, { mask }), softmax(x, { temperature: 0, mask }));
      const t = { data: Float32Array.from([...x, ...x.slice().reverse()]), shape: [2, x.length] };
      for (const axis of [0, 1]) same(hardmax(t, { axis }), softmax(t, { axis, temperature: 0 }));
    }));
  });

  test("hardmax(x) follows API.md §2 at temperature 0: masks, infinities, NaN, empty rows", () => {
    same(hardmax([3, 1, 2], { mask: [false, true, true] }), [0, 0, 1]);
    same(hardmax([-Infinity, 1, -Infinity]), [0, 1, 0]);
    same(hardmax([-Infinity, -Infinity]), [0, 0]);
    same(hardmax([1, 2], { mask: [0, 0] }), [0, 0]);
    same(hardmax([Infinity, 1, Infinity, Infinity]), [1 / 3, 0, 1 / 3, 1 / 3]);
    same(hardmax([NaN, 1, Infinity]), [NaN, NaN, NaN]);
    same(hardmax([NaN, 1, Infinity], { mask: [0, 1, 1] }), [0, 0, 1]);
    same(hardmax([Infinity, 1, 2], { mask: [0, 1, 1] }), [0, 0, 1]);
    same(hardmax([-0, 0, -1]), [0.5, 0.5, 0]);
    same(hardmax([]), []);
    same(hardmax({ data: new Float64Array(0), shape: [3, 0] }), { data: new Float64Array(0), shape: [3, 0] });
  });

  test("hardmax(x) finds the maximum and its ties at every position of rows around the SIMD width", () => {
    for (const n of SIMD_LENGTHS) {
      for (const at of [0, n - 1, n >> 1]) {
        const x = Float64Array.from({ length: n }, (_, i) => (i === at ? 2 : i % 2));
        const want = Float64Array.from({ length: n }, (_, i) => (i === at ? 1 : 0));
        same(hardmax(x), want);
        x[n - 1] = 2; // a tie with the last entry (or the same entry)
        const k = at === n - 1 ? 1 : 2;
        same(hardmax(Float32Array.from(x)), Float32Array.from(x, (v) => (v === 2 ? 1 / k : 0)));
      }
    }
  });
});

describe("hardmax: kinds, out and options", () => {
  test("hardmax keeps the kind: nested, Float32Array, Float64Array and tensors (with dims) along any axis", () => {
    same(hardmax([[1, 4], [3, 2]], { axis: 0 }), [[0, 1], [1, 0]]);
    const f32 = hardmax(new Float32Array([1, 2, 2]));
    expect(f32).toBeInstanceOf(Float32Array);
    same(f32, new Float32Array([0, 0.5, 0.5]));
    expect(hardmax(new Float64Array([1, 2]))).toBeInstanceOf(Float64Array);
    const t = hardmax({ data: new Float32Array([1, 4, 3, 2, 9, 9]), dims: [3, 2] }, { axis: -2 });
    same(t, { data: new Float32Array([0, 0, 0, 0, 1, 1]), shape: [3, 2] });
    expect(t.data).toBeInstanceOf(Float32Array);
  });

  test("hardmax(x, { out }) writes into out, also in place, and never mutates an input it does not own", () => {
    const x = new Float32Array([1, 5, 5, 0]);
    const out = new Float32Array(4);
    expect(hardmax(x, { out })).toBe(out);
    same(out, new Float32Array([0, 0.5, 0.5, 0]));
    same(x, new Float32Array([1, 5, 5, 0]));
    expect(hardmax(x, { out: x })).toBe(x);
    same(x, new Float32Array([0, 0.5, 0.5, 0]));
    const nested = [[1, 2], [3, 3]];
    hardmax(nested);
    same(nested, [[1, 2], [3, 3]]);
  });

  test("hardmax(x, { temperature }) is a TypeError naming hardmax and temperature, for any value", () => {
    for (const temperature of [0, 1, Infinity]) {
      expect(() => hardmax([1, 2], { temperature } as never)).toThrow(TypeError);
      expect(() => hardmax([1, 2], { temperature } as never)).toThrow(/^hardmax: temperature is not an option/);
    }
  });

  test("hardmax names itself in the errors of the shared options", () => {
    expect(() => hardmax([1, 2], { axis: 1 })).toThrow(/^hardmax: axis .*got 1$/);
    expect(() => hardmax([1, 2], { mask: [true] })).toThrow(RangeError);
    expect(() => hardmax([[1, 2]], { out: new Float64Array(2) } as never)).toThrow(/^hardmax: out is only for typed/);
    expect(() => hardmax(new Float32Array(2), { out: new Float32Array(3) })).toThrow(/^hardmax: out must have length 2/);
    expect(() => hardmax("12" as never)).toThrow(TypeError);
  });
});

/** argmax the slow way: candidates are the unmasked entries; the first NaN, else the first strict maximum. */
function naiveArgmax(row: number[], keep?: boolean[]): number {
  let best = -1;
  for (let j = 0; j < row.length; j++) {
    if (keep && !keep[j]) continue;
    if (Number.isNaN(row[j])) return j;
    if (best < 0 || row[j] > row[best]) best = j;
  }
  return best;
}

describe("argmax", () => {
  test("argmax(x) is the first index of the maximum", () => {
    expect(argmax([1, 3, 2, 3])).toBe(1);
    expect(argmax([4, 3, 2])).toBe(0);
    expect(argmax([1, 2, 9])).toBe(2);
    expect(argmax([2, 2, 2])).toBe(0);
    expect(argmax([-1000, 1000])).toBe(1);
    expect(argmax([5])).toBe(0);
  });

  test("argmax(x) lets the first NaN win, as NumPy does", () => {
    expect(argmax([1, NaN, 5, NaN])).toBe(1);
    expect(argmax([Infinity, NaN])).toBe(1);
    expect(argmax([NaN])).toBe(0);
    expect(argmax([NaN, 1, 2], { mask: [false, true, true] })).toBe(2);
  });

  test("argmax(x) ties -0 and 0 (the first wins) and counts -Infinity as a candidate", () => {
    expect(argmax([-0, 0])).toBe(0);
    expect(argmax([0, -0])).toBe(0);
    expect(argmax([-1, -0, 0])).toBe(1);
    expect(argmax([-Infinity, -Infinity])).toBe(0);
    expect(argmax([-Infinity, 1, Infinity, Infinity])).toBe(2);
  });

  test("argmax(x, { mask }) skips masked entries and gives -1 for a row with no candidate", () => {
    expect(argmax([5, 1, 3], { mask: [false, true, true] })).toBe(2);
    expect(argmax([5, 1, 3], { mask: [0, 0, 0] })).toBe(-1);
    same(argmax([[5, 1], [2, 3]], { mask: [[1, 1], [0, 0]] }), [0, -1]);
    expect(argmax([])).toBe(-1);
    same(argmax([[], []]), [-1, -1]);
    same(argmax({ data: new Float64Array(0), shape: [2, 0] }), { data: new Int32Array([-1, -1]), shape: [2] });
  });

  test("argmax returns a number, nested number[], Int32Array or an Int32Array tensor, with and without keepDims", () => {
    expect(argmax(new Float64Array([1, 3]))).toBe(1);
    expect(argmax(new Float32Array([3, 1]))).toBe(0);
    expect(argmax({ data: new Float32Array([1, 3]), shape: [2] })).toBe(1);
    same(argmax(new Float32Array([1, 3]), { keepDims: true }), new Int32Array([1]));
    same(argmax([1, 3], { keepDims: true }), [1]);
    same(argmax([[1, 3], [4, 2]]), [1, 0]);
    same(argmax([[1, 3], [4, 2]], { keepDims: true }), [[1], [0]]);
    same(argmax([[1, 3], [4, 2]], { axis: 0 }), [1, 0]);
    same(argmax([[1, 3], [4, 2]], { axis: 0, keepDims: true }), [[1, 0]]);
    const t = argmax({ data: new Float64Array([1, 3, 4, 2, 0, 9]), dims: [3, 2] });
    same(t, { data: new Int32Array([1, 0, 1]), shape: [3] });
    same(argmax({ data: new Float64Array([1, 3]), shape: [2] }, { keepDims: true }), { data: new Int32Array([1]), shape: [1] });
  });

  test("argmax along axis 0, the middle axis and the last of a rank-3 tensor matches the first-maximum rule", () => {
    const shape = [3, 4, 5];
    fc.assert(fc.property(fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 60, maxLength: 60 }), (values) => {
      const data = Float64Array.from(values);
      const at = (i: number, j: number, k: number) => data[(i * 4 + j) * 5 + k];
      for (const axis of [0, 1, 2]) {
        const got = argmax({ data, shape }, { axis }) as { data: Int32Array; shape: readonly number[] };
        const rest = shape.filter((_, d) => d !== axis);
        expect(got.shape).toEqual(rest);
        for (let a = 0; a < rest[0]; a++) {
          for (let b = 0; b < rest[1]; b++) {
            const row = Array.from({ length: shape[axis] }, (_, t) =>
              axis === 0 ? at(t, a, b) : axis === 1 ? at(a, t, b) : at(a, b, t));
            expect(got.data[a * rest[1] + b]).toBe(naiveArgmax(row));
          }
        }
      }
      const nested = Array.from({ length: 3 }, (_, i) => Array.from({ length: 4 }, (_, j) => Array.from({ length: 5 }, (_, k) => at(i, j, k))));
      same(argmax(nested, { axis: 1, keepDims: true }), Array.from({ length: 3 }, (_, i) => [Array.from({ length: 5 }, (_, k) =>
        naiveArgmax(Array.from({ length: 4 }, (_, j) => at(i, j, k))))]));
    }), { numRuns: 50 });
  });

  test("argmax(x) points at a candidate >= every candidate, with no earlier candidate equal to it", () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, Infinity, -Infinity, NaN), fc.double());
    const rows = fc.array(value, { minLength: 0, maxLength: 70 }).chain((x) => fc.tuple(fc.constant(x), maskFor(x.length)));
    fc.assert(fc.property(rows, ([x, keep]) => {
      const i = argmax(x, { mask: keep });
      const candidates = x.map((_, j) => j).filter((j) => keep[j]);
      const firstNaN = candidates.find((j) => Number.isNaN(x[j]));
      if (candidates.length === 0) {
        expect(i).toBe(-1);
      } else if (firstNaN !== undefined) {
        expect(i).toBe(firstNaN);
      } else {
        expect(keep[i]).toBe(true);
        for (const j of candidates) {
          expect(x[i] >= x[j]).toBe(true);
          if (j < i) expect(x[j] < x[i]).toBe(true);
        }
      }
    }));
  });

  test("argmax rejects bad arguments with errors naming argmax", () => {
    expect(() => argmax([1, 2], { axis: 1 })).toThrow(/^argmax: axis/);
    expect(() => argmax([1, 2], { axis: 1 })).toThrow(RangeError);
    expect(() => argmax([1, 2], { keepDims: 1 } as never)).toThrow(/^argmax: keepDims must be true or false; got 1$/);
    expect(() => argmax([1, 2], { mask: [1, 1, 1] })).toThrow(RangeError);
    expect(() => argmax(new Int8Array(2) as never)).toThrow(TypeError);
    expect(() => argmax({ data: new Float64Array(1), shape: [] })).toThrow(/^argmax: x has no axis/);
  });

  test("argmax does not mutate its input", () => {
    const x = [[3, NaN], [-0, 0]];
    argmax(x, { keepDims: true });
    same(x, [[3, NaN], [-0, 0]]);
  });
});

// Accuracy: float64 results within 2 ulp of the correctly rounded mpmath value; float32 results (from
// float32 inputs, computed in float64 and rounded once) correctly rounded on every fixture value.
const fixture: { float64: [number, number][]; float32: [number, number][] } =
  JSON.parse(readFileSync(new URL("./fixtures/sigmoid.json", import.meta.url), "utf8"));

describe("sigmoid", () => {
  test("sigmoid(x) is within 2 ulp of mpmath on every float64 fixture value (0 to 1e308, subnormal results)", () => {
    const x = Float64Array.from(fixture.float64, ([v]) => v);
    const got = sigmoid(x);
    let worst = 0, at = NaN;
    for (let i = 0; i < x.length; i++) {
      const e = ulpDistance64(got[i], fixture.float64[i][1]);
      if (e > worst) [worst, at] = [e, x[i]];
    }
    console.log(`sigmoid float64: worst ${worst} ulp (at x = ${at}) over ${x.length} values`);
    expect(worst).toBeLessThanOrEqual(2);
    expect(x.length).toBeGreaterThan(5000);
    same(sigmoid(Array.from(x)), Array.from(got)); // nested input, same values
  });

  test("sigmoid(Float32Array) is correctly rounded on every float32 fixture value", () => {
    const got = sigmoid(Float32Array.from(fixture.float32, ([v]) => v));
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, ulpDistance32(got[i], fixture.float32[i][1]));
    console.log(`sigmoid float32: worst ${worst} ulp over ${got.length} values`);
    expect(worst).toBe(0);
  });

  test("sigmoid handles the extremes: ±Infinity, NaN, signed zero, subnormal and underflowing results", () => {
    same(Array.from(sigmoid(new Float64Array([-Infinity, Infinity, NaN, -0, 0, 1e-300, -1e-300]))), [0, 1, NaN, 0.5, 0.5, 0.5, 0.5]);
    same(sigmoid([-800, -745, -1e308, 800, 1e308, 40]), [0, 5e-324, 0, 1, 1, 1]);
    expect(sigmoid([-740])[0]).toBeGreaterThan(0);
    expect(sigmoid([-740])[0]).toBeLessThan(2 ** -1022); // subnormal, not flushed and not NaN
    same(sigmoid([NaN, 0, Infinity]), [NaN, 0.5, 1]); // elementwise: a NaN does not spread
    same(sigmoid(new Float32Array([-104, -1e30, 1e30])), new Float32Array([0, 0, 1]));
    expect(sigmoid(new Float32Array([-100]))[0]).toBe(Math.fround(3.720075976020836e-44)); // a float32 subnormal
  });

  test("sigmoid(-x) = 1 - sigmoid(x) within 2^-52, and sigmoid(-x) agrees at the tails", () => {
    fc.assert(fc.property(fc.double({ min: -60, max: 60, noNaN: true }), (x) => {
      const [a, b] = sigmoid([x, -x]);
      expect(Math.abs(a + b - 1)).toBeLessThanOrEqual(2 ** -52);
    }));
  });

  test("sigmoid is monotone (non-decreasing) and stays in [0, 1]", () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 2, maxLength: 50 }), (values) => {
      const x = Float64Array.from(values).sort();
      const y = sigmoid(x);
      for (let i = 0; i < y.length; i++) {
        expect(y[i] >= 0 && y[i] <= 1).toBe(true);
        if (i > 0) expect(y[i]).toBeGreaterThanOrEqual(y[i - 1]);
      }
    }));
    const dense = Float64Array.from({ length: 20001 }, (_, i) => -750 + i * 0.0375); // [-750, 0] step 0.0375
    const y = sigmoid(dense);
    for (let i = 1; i < y.length; i++) expect(y[i] >= y[i - 1]).toBe(true);
  });

  test("sigmoid keeps the kind and shape: nested, Float32Array, Float64Array, tensors (with dims)", () => {
    same(sigmoid([[0, 0], [0, 0]]), [[0.5, 0.5], [0.5, 0.5]]);
    expect(sigmoid(new Float32Array([0]))).toBeInstanceOf(Float32Array);
    expect(sigmoid(new Float64Array([0]))).toBeInstanceOf(Float64Array);
    same(sigmoid({ data: new Float32Array([0, Infinity]), dims: [1, 2] }), { data: new Float32Array([0.5, 1]), shape: [1, 2] });
    same(sigmoid({ data: new Float64Array([0]), shape: [] }), { data: new Float64Array([0.5]), shape: [] });
    same(sigmoid([]), []);
  });

  test("sigmoid(x, { out }) writes into out, also in place, and never mutates x otherwise", () => {
    const x = new Float64Array([0, -Infinity, Infinity]);
    const out = new Float64Array(3);
    expect(sigmoid(x, { out })).toBe(out);
    same(out, new Float64Array([0.5, 0, 1]));
    same(x, new Float64Array([0, -Infinity, Infinity]));
    expect(sigmoid(x, { out: x })).toBe(x);
    same(x, new Float64Array([0.5, 0, 1]));
    const shared = new Float64Array([0, 1, 2, 3, 4]); // out overlaps x, shifted by one element
    sigmoid(shared.subarray(0, 4), { out: shared.subarray(1, 5) });
    same(Array.from(shared.subarray(1)), Array.from(sigmoid([0, 1, 2, 3])));
  });

  test("sigmoid rejects bad arguments with errors naming sigmoid", () => {
    expect(() => sigmoid("1" as never)).toThrow(/^sigmoid: x must be/);
    expect(() => sigmoid([1, "2"] as never)).toThrow(TypeError);
    expect(() => sigmoid(new Float32Array(2), { out: new Float64Array(2) } as never)).toThrow(/^sigmoid: out must be a Float32Array/);
    expect(() => sigmoid(new Float32Array(2), { out: new Float32Array(1) })).toThrow(RangeError);
    expect(() => sigmoid([1], { out: new Float64Array(1) } as never)).toThrow(TypeError);
    expect(() => sigmoid([1], 3 as never)).toThrow(/^sigmoid: options must be an object/);
  });
});
