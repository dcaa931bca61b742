// filterTopK, filterTopP and filterMinP: hand-checked cases (ties at the boundary, exact dyadic masses,
// the p = 0 / p = 1 / minP limits, ±Infinity), every input kind, axes, errors; then properties against
// straightforward full-sort implementations written here.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { filterMinP, filterTopK, filterTopP } from "../src/index.js";

const inf = Infinity;

/** Logits whose probabilities are the dyadic fractions 1/2, 1/4, 1/8, 1/16, 1/32, 1/32 (up to the rounding of the logs). */
const dyadic = [1, 0.5, 0.25, 0.125, 0.0625, 0.0625].map(Math.log);

/** Math.max / Math.min without spreading (rows of 128,256 entries overflow the call stack). */
const maxOf = (x: number[]) => x.reduce((m, v) => (v > m ? v : m), -inf);
const minOf = (x: number[]) => x.reduce((m, v) => (v < m ? v : m), inf);

/** How many entries of a filtered row are kept (above -Infinity). */
const keptCount = (row: ArrayLike<number>) => Array.from(row).filter((v) => v > -inf).length;

// ---------------------------------------------------------------------------------------------------
// Reference implementations: sort the row, walk down from the top. Each returns the filtered row, or
// null when the row sits within rounding of a boundary (where float64 sums may decide either way).

/** The row's values, largest first. */
const sortedDown = (row: number[]) => [...row].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));

const keepFrom = (row: number[], threshold: number) => row.map((v) => (v >= threshold ? v : -inf));

/** softmax of a row, with the +Infinity rule of API.md §2; null when every entry is -Infinity. */
function referenceProbabilities(row: number[]): number[] | null {
  const max = maxOf(row);
  if (max === -inf || row.length === 0) return null;
  if (max === inf) {
    const count = row.filter((v) => v === inf).length;
    return row.map((v) => (v === inf ? 1 / count : 0));
  }
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The threshold of minKeep: the minKeep-th largest value (-Infinity when the row is shorter). */
const minKeepThreshold = (row: number[], minKeep: number) => (minKeep >= row.length ? -inf : sortedDown(row)[minKeep - 1]);

function referenceTopK(row: number[], k: number): number[] {
  return k >= row.length ? row.slice() : keepFrom(row, sortedDown(row)[k - 1]);
}

function referenceTopP(row: number[], p: number, minKeep = 1): number[] | null {
  const probs = referenceProbabilities(row);
  if (probs === null) return row.slice();
  let threshold: number;
  if (p === 1) {
    threshold = maxOf(row) === inf ? inf : -inf; // every token of positive probability
  } else {
    const order = row.map((_, i) => i).sort((a, b) => (row[a] > row[b] ? -1 : row[a] < row[b] ? 1 : 0));
    let mass = 0, i = 0;
    for (;; i++) {
      if (i === order.length) return null; // p not reached: rounding
      const next = mass + probs[order[i]];
      if (Math.abs(next - p) < 1e-9 || Math.abs(mass - p) < 1e-9) return null;
      mass = next;
      if (mass >= p) break;
    }
    threshold = row[order[i]];
  }
  return keepFrom(row, Math.min(threshold, minKeepThreshold(row, minKeep)));
}

function referenceMinP(row: number[], minP: number, minKeep = 1): number[] | null {
  const max = maxOf(row);
  if (row.length === 0 || max === -inf) return row.slice();
  const kept = (v: number) => (max === inf ? v === inf || minP === 0 : Math.exp(v - max) >= minP);
  if (max < inf && row.some((v) => Math.abs(Math.exp(v - max) - minP) < 1e-12)) return null;
  const threshold = minOf(row.filter(kept));
  return keepFrom(row, Math.min(threshold, minKeepThreshold(row, minKeep)));
}

// ---------------------------------------------------------------------------------------------------

describe("filterTopK", () => {
  test("filterTopK(x, k) keeps the k largest and sets the rest to -Infinity", () => {
    expect(filterTopK([2, 0.5, 3, 1], 2)).toEqual([2, -inf, 3, -inf]);
    expect(filterTopK([2, 0.5, 3, 1], 1)).toEqual([-inf, -inf, 3, -inf]);
    expect(filterTopK([2, 0.5, 3, 1], 4)).toEqual([2, 0.5, 3, 1]);
  });

  test("filterTopK(x, k) keeps every entry tied with the k-th largest", () => {
    expect(filterTopK([1, 3, 2, 3, 2], 2)).toEqual([-inf, 3, -inf, 3, -inf]);
    expect(filterTopK([1, 3, 2, 3, 2], 3)).toEqual([-inf, 3, 2, 3, 2]);
    expect(filterTopK([3, 1, 2, 2], 2)).toEqual([3, -inf, 2, 2]);
    expect(filterTopK([5, 5, 5, 5], 1)).toEqual([5, 5, 5, 5]);
  });

  test("filterTopK(x, Infinity) and k >= n keep everything", () => {
    expect(filterTopK([2, 0.5, 3], Infinity)).toEqual([2, 0.5, 3]);
    expect(filterTopK([2, 0.5, 3], 10)).toEqual([2, 0.5, 3]);
  });

  test("filterTopK ranks +Infinity above every finite entry and keeps -Infinity entries as they are", () => {
    expect(filterTopK([1, inf, 2, inf], 1)).toEqual([-inf, inf, -inf, inf]);
    expect(filterTopK([1, inf, 2, inf], 3)).toEqual([-inf, inf, 2, inf]);
    expect(filterTopK([-inf, 1, -inf, 0], 3)).toEqual([-inf, 1, -inf, 0]);
    expect(filterTopK([-inf, 1, -inf, 0], 1)).toEqual([-inf, 1, -inf, -inf]);
  });

  test("filterTopK returns a row that is empty or all -Infinity unchanged", () => {
    expect(filterTopK([], 3)).toEqual([]);
    expect(filterTopK([-inf, -inf], 1)).toEqual([-inf, -inf]);
    expect(filterTopK([[-inf, -inf], [1, 2]], 1)).toEqual([[-inf, -inf], [-inf, 2]]);
  });

  test("filterTopK(x, k) on [-1000, 1000] and on rows of length 1", () => {
    expect(filterTopK([-1000, 1000], 1)).toEqual([-inf, 1000]);
    expect(filterTopK([7], 1)).toEqual([7]);
  });
});

describe("filterTopP", () => {
  test("filterTopP(x, p) keeps the smallest top set whose mass reaches p, including the crossing token", () => {
    // probabilities 0.644, 0.237, 0.087, 0.032
    expect(filterTopP([3, 2, 1, 0], 0.9)).toEqual([3, 2, 1, -inf]);
    expect(filterTopP([3, 2, 1, 0], 0.7)).toEqual([3, 2, -inf, -inf]);
    expect(filterTopP([3, 2, 1, 0], 0.6)).toEqual([3, -inf, -inf, -inf]);
    expect(filterTopP([0, 1, 3, 2], 0.9)).toEqual([-inf, 1, 3, 2]);
  });

  test("filterTopP adds no token when the mass reaches p exactly (dyadic probabilities)", () => {
    expect(keptCount(filterTopP(dyadic, 0.5))).toBe(1);
    expect(keptCount(filterTopP(dyadic, 0.75))).toBe(2);
    expect(keptCount(filterTopP(dyadic, 0.7500001))).toBe(3);
    expect(keptCount(filterTopP(dyadic, 0.875))).toBe(3);
    expect(keptCount(filterTopP(dyadic, 0.9375))).toBe(4);
    expect(keptCount(filterTopP(dyadic, 0.9375000001))).toBe(6); // the 5th token is tied with the 6th
    expect(filterTopP(dyadic, 0.75)).toEqual([dyadic[0], dyadic[1], -inf, -inf, -inf, -inf]);
  });

  test("filterTopP keeps every entry tied with the crossing token", () => {
    // probabilities 0.534, 0.197, 0.197, 0.072: 0.6 is crossed by the first 1; the second is kept too.
    expect(filterTopP([2, 1, 1, 0], 0.6)).toEqual([2, 1, 1, -inf]);
    expect(filterTopP([1, 0, 1, 2], 0.6)).toEqual([1, -inf, 1, 2]);
    expect(filterTopP([1, 1, 1, 1], 0.1)).toEqual([1, 1, 1, 1]);
  });

  test("filterTopP(x, 0) is greedy: the largest entry and its ties", () => {
    expect(filterTopP([1, 3, 2], 0)).toEqual([-inf, 3, -inf]);
    expect(filterTopP([3, 1, 3], 0)).toEqual([3, -inf, 3]);
    expect(filterTopP(dyadic, 0)).toEqual([0, -inf, -inf, -inf, -inf, -inf]);
  });

  test("filterTopP(x, 1) keeps every token of positive probability", () => {
    expect(filterTopP(dyadic, 1)).toEqual(dyadic);
    expect(filterTopP([0, -1000, -inf], 1)).toEqual([0, -1000, -inf]); // exp(-1000) > 0, though it underflows
    expect(filterTopP([inf, 5, inf], 1)).toEqual([inf, -inf, inf]); // the +Infinity entries hold all the mass
  });

  test("filterTopP with +Infinity entries keeps them (they share the mass) and nothing else", () => {
    expect(filterTopP([inf, 5, 1, inf], 0.3)).toEqual([inf, -inf, -inf, inf]);
    expect(filterTopP([5, inf], 0.999)).toEqual([-inf, inf]);
  });

  test("filterTopP(x, p, { minKeep }) keeps at least the minKeep largest and their ties", () => {
    expect(keptCount(filterTopP(dyadic, 0, { minKeep: 3 }))).toBe(3);
    expect(keptCount(filterTopP(dyadic, 0.9, { minKeep: 2 }))).toBe(4); // p needs more than minKeep
    expect(filterTopP([3, 2, 2, 1], 0, { minKeep: 2 })).toEqual([3, 2, 2, -inf]);
    expect(filterTopP([3, 2, 1], 0, { minKeep: Infinity })).toEqual([3, 2, 1]);
  });

  test("filterTopP on a long row finds the crossing token when plain sums would round to the other side of p", () => {
    // Long rows are first binned by the gap max - x with plain sums; the crossing is then settled
    // exactly. Here 2^15 weights of exactly 1 - gap, added plainly, round up (gap 2^-40) or down
    // (3 * 2^-40) by about 2e-8, and p puts the mass 1e-8 beyond the exact sum of the top group.
    const K = 2 ** 15, L = 1000;
    for (const gap of [2 ** -40, 3 * 2 ** -40]) {
      expect(Math.exp(-gap)).toBe(1 - gap);
      const x = new Float64Array(1 + K + 2 * L); // 0, then K entries at -gap, L at -1, L at -2
      x.fill(-gap, 1, 1 + K).fill(-1, 1 + K, 1 + K + L).fill(-2, 1 + K + L);
      const top = 1 + K * (1 - gap); // exact
      const total = top + L * Math.exp(-1) + L * Math.exp(-2);
      expect(keptCount(filterTopP(x, (top - 1e-8) / total))).toBe(1 + K);
      expect(keptCount(filterTopP(x, (top + 1e-8) / total))).toBe(1 + K + L);
    }
  });

  test("filterTopP and filterMinP on [-1000, 1000] and on rows of length 1", () => {
    expect(filterTopP([-1000, 1000], 0.999)).toEqual([-inf, 1000]);
    expect(filterTopP([-1000, 1000], 1)).toEqual([-1000, 1000]);
    expect(filterMinP([-1000, 1000], 1e-300)).toEqual([-inf, 1000]);
    expect(filterMinP([-1000, 1000], 0)).toEqual([-1000, 1000]);
    expect(filterTopP([7], 0.5)).toEqual([7]);
    expect(filterMinP([7], 1)).toEqual([7]);
  });

  test("filterTopP returns a row that is empty or all -Infinity unchanged, and drops -Infinity mass", () => {
    expect(filterTopP([], 0.5)).toEqual([]);
    expect(filterTopP([-inf, -inf], 0.5)).toEqual([-inf, -inf]);
    expect(filterTopP([-inf, 0, -inf, Math.log(3)], 0.7)).toEqual([-inf, -inf, -inf, Math.log(3)]);
  });
});

describe("filterMinP", () => {
  test("filterMinP(x, minP) drops tokens with exp(x - max) < minP", () => {
    expect(filterMinP([3, 2, 1, 0], 0.2)).toEqual([3, 2, -inf, -inf]); // ratios 1, 0.37, 0.14, 0.05
    expect(filterMinP([3, 2, 1, 0], 0.1)).toEqual([3, 2, 1, -inf]);
  });

  test("filterMinP keeps a token whose exp(x - max) is exactly minP and drops it just above", () => {
    const row = [Math.log(2), 0, -1];
    expect(Math.exp(0 - Math.log(2))).toBe(0.5); // the boundary is exact
    expect(filterMinP(row, 0.5)).toEqual([Math.log(2), 0, -inf]);
    expect(filterMinP(row, 0.5000000000000001)).toEqual([Math.log(2), -inf, -inf]);
    expect(filterMinP([0, -Math.log(8)], 0.125)).toEqual([0, -Math.log(8)]);
  });

  test("filterMinP(x, 0) keeps all and filterMinP(x, 1) keeps the maximum and its ties", () => {
    expect(filterMinP([1, -50, -inf, 3], 0)).toEqual([1, -50, -inf, 3]);
    expect(filterMinP([1, 3, 3, 2], 1)).toEqual([-inf, 3, 3, -inf]);
  });

  test("filterMinP with +Infinity entries keeps only them for minP > 0", () => {
    expect(filterMinP([inf, 5, inf], 0.01)).toEqual([inf, -inf, inf]);
    expect(filterMinP([inf, 5, inf], 0)).toEqual([inf, 5, inf]);
  });

  test("filterMinP(x, minP, { minKeep }) keeps at least the minKeep largest and their ties", () => {
    expect(filterMinP([3, 2, 1, 0], 1, { minKeep: 2 })).toEqual([3, 2, -inf, -inf]);
    expect(filterMinP([3, 1, 1, 0], 1, { minKeep: 2 })).toEqual([3, 1, 1, -inf]);
    expect(filterMinP([3, 2, 1, 0], 0.1, { minKeep: 1 })).toEqual([3, 2, 1, -inf]);
  });

  test("filterMinP returns a row that is empty or all -Infinity unchanged", () => {
    expect(filterMinP([], 0.5)).toEqual([]);
    expect(filterMinP([-inf], 0.5)).toEqual([-inf]);
  });
});

describe("the filters on every input kind", () => {
  const filters = [
    { name: "filterTopK", run: (x: any, o?: any): unknown => filterTopK(x, 2, o) },
    { name: "filterTopP", run: (x: any, o?: any): unknown => filterTopP(x, 0.7, o) },
    { name: "filterMinP", run: (x: any, o?: any): unknown => filterMinP(x, 0.3, o) },
  ];
  const rows = [[3, 2, 1, 0], [0, 2.5, -1, 2.25]];
  const expected = {
    filterTopK: [[3, 2, -inf, -inf], [-inf, 2.5, -inf, 2.25]],
    filterTopP: [[3, 2, -inf, -inf], [-inf, 2.5, -inf, 2.25]],
    filterMinP: [[3, 2, -inf, -inf], [-inf, 2.5, -inf, 2.25]],
  };

  describe.each(filters)("$name", ({ name, run }) => {
    const want = expected[name as keyof typeof expected];

    test(`${name}(nested 2-D) returns nested arrays, row by row`, () => {
      expect(run(rows)).toEqual(want);
    });

    test(`${name}(Float32Array) returns a new Float32Array with the kept entries bit-identical`, () => {
      const x = Float32Array.from([0.1, 2.7, -0, 2.6]);
      const before = x.slice();
      const y = run(x) as Float32Array;
      expect(y).toBeInstanceOf(Float32Array);
      expect(y).not.toBe(x);
      expect(x).toEqual(before);
      expect(y[1]).toBe(x[1]);
      expect(y[3]).toBe(x[3]);
      expect(y[0]).toBe(-inf);
    });

    test(`${name}(Float64Array) returns a new Float64Array`, () => {
      const x = Float64Array.from(rows[1]);
      const y = run(x);
      expect(y).toBeInstanceOf(Float64Array);
      expect(Array.from(y as Float64Array)).toEqual(want[1]);
    });

    test(`${name}(tensor) returns a new tensor of the same constructor and shape; dims is accepted`, () => {
      const data = Float32Array.from(rows.flat());
      const y = run({ data, shape: [2, 4] }) as { data: Float32Array; shape: number[] };
      expect(y.data).toBeInstanceOf(Float32Array);
      expect(y.data).not.toBe(data);
      expect(y.shape).toEqual([2, 4]);
      expect(Array.from(y.data)).toEqual(want.flat());
      expect(Array.from((run({ data, dims: [2, 4] }) as { data: Float32Array }).data)).toEqual(want.flat());
    });

    test(`${name}(x, { axis: 0 }) filters the columns of a 2-D input`, () => {
      const columns = rows[0].map((_, j) => rows.map((r) => r[j])); // transpose: rows become columns
      const result = run(columns, { axis: 0 }) as number[][];
      expect(result[0].map((_, j) => result.map((r) => r[j]))).toEqual(want);
      const data = Float64Array.from(columns.flat());
      expect(Array.from((run({ data, shape: [4, 2] }, { axis: -2 }) as { data: Float64Array }).data)).toEqual(result.flat());
    });

    test(`${name} never mutates its input and never empties a row`, () => {
      const nested = rows.map((r) => r.slice());
      run(nested);
      expect(nested).toEqual(rows);
      const x = Float64Array.from([-5, -3, -4]);
      expect(keptCount(run(x) as Float64Array)).toBeGreaterThanOrEqual(1);
      expect(Array.from(x)).toEqual([-5, -3, -4]);
    });

    test(`${name} throws RangeError naming the index of a NaN logit`, () => {
      expect(() => run([1, NaN, 2])).toThrow(RangeError);
      expect(() => run([1, NaN, 2])).toThrow(`${name}: logits[1] is NaN`);
      expect(() => run([[1, 2], [3, NaN]])).toThrow(`${name}: logits[1][1] is NaN`);
      expect(() => run(Float32Array.from([0, 0, NaN]))).toThrow(`${name}: logits[2] is NaN`);
      expect(() => run({ data: Float64Array.from([0, 0, 0, NaN]), shape: [2, 2] })).toThrow(`${name}: logits.data[3] is NaN`);
    });

    test(`${name} names the bad argument and the value it got`, () => {
      expect(() => run("abc")).toThrow(TypeError);
      expect(() => run("abc")).toThrow(`${name}: logits must be`);
      expect(() => run(new Int8Array(2))).toThrow(TypeError);
      expect(() => run([1, 2], { axis: 1 })).toThrow(RangeError);
      expect(() => run([1, 2], { axis: 1 })).toThrow(`${name}: axis must be an integer in [-1, 0] for a 1-D input; got 1`);
      expect(() => run([1, 2], 5)).toThrow(`${name}: options must be an object; got 5`);
      expect(() => run([[1, 2], [3]])).toThrow(RangeError);
    });
  });

  test("filterTopK(tensor 3-D, k, { axis: 1 }) walks the middle axis as a stride", () => {
    // shape [2, 3, 2]: rows along axis 1 are (a, :, c)
    const data = Float64Array.from([1, 6, 3, 5, 2, 4, 9, 7, 8, 8, 7, 9]);
    const y = filterTopK({ data, shape: [2, 3, 2] }, 1, { axis: 1 });
    expect(Array.from(y.data)).toEqual([-inf, 6, 3, -inf, -inf, -inf, 9, -inf, -inf, -inf, -inf, 9]);
  });
});

describe("filter errors", () => {
  test.each([0, -1, 1.5, NaN, -Infinity])("filterTopK(x, %s) throws RangeError naming k", (k) => {
    expect(() => filterTopK([1, 2], k)).toThrow(RangeError);
    expect(() => filterTopK([1, 2], k)).toThrow(`filterTopK: k must be an integer >= 1 (or Infinity); got ${k}`);
  });

  test("filterTopK(x, '3') throws TypeError naming k", () => {
    expect(() => filterTopK([1, 2], "3" as unknown as number)).toThrow(TypeError);
    expect(() => filterTopK([1, 2], "3" as unknown as number)).toThrow('filterTopK: k must be an integer >= 1 (or Infinity); got string "3"');
  });

  test.each([-0.1, 1.1, NaN, Infinity])("filterTopP(x, %s) throws RangeError naming p, and filterMinP minP", (p) => {
    expect(() => filterTopP([1, 2], p)).toThrow(RangeError);
    expect(() => filterTopP([1, 2], p)).toThrow(`filterTopP: p must be in [0, 1]; got ${p}`);
    expect(() => filterMinP([1, 2], p)).toThrow(RangeError);
    expect(() => filterMinP([1, 2], p)).toThrow(`filterMinP: minP must be in [0, 1]; got ${p}`);
  });

  test("filterTopP and filterMinP with a non-number p throw TypeError", () => {
    expect(() => filterTopP([1, 2], "0.5" as unknown as number)).toThrow(TypeError);
    expect(() => filterTopP([1, 2], undefined as unknown as number)).toThrow("filterTopP: p must be a number in [0, 1]; got undefined");
    expect(() => filterMinP([1, 2], null as unknown as number)).toThrow("filterMinP: minP must be a number in [0, 1]; got null");
  });

  test.each([0, -2, 2.5, NaN])("filterTopP and filterMinP with minKeep %s throw RangeError naming minKeep", (minKeep) => {
    expect(() => filterTopP([1, 2], 0.5, { minKeep })).toThrow(`filterTopP: minKeep must be an integer >= 1 (or Infinity); got ${minKeep}`);
    expect(() => filterMinP([1, 2], 0.5, { minKeep })).toThrow(RangeError);
    expect(() => filterMinP([1, 2], 0.5, { minKeep: "2" as unknown as number })).toThrow(TypeError);
  });
});

describe("filters against full-sort reference implementations", () => {
  // Small integers / 4: many ties. Doubles: no ties, wide range. Both with some ±Infinity.
  const tied = fc.integer({ min: -12, max: 12 }).map((v) => v / 4);
  const spread = fc.double({ min: -60, max: 60, noNaN: true });
  const logit = fc.oneof({ weight: 6, arbitrary: tied }, { weight: 6, arbitrary: spread },
    { weight: 1, arbitrary: fc.constantFrom(-inf, inf) });
  const row = fc.array(logit, { minLength: 0, maxLength: 40 });
  const finiteRow = fc.array(fc.oneof(tied, spread), { minLength: 1, maxLength: 40 });
  const k = fc.oneof(fc.integer({ min: 1, max: 45 }), fc.constant(Infinity));
  const unit = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5, 0.9));
  const minKeep = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 6 }));

  test("filterTopK(x, k) equals the sort-based top-k with ties kept", () => {
    fc.assert(fc.property(row, k, (x, k) => {
      expect(filterTopK(x, k)).toEqual(referenceTopK(x, k));
    }), { numRuns: 500 });
  });

  test("filterTopP(x, p, { minKeep }) equals the sort-based top-p away from exact boundaries", () => {
    fc.assert(fc.property(row, unit, minKeep, (x, p, m) => {
      const want = referenceTopP(x, p, m);
      fc.pre(want !== null);
      expect(filterTopP(x, p, { minKeep: m })).toEqual(want);
    }), { numRuns: 500 });
  });

  test("filterMinP(x, minP, { minKeep }) equals the straightforward min-p away from exact boundaries", () => {
    fc.assert(fc.property(row, unit, minKeep, (x, minP, m) => {
      const want = referenceMinP(x, minP, m);
      fc.pre(want !== null);
      expect(filterMinP(x, minP, { minKeep: m })).toEqual(want);
    }), { numRuns: 500 });
  });

  test("every filter keeps a non-empty top set: each kept value >= each dropped value", () => {
    fc.assert(fc.property(finiteRow, k, unit, (x, k, p) => {
      for (const y of [filterTopK(x, k), filterTopP(x, p), filterMinP(x, p)]) {
        const kept = x.filter((_, i) => y[i] > -inf), dropped = x.filter((_, i) => y[i] === -inf);
        expect(kept.length).toBeGreaterThan(0);
        if (dropped.length > 0) expect(minOf(kept)).toBeGreaterThan(maxOf(dropped));
        y.forEach((v, i) => expect(v === -inf || Object.is(v, x[i])).toBe(true));
      }
    }), { numRuns: 300 });
  });

  test("the kept mass of filterTopP(x, p) reaches p, and without its lowest level it does not", () => {
    fc.assert(fc.property(finiteRow, unit, (x, p) => {
      const probs = referenceProbabilities(x)!;
      const y = filterTopP(x, p);
      const lowest = minOf(x.filter((_, i) => y[i] > -inf));
      const mass = probs.reduce((s, q, i) => s + (y[i] > -inf ? q : 0), 0);
      const above = probs.reduce((s, q, i) => s + (x[i] > lowest ? q : 0), 0);
      expect(mass).toBeGreaterThanOrEqual(Math.min(p, 1) - 1e-12);
      if (p > 0) expect(above).toBeLessThan(p + 1e-12);
    }), { numRuns: 300 });
  });

  test("filterTopK and filterMinP are idempotent; every filter keeps more as it loosens", () => {
    fc.assert(fc.property(row, k, unit, unit, (x, k, a, b) => {
      expect(filterTopK(filterTopK(x, k), k)).toEqual(filterTopK(x, k));
      expect(filterMinP(filterMinP(x, a), a)).toEqual(filterMinP(x, a));
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const pLo = filterTopP(x, lo), pHi = filterTopP(x, hi);
      x.forEach((_, i) => { if (pLo[i] > -inf) expect(pHi[i]).toBe(pLo[i]); });
      const mLo = filterMinP(x, lo), mHi = filterMinP(x, hi);
      x.forEach((_, i) => { if (mHi[i] > -inf) expect(mLo[i]).toBe(mHi[i]); });
    }), { numRuns: 300 });
  });

  test("filterTopP(x, 0) and filterMinP(x, 1) both keep exactly the maximum and its ties", () => {
    fc.assert(fc.property(finiteRow, (x) => {
      const max = maxOf(x);
      const want = x.map((v) => (v === max ? v : -inf));
      expect(filterTopP(x, 0)).toEqual(want);
      expect(filterMinP(x, 1)).toEqual(want);
      expect(filterTopK(x, 1)).toEqual(want);
    }), { numRuns: 200 });
  });

  test.each([3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65])("the filters match the references on rows of length %i", (n) => {
    fc.assert(fc.property(fc.array(fc.oneof(tied, spread), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: n }), unit, (x, k, p) => {
      expect(filterTopK(x, k)).toEqual(referenceTopK(x, k));
      const topP = referenceTopP(x, p), minP = referenceMinP(x, p);
      if (topP !== null) expect(filterTopP(x, p)).toEqual(topP);
      if (minP !== null) expect(filterMinP(x, p)).toEqual(minP);
    }), { numRuns: 40 });
  });

  test("the filters match the references on long rows: random, sorted both ways, few distinct values", () => {
    let s = 12345;
    const uniform = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const n = 20000;
    const random = Array.from({ length: n }, () => 4 * Math.log(uniform() + 1e-12));
    const inputs = [
      random,
      [...random].sort((a, b) => a - b),
      [...random].sort((a, b) => b - a),
      Array.from({ length: n }, () => Math.floor(uniform() * 5)),
      new Array<number>(n).fill(2),
    ];
    for (const x of inputs) {
      for (const k of [1, 50, 1000, n - 1]) expect(filterTopK(x, k)).toEqual(referenceTopK(x, k));
      for (const p of [0, 0.3, 0.9, 0.999]) {
        const want = referenceTopP(x, p);
        if (want !== null) expect(filterTopP(x, p)).toEqual(want);
      }
      for (const p of [0.01, 0.5]) expect(filterMinP(x, p)).toEqual(referenceMinP(x, p));
    }
  });
});
