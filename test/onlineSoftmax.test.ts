// OnlineSoftmax (API.md §8): streamed and merged states against the one-shot logSumExp and softmax
// of all the values (independent code paths), the edge cases of API.md §2, the JSON round trip, bad
// arguments, and a vocabulary split across worker threads.
//
// Tolerances: logSumExp within 4 ulp of the one-shot result, or within 2^-52 absolute where max and
// log(sum) cancel (the state keeps only the sum, whose terms are each rounded: at most 0.52 * 2^-52
// of the sum in all, which is the absolute error of its log however small the result; the one-shot
// function sees the values and refines such results). normalize within 4 ulp of softmax per entry.
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, OnlineSoftmax, softmax, type OnlineSoftmaxState } from "../src/index.js";
import { ulpDistance32, ulpDistance64 } from "./support/ulp.js";
import { accurateSum } from "./support/sums.js";

const RUNS = { numRuns: 300 };
/** The absolute slack of a log-sum-exp that cancels to near 0 (see the file's header). */
const CANCEL_SLACK = 2 ** -52;

/** Finite logits over the magnitudes the package meets, and -Infinity now and then. */
const logit = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 4, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.constant(-Infinity) },
);
const plainRow = fc.array(logit, { minLength: 1, maxLength: 60 });
/** Rows shifted far from 0, so that the shift x - max is where the rounding would be. */
const shiftedRow = fc.tuple(plainRow, fc.constantFrom(1e4, -1e4, 123456.789)).map(([x, c]) => x.map((v) => v + c));
/** Near-ties: a few ulps around one value. */
const tiedRow = fc.tuple(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 40 }),
).map(([b, ks]) => ks.map((k) => b + k * Math.max(Math.abs(b), 1) * 2 ** -52));
/** Log-probabilities: the log-sum-exp is about 0, where max and log(sum) cancel. */
const logProbRow = fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 60 })
  .map((x) => logSoftmax(x));
const row = fc.oneof(plainRow, shiftedRow, tiedRow, logProbRow);

/** A row, where to cut it into chunks (repeated cuts give empty chunks) and a seed for the merges. */
const streamCase = row.chain((x) => fc.record({
  x: fc.constant(x),
  cuts: fc.array(fc.integer({ min: 0, max: x.length }), { maxLength: 8 }).map((c) => c.sort((a, b) => a - b)),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
}));

function chunksOf(x: readonly number[], cuts: readonly number[]): number[][] {
  const bounds = [0, ...cuts, x.length];
  return bounds.slice(1).map((end, i) => x.slice(bounds[i], end));
}

/** Park & Miller's minimal standard generator: deterministic choices for the merge trees. */
function lehmer(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

/** Every chunk pushed in turn into one state. */
function streamed(x: readonly number[], cuts: readonly number[]): OnlineSoftmax {
  const s = new OnlineSoftmax();
  for (const c of chunksOf(x, cuts)) s.push(c);
  return s;
}

/**
 * One state per chunk (and an empty one), shuffled, then merged by a random binary tree: two states
 * picked at random, merged in a random order, until one is left.
 */
function mergedTree(x: readonly number[], cuts: readonly number[], seed: number): OnlineSoftmax {
  const random = lehmer(seed);
  const states = [...chunksOf(x, cuts).map((c) => new OnlineSoftmax().push(c)), new OnlineSoftmax()];
  while (states.length > 1) {
    const i = Math.floor(random() * states.length);
    let j = Math.floor(random() * (states.length - 1));
    if (j >= i) j++;
    const [a, b] = random() < 0.5 ? [states[i], states[j]] : [states[j], states[i]];
    a.merge(b);
    states[i] = a;
    states.splice(j, 1);
  }
  return states[0];
}

function expectLseClose(actual: number, expected: number): void {
  const ulps = ulpDistance64(actual, expected);
  if (ulps <= 4) return;
  expect(Math.abs(actual - expected), `${actual} vs ${expected}: ${ulps} ulp`).toBeLessThanOrEqual(CANCEL_SLACK);
}

function expectProbabilitiesClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(ulpDistance64(actual[i], expected[i]), `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(4);
  }
}

test("the TSDoc example on the class gives what it shows", () => {
  const s = new OnlineSoftmax().push([1, 2]).push(new Float32Array([3]));
  expect(s.logSumExp).toBe(3.40760596444438);
  expect(s.logSumExp).toBe(logSumExp([1, 2, 3]));
  expect(s.normalize([1, 2, 3])).toEqual(new Float64Array([0.09003057317038046, 0.24472847105479767, 0.6652409557748219]));
  const part = OnlineSoftmax.fromJSON(JSON.parse(JSON.stringify(new OnlineSoftmax().push([4]))));
  expect(s.merge(part).count).toBe(4);
});

describe("streaming equals one-shot", () => {
  test("logSumExp of chunks pushed in turn is the one-shot logSumExp (4 ulp, or 2^-52 where it cancels)", () => {
    fc.assert(fc.property(streamCase, ({ x, cuts }) => {
      const s = streamed(x, cuts);
      expectLseClose(s.logSumExp, logSumExp(x));
      expect(s.count).toBe(x.length);
    }), RUNS);
  });

  test("logSumExp of per-chunk states merged by a random tree is the one-shot logSumExp", () => {
    fc.assert(fc.property(streamCase, ({ x, cuts, seed }) => {
      const s = mergedTree(x, cuts, seed);
      expectLseClose(s.logSumExp, logSumExp(x));
      expect(s.count).toBe(x.length);
    }), RUNS);
  });

  test("results far from 0 (logits shifted by 1e5) are within 4 ulp, no slack needed", () => {
    const far = plainRow.map((x) => x.map((v) => v + 1e5)); // max >= 9e4 (or all -Infinity)
    fc.assert(fc.property(far, fc.integer({ min: 1, max: 2 ** 30 }), (x, seed) => {
      const cuts = [Math.floor(x.length / 3), Math.floor((2 * x.length) / 3)];
      expect(ulpDistance64(mergedTree(x, cuts, seed).logSumExp, logSumExp(x))).toBeLessThanOrEqual(4);
    }), RUNS);
  });

  test("Float32Array chunks give the one-shot logSumExp of the same float32 values", () => {
    fc.assert(fc.property(streamCase, ({ x, cuts }) => {
      const x32 = Float32Array.from(x);
      const s = new OnlineSoftmax();
      for (const c of chunksOf(Array.from(x32), cuts)) s.push(Float32Array.from(c));
      expectLseClose(s.logSumExp, logSumExp(Float64Array.from(x32)));
    }), RUNS);
  });

  test("a long stream of small chunks (10,000 values in chunks of 1 to 7) matches the one-shot result", () => {
    const random = lehmer(7);
    const x = Array.from({ length: 10_000 }, () => (random() - 0.5) * 40);
    const s = new OnlineSoftmax();
    for (let i = 0; i < x.length;) {
      const n = 1 + Math.floor(random() * 7);
      s.push(x.slice(i, i + n));
      i += n;
    }
    expect(ulpDistance64(s.logSumExp, logSumExp(x))).toBeLessThanOrEqual(4);
    expectProbabilitiesClose(s.normalize(x), softmax(x));
  });

  test("a rising maximum rescales the old sum: ascending single pushes match the one-shot result", () => {
    const x = Array.from({ length: 2000 }, (_, i) => i * 0.37 - 300);
    const s = new OnlineSoftmax();
    for (const v of x) s.push([v]);
    expect(ulpDistance64(s.logSumExp, logSumExp(x))).toBeLessThanOrEqual(4);
  });
});

describe("merge is commutative and associative", () => {
  const specialLogit = fc.oneof(
    { weight: 12, arbitrary: logit },
    { weight: 1, arbitrary: fc.constant(Infinity) },
    { weight: 1, arbitrary: fc.constant(NaN) },
  );
  const anyRow = fc.array(specialLogit, { maxLength: 30 });
  const part = fc.tuple(anyRow, fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 })).map(([x, cuts]) => ({
    x, cuts: cuts.map((c) => Math.min(c, x.length)).sort((a, b) => a - b),
  }));
  const build = (p: { x: number[]; cuts: number[] }) => streamed(p.x, p.cuts);

  test("a.merge(b) and b.merge(a) are the same state, bit for bit", () => {
    fc.assert(fc.property(part, part, (p, q) => {
      const ab = build(p).merge(build(q)), ba = build(q).merge(build(p));
      expect(Object.is(ab.logSumExp, ba.logSumExp)).toBe(true);
      expect(ab.toJSON()).toEqual(ba.toJSON());
      expect(ab.normalize([])).toEqual(new Float64Array(0));
    }), RUNS);
  });

  // Both groupings compute the sum in double-double, within a few 2^-106 of each other: the
  // log-sum-exp differs by at most its final rounding (1 ulp), or about 2^-104 where it is near 0.
  test("(a.merge(b)).merge(c) equals a.merge(b.merge(c)) within 1 ulp (or 2^-100 near 0)", () => {
    fc.assert(fc.property(part, part, part, (p, q, r) => {
      const left = build(p).merge(build(q)).merge(build(r));
      const right = build(p).merge(build(q).merge(build(r)));
      const a = left.logSumExp, b = right.logSumExp;
      if (ulpDistance64(a, b) > 1) expect(Math.abs(a - b)).toBeLessThanOrEqual(2 ** -100);
      const j = left.toJSON(), k = right.toJSON();
      expect(Object.is(j.max, k.max)).toBe(true);
      expect(j.count).toBe(k.count);
      expect(ulpDistance64(j.sum, k.sum)).toBeLessThanOrEqual(1);
    }), RUNS);
  });

  test("merging an empty state changes nothing, on either side", () => {
    fc.assert(fc.property(part, (p) => {
      const s = build(p), before = s.toJSON(), lse = s.logSumExp;
      expect(s.merge(new OnlineSoftmax()).toJSON()).toEqual(before);
      expect(Object.is(s.logSumExp, lse)).toBe(true);
      const t = new OnlineSoftmax().merge(build(p));
      expect(t.toJSON()).toEqual(before);
      expect(Object.is(t.logSumExp, lse)).toBe(true);
    }), RUNS);
  });

  test("s.merge(s) counts every value twice", () => {
    const s = new OnlineSoftmax().push([1, 2, 3]);
    const lse = s.logSumExp;
    s.merge(s);
    expect(s.count).toBe(6);
    expect(ulpDistance64(s.logSumExp, lse + Math.LN2)).toBeLessThanOrEqual(1);
    expect(ulpDistance64(s.logSumExp, logSumExp([1, 2, 3, 1, 2, 3]))).toBeLessThanOrEqual(4);
    const inf = new OnlineSoftmax().push([Infinity, 0]);
    expect(inf.merge(inf).toJSON()).toEqual({ max: Infinity, sum: 2, count: 4 });
  });

  test("merge leaves its argument unchanged", () => {
    const a = new OnlineSoftmax().push([5]), b = new OnlineSoftmax().push([1, 2]);
    const before = b.toJSON();
    a.merge(b);
    expect(b.toJSON()).toEqual(before);
  });
});

describe("normalize", () => {
  test("normalize(x) of a streamed or merged state is the one-shot softmax(x), within 4 ulp per entry", () => {
    fc.assert(fc.property(streamCase, fc.boolean(), ({ x, cuts, seed }, tree) => {
      const s = tree ? mergedTree(x, cuts, seed) : streamed(x, cuts);
      expectProbabilitiesClose(s.normalize(x), softmax(x));
    }), RUNS);
  });

  test("normalize of a sub-list gives those entries' probabilities under the whole stream", () => {
    fc.assert(fc.property(streamCase, ({ x, cuts }) => {
      const s = streamed(x, cuts), p = softmax(x);
      const chunks = chunksOf(x, cuts);
      let offset = 0;
      for (const c of chunks) {
        expectProbabilitiesClose(s.normalize(c), p.slice(offset, offset + c.length));
        offset += c.length;
      }
    }), RUNS);
  });

  test("into a Float32Array out: within 4 float32 ulps of softmax of the same float32 values", () => {
    fc.assert(fc.property(streamCase, ({ x, cuts }) => {
      const x32 = Float32Array.from(x);
      const s = new OnlineSoftmax();
      for (const c of chunksOf(Array.from(x32), cuts)) s.push(Float32Array.from(c));
      const out = new Float32Array(x.length);
      expect(s.normalize(x32, out)).toBe(out);
      const p = softmax(x32);
      for (let i = 0; i < x.length; i++) expect(ulpDistance32(out[i], p[i])).toBeLessThanOrEqual(4);
    }), RUNS);
  });

  test("in place (out = values) gives what a new array gives", () => {
    const x = Float64Array.from([3, -1, 0.5, -Infinity, 2]);
    const s = new OnlineSoftmax().push(x);
    const expected = s.normalize(x);
    expect(s.normalize(x, x)).toBe(x);
    expect(x).toEqual(expected);
  });

  test("exact results: -Infinity entries 0, a lone value 1, and probabilities that underflow are 0", () => {
    const s = new OnlineSoftmax().push([0, -Infinity, -800]);
    expect(Array.from(s.normalize([0, -Infinity, -800]))).toEqual([1, 0, 0]);
    expect(Array.from(softmax([0, -Infinity, -800]))).toEqual([1, 0, 0]);
    expect(new OnlineSoftmax().push([7]).normalize([7])[0]).toBe(1);
    expect(Array.from(new OnlineSoftmax().push([2, 2, 2, 2]).normalize([2, 2, 2, 2]))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  test("the cache follows the state: logSumExp and normalize change after a push or a merge", () => {
    const s = new OnlineSoftmax().push([0, 0]);
    expect(s.logSumExp).toBe(Math.LN2);
    expect(s.normalize([0])[0]).toBe(0.5);
    s.push([0, 0]);
    expect(s.logSumExp).toBe(2 * Math.LN2);
    expect(s.normalize([0])[0]).toBe(0.25);
    s.merge(new OnlineSoftmax().push([0, 0, 0, 0]));
    expect(s.logSumExp).toBe(3 * Math.LN2);
    expect(s.normalize([0])[0]).toBe(0.125);
    s.push([]);
    expect(s.logSumExp).toBe(3 * Math.LN2);
  });
});

describe("edge cases (API.md §2)", () => {
  const table: { name: string; build: () => OnlineSoftmax; json: OnlineSoftmaxState; lse: number; probe: number[]; p: number[] }[] = [
    {
      name: "empty", build: () => new OnlineSoftmax(),
      json: { max: -Infinity, sum: 0, count: 0 }, lse: -Infinity, probe: [-Infinity], p: [0],
    },
    {
      name: "only empty pushes", build: () => new OnlineSoftmax().push([]).push(new Float64Array(0)).merge(new OnlineSoftmax()),
      json: { max: -Infinity, sum: 0, count: 0 }, lse: -Infinity, probe: [], p: [],
    },
    {
      name: "all -Infinity, across chunks and a merge",
      build: () => new OnlineSoftmax().push([-Infinity]).push([-Infinity, -Infinity]).merge(new OnlineSoftmax().push([-Infinity])),
      json: { max: -Infinity, sum: 0, count: 4 }, lse: -Infinity, probe: [-Infinity, -Infinity], p: [0, 0],
    },
    {
      name: "-Infinity entries contribute 0",
      build: () => new OnlineSoftmax().push([-Infinity, 0]).push([-Infinity]).merge(new OnlineSoftmax().push([0, -Infinity])),
      json: { max: 0, sum: 2, count: 5 }, lse: Math.LN2, probe: [0, -Infinity], p: [0.5, 0],
    },
    {
      name: "+Infinity (k = 3 across chunks and merges)",
      build: () => new OnlineSoftmax().push([1, Infinity]).push([5, -Infinity])
        .merge(new OnlineSoftmax().push([Infinity, Infinity, 100])).merge(new OnlineSoftmax().push([1e300])),
      json: { max: Infinity, sum: 3, count: 8 }, lse: Infinity, probe: [Infinity, 1e300, -Infinity, 5], p: [1 / 3, 0, 0, 0],
    },
    {
      name: "+Infinity merged into a finite state, and a finite chunk after it",
      build: () => new OnlineSoftmax().push([3]).merge(new OnlineSoftmax().push([Infinity])).push([4, 2]),
      json: { max: Infinity, sum: 1, count: 4 }, lse: Infinity, probe: [Infinity, 4], p: [1, 0],
    },
    {
      name: "NaN in a chunk, with +Infinity (NaN wins)",
      build: () => new OnlineSoftmax().push([1, Infinity, NaN]).push([2]),
      json: { max: NaN, sum: NaN, count: 4 }, lse: NaN, probe: [1, NaN, 7], p: [NaN, NaN, NaN],
    },
    {
      name: "NaN merged in, then more pushes and merges",
      build: () => new OnlineSoftmax().push([1, 2]).merge(new OnlineSoftmax().push([NaN])).push([Infinity])
        .merge(new OnlineSoftmax().push([3])),
      json: { max: NaN, sum: NaN, count: 5 }, lse: NaN, probe: [Infinity], p: [NaN],
    },
    {
      name: "a finite state merged into a NaN one",
      build: () => new OnlineSoftmax().push([NaN]).merge(new OnlineSoftmax().push([-Infinity])),
      json: { max: NaN, sum: NaN, count: 2 }, lse: NaN, probe: [], p: [],
    },
  ];

  for (const row of table) {
    test(`${row.name}: state, logSumExp, normalize, and the JSON round trip`, () => {
      const s = row.build();
      expect(s.toJSON()).toEqual(row.json);
      expect(Object.is(s.logSumExp, row.lse)).toBe(true);
      expect(s.count).toBe(row.json.count);
      expect(Array.from(s.normalize(row.probe))).toEqual(row.p);
      const direct = OnlineSoftmax.fromJSON(s.toJSON());
      const text = JSON.stringify(s);
      const parsed = OnlineSoftmax.fromJSON(JSON.parse(text));
      for (const t of [direct, parsed]) {
        expect(t.toJSON()).toEqual(row.json);
        expect(Object.is(t.logSumExp, row.lse)).toBe(true);
        expect(Array.from(t.normalize(row.probe))).toEqual(row.p);
      }
      expect(JSON.stringify(parsed)).toBe(text);
    });
  }

  test("the one-shot functions agree with the edge states", () => {
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(logSumExp([1, Infinity])).toBe(Infinity);
    expect(logSumExp([1, NaN, Infinity])).toBeNaN();
    expect(Array.from(softmax([Infinity, 1, Infinity]))).toEqual([0.5, 0, 0.5]);
  });

  test("a +Infinity state's normalize matches one-shot softmax on the whole stream", () => {
    const x = [Infinity, 2, -Infinity, Infinity, 1e308, Infinity];
    const s = new OnlineSoftmax().push(x.slice(0, 2)).merge(new OnlineSoftmax().push(x.slice(2)));
    expect(Array.from(s.normalize(x))).toEqual(Array.from(softmax(x)));
  });

  test("extreme magnitudes: maxima near the largest double, and subnormal values", () => {
    for (const x of [[1.7976931348623157e308, 1e308, -1.7976931348623157e308], [5e-324, -5e-324, 0], [1e-310, 2e-310]]) {
      const s = new OnlineSoftmax().push(x.slice(0, 1)).merge(new OnlineSoftmax().push(x.slice(1)));
      expect(ulpDistance64(s.logSumExp, logSumExp(x))).toBeLessThanOrEqual(4);
      expectProbabilitiesClose(s.normalize(x), softmax(x));
    }
  });
});

describe("toJSON and fromJSON", () => {
  const specialLogit = fc.oneof(
    { weight: 10, arbitrary: logit },
    { weight: 1, arbitrary: fc.constant(Infinity) },
    { weight: 1, arbitrary: fc.constant(NaN) },
  );
  const anyCase = fc.array(specialLogit, { maxLength: 30 }).chain((x) => fc.record({
    x: fc.constant(x),
    cuts: fc.array(fc.integer({ min: 0, max: x.length }), { maxLength: 4 }).map((c) => c.sort((a, b) => a - b)),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  }));

  test("toJSON is a plain { max, sum, count } object", () => {
    const j = new OnlineSoftmax().push([1, 2]).toJSON();
    expect(Object.getPrototypeOf(j)).toBe(Object.prototype);
    expect(Object.keys(j).sort()).toEqual(["count", "max", "sum"]);
  });

  test("fromJSON(s.toJSON()) and fromJSON(JSON.parse(JSON.stringify(s))) give s's state back", () => {
    fc.assert(fc.property(anyCase, ({ x, cuts, seed }) => {
      const s = mergedTree(x, cuts, seed);
      const j = s.toJSON();
      for (const t of [OnlineSoftmax.fromJSON(j), OnlineSoftmax.fromJSON(JSON.parse(JSON.stringify(s)))]) {
        expect(t.toJSON()).toEqual(j);
        expect(t.count).toBe(s.count);
        // the sum lost its low part: log(sum) moves by at most 2^-53
        const a = t.logSumExp, b = s.logSumExp;
        if (ulpDistance64(a, b) > 1) expect(Math.abs(a - b)).toBeLessThanOrEqual(2 ** -53);
      }
    }), RUNS);
  });

  test("states through JSON merge like the originals", () => {
    fc.assert(fc.property(streamCase, ({ x, cuts, seed }) => {
      const random = lehmer(seed);
      const merged = new OnlineSoftmax();
      for (const c of chunksOf(x, cuts).sort(() => random() - 0.5)) {
        merged.merge(OnlineSoftmax.fromJSON(JSON.parse(JSON.stringify(new OnlineSoftmax().push(c)))));
      }
      // each part's sum rounded once more: at most 2^-53 more in the log
      const a = merged.logSumExp, b = logSumExp(x);
      if (ulpDistance64(a, b) > 4) expect(Math.abs(a - b)).toBeLessThanOrEqual(CANCEL_SLACK + 2 ** -53);
    }), RUNS);
  });

  const bad: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ["null", null, TypeError, /state must be an object.*got null/],
    ["a number", 3, TypeError, /state must be an object.*got 3/],
    ["a string max", { max: "1", sum: 1, count: 1 }, TypeError, /state\.max must be a number.*got string "1"/],
    ["a missing sum", { max: 1, count: 1 }, TypeError, /state\.sum must be a number.*got undefined/],
    ["a bigint count", { max: 1, sum: 1, count: 1n }, TypeError, /state\.count must be a number.*got bigint 1n/],
    ["a null count", { max: 1, sum: 1, count: null }, TypeError, /state\.count must be a number.*got null/],
    ["a negative count", { max: 1, sum: 1, count: -1 }, RangeError, /state\.count must be a non-negative integer.*got -1/],
    ["a fractional count", { max: 1, sum: 1, count: 1.5 }, RangeError, /state\.count must be a non-negative integer.*got 1\.5/],
    ["an infinite count", { max: 1, sum: 1, count: Infinity }, RangeError, /state\.count.*got Infinity/],
    ["a negative sum", { max: 1, sum: -1, count: 3 }, RangeError, /state\.sum must be >= 0.*got -1/],
    ["a finite max with sum < 1", { max: 1, sum: 0.5, count: 3 }, RangeError, /state\.sum must be from 1 to state\.count \(3\).*got 0\.5/],
    ["a finite max with sum > count", { max: 1, sum: 4, count: 3 }, RangeError, /state\.sum must be from 1 to state\.count.*got 4/],
    ["a finite max with a NaN sum", { max: 1, sum: NaN, count: 3 }, RangeError, /state\.sum must be >= 0.*got NaN/],
    ["a finite max with a null sum", { max: 1, sum: null, count: 3 }, RangeError, /state\.sum must be a number when state\.max is 1.*got null/],
    ["count 0 with a finite max", { max: 1, sum: 1, count: 0 }, RangeError, /state\.max must be -Infinity when state\.count is 0.*got 1/],
    ["count 0 with a NaN state", { max: NaN, sum: NaN, count: 0 }, RangeError, /state\.max must be -Infinity.*got NaN/],
    ["count 0 with sum 1 through JSON", { max: null, sum: 1, count: 0 }, RangeError, /state\.max must be -Infinity.*got Infinity/],
    ["max -Infinity with a sum", { max: -Infinity, sum: 1, count: 3 }, RangeError, /state\.sum must be 0 when state\.max is -Infinity.*got 1/],
    ["max +Infinity with sum 0", { max: Infinity, sum: 0, count: 3 }, RangeError, /state\.sum must be an integer from 1 to state\.count \(3\).*got 0/],
    ["max +Infinity with k > count", { max: Infinity, sum: 4, count: 3 }, RangeError, /state\.sum must be an integer.*got 4/],
    ["max +Infinity with a fractional k", { max: Infinity, sum: 1.5, count: 3 }, RangeError, /state\.sum must be an integer.*got 1\.5/],
    ["max NaN with a number sum", { max: NaN, sum: 1, count: 3 }, RangeError, /state\.sum must be NaN.*got 1/],
    ["max null with a fractional sum", { max: null, sum: 0.5, count: 3 }, RangeError, /with state\.max null.*state\.sum must be 0.*got 0\.5/],
    ["max null with a negative sum", { max: null, sum: -2, count: 3 }, RangeError, /with state\.max null.*got -2/],
    ["max null with k > count", { max: null, sum: 4, count: 3 }, RangeError, /state\.sum must be an integer from 1 to state\.count.*got 4/],
  ];
  for (const [name, state, kind, message] of bad) {
    test(`fromJSON rejects ${name}`, () => {
      expect(() => OnlineSoftmax.fromJSON(state as never)).toThrow(kind);
      expect(() => OnlineSoftmax.fromJSON(state as never)).toThrow(message);
    });
  }

  test("fromJSON decodes JSON's null max from the sum: 0 is -Infinity, null NaN, k >= 1 +Infinity", () => {
    expect(OnlineSoftmax.fromJSON({ max: null, sum: 0, count: 2 }).toJSON()).toEqual({ max: -Infinity, sum: 0, count: 2 });
    expect(OnlineSoftmax.fromJSON({ max: null, sum: null, count: 2 }).toJSON()).toEqual({ max: NaN, sum: NaN, count: 2 });
    expect(OnlineSoftmax.fromJSON({ max: null, sum: 2, count: 2 }).toJSON()).toEqual({ max: Infinity, sum: 2, count: 2 });
    expect(OnlineSoftmax.fromJSON({ max: NaN, sum: null, count: 1 }).logSumExp).toBeNaN();
    expect(Object.is(OnlineSoftmax.fromJSON({ max: -Infinity, sum: -0, count: 1 }).toJSON().sum, 0)).toBe(true);
  });

  test("a maximum of -0 is kept as +0, which JSON can write (it writes -0 as 0)", () => {
    const s = new OnlineSoftmax().push([-0, -1]).merge(new OnlineSoftmax().push([-0]));
    expect(Object.is(s.toJSON().max, 0)).toBe(true);
    expect(Object.is(OnlineSoftmax.fromJSON({ max: -0, sum: 1, count: 1 }).toJSON().max, 0)).toBe(true);
    expect(OnlineSoftmax.fromJSON(JSON.parse(JSON.stringify(s))).toJSON()).toEqual(s.toJSON());
  });

  test("fromJSON ignores extra fields and does not keep a reference to its argument", () => {
    const state = { max: 1, sum: 1.5, count: 2, extra: "x" };
    const s = OnlineSoftmax.fromJSON(state);
    state.max = 100;
    expect(s.toJSON()).toEqual({ max: 1, sum: 1.5, count: 2 });
  });
});

describe("bad arguments", () => {
  test("push: a non-array-like is a TypeError naming values", () => {
    const s = new OnlineSoftmax();
    for (const v of [undefined, null, 3, "123", { length: -1 }, { length: 1.5 }, {}, () => 0]) {
      expect(() => s.push(v as never)).toThrow(TypeError);
      expect(() => s.push(v as never)).toThrow(/OnlineSoftmax\.push: values must be an array-like of numbers/);
    }
  });

  test("push: a non-number entry is a TypeError naming values[i] and the value; the state is unchanged", () => {
    const s = new OnlineSoftmax().push([1]);
    const before = s.toJSON(), lse = s.logSumExp;
    expect(() => s.push([1, 2, "3"] as never)).toThrow(TypeError);
    expect(() => s.push([1, 2, "3"] as never)).toThrow(/values\[2\] must be a number; got string "3"/);
    expect(() => s.push([5, null] as never)).toThrow(/values\[1\] must be a number; got null/);
    expect(() => s.push([9, , 1] as never)).toThrow(/values\[1\] must be a number; got undefined/); // a hole
    expect(() => s.push(new BigInt64Array(2) as never)).toThrow(/values\[0\] must be a number; got bigint 0n/);
    expect(() => s.push({ length: 2, 0: 1, 1: {} } as never)).toThrow(/values\[1\] must be a number; got an object/);
    expect(s.toJSON()).toEqual(before);
    expect(s.logSumExp).toBe(lse);
  });

  test("push takes other array-likes: integer typed arrays and { length, 0: ... } objects", () => {
    const expected = logSumExp([1, 2, 3]);
    expect(new OnlineSoftmax().push(Int32Array.from([1, 2, 3])).logSumExp).toBe(expected);
    expect(new OnlineSoftmax().push({ length: 3, 0: 1, 1: 2, 2: 3 }).logSumExp).toBe(expected);
  });

  test("merge: anything but an OnlineSoftmax is a TypeError", () => {
    const s = new OnlineSoftmax();
    for (const v of [undefined, null, { max: 1, sum: 1, count: 1 }, [1, 2], 3]) {
      expect(() => s.merge(v as never)).toThrow(TypeError);
      expect(() => s.merge(v as never)).toThrow(/OnlineSoftmax\.merge: other must be an OnlineSoftmax/);
    }
  });

  test("normalize: bad values and out kinds are TypeErrors, a wrong out length a RangeError", () => {
    const s = new OnlineSoftmax().push([1, 2]);
    expect(() => s.normalize("12" as never)).toThrow(TypeError);
    expect(() => s.normalize([1, "2"] as never)).toThrow(/OnlineSoftmax\.normalize: values\[1\] must be a number; got string "2"/);
    expect(() => s.normalize([1, 2], [0, 0] as never)).toThrow(TypeError);
    expect(() => s.normalize([1, 2], [0, 0] as never)).toThrow(/out must be a Float32Array or Float64Array; got Array\(2\)/);
    expect(() => s.normalize([1, 2], new Int32Array(2) as never)).toThrow(/out must be a Float32Array or Float64Array; got Int32Array\(2\)/);
    expect(() => s.normalize([1, 2], new Float64Array(3))).toThrow(RangeError);
    expect(() => s.normalize([1, 2], new Float64Array(3))).toThrow(/out must have the length of values \(2\); got Float64Array\(3\)/);
  });

  test("normalize: an entry that cannot have been pushed is a RangeError naming it, its value and the max", () => {
    const s = new OnlineSoftmax().push([1, 2]);
    expect(() => s.normalize([1, 3])).toThrow(RangeError);
    expect(() => s.normalize([1, 3])).toThrow(/values\[1\] cannot have been pushed into this state \(max 2\).*got 3/);
    expect(() => s.normalize([NaN])).toThrow(/values\[0\] cannot have been pushed into this state \(max 2\).*got NaN/);
    expect(() => new OnlineSoftmax().normalize([0])).toThrow(/values\[0\].*\(max -Infinity\).*got 0/);
    expect(() => new OnlineSoftmax().push([Infinity]).normalize([NaN])).toThrow(/values\[0\].*\(max Infinity\).*got NaN/);
    const out = new Float64Array([7, 7]);
    expect(() => s.normalize([1, 3], out)).toThrow(RangeError);
    expect(Array.from(out)).toEqual([7, 7]); // nothing written
  });

  test("push and normalize never mutate their values", () => {
    const list = Object.freeze([3, -1, 0.5, -Infinity]);
    const typed = Float64Array.from([3, -1, 0.5, -Infinity]);
    const copy = typed.slice();
    const s = new OnlineSoftmax().push(list).push(typed);
    s.normalize(list);
    s.normalize(typed);
    s.normalize(typed, new Float32Array(4));
    expect(list).toEqual([3, -1, 0.5, -Infinity]);
    expect(typed).toEqual(copy);
  });
});

describe("worker threads", () => {
  // 1,000,000 logits spread like N(0, 3), from a seeded LCG and Box-Muller: split in 4 parts, each
  // streamed by a worker (which runs the built package), the states merged back through JSON.
  const N = 1_000_000, PARTS = 4;

  function logits(): Float64Array {
    let state = 20240601;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const x = new Float64Array(N);
    for (let i = 0; i < N; i += 2) {
      const r = 3 * Math.sqrt(-2 * Math.log(uniform())), t = 2 * Math.PI * uniform();
      x[i] = r * Math.cos(t);
      if (i + 1 < N) x[i + 1] = r * Math.sin(t);
    }
    return x;
  }

  interface Reply { state: OnlineSoftmaxState; json: string; values: Float64Array }

  function streamInWorker(part: Float64Array, chunk: number): Promise<Reply> {
    const worker = new Worker(new URL("./workers/onlineSoftmaxWorker.mjs", import.meta.url));
    return new Promise<Reply>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`worker exited with code ${code}`)));
      worker.postMessage({ values: part, chunk }, [part.buffer as ArrayBuffer]);
    }).finally(() => worker.terminate());
  }

  test("four workers' states, merged, give the one-shot logSumExp and softmax of the whole vocabulary", async () => {
    const x = logits();
    const size = N / PARTS;
    const parts = Array.from({ length: PARTS }, (_, p) => x.slice(p * size, (p + 1) * size));
    const replies = await Promise.all(parts.map((part, p) => streamInWorker(part, 1000 + 4093 * p)));
    replies.forEach((r, p) => {
      expect(parts[p].byteLength).toBe(0); // transferred
      expect(r.values).toEqual(x.subarray(p * size, (p + 1) * size)); // back unchanged
      expect(r.state.count).toBe(size);
      expect(JSON.parse(r.json)).toEqual(r.state);
    });
    const states = replies.map((r) => OnlineSoftmax.fromJSON(JSON.parse(r.json)));
    // merged out of order, as a tree: (2 + 0) + (3 + 1)
    const total = states[2].merge(states[0]).merge(states[3].merge(states[1]));
    expect(total.count).toBe(N);
    const oneShot = logSumExp(x);
    expect(ulpDistance64(total.logSumExp, oneShot)).toBeLessThanOrEqual(4);
    // the structured-clone state is the same numbers as the JSON text
    const cloned = replies.map((r) => OnlineSoftmax.fromJSON(r.state));
    expect(cloned[2].merge(cloned[0]).merge(cloned[3].merge(cloned[1])).toJSON()).toEqual(total.toJSON());

    const p = total.normalize(x), q = softmax(x);
    let worst = 0;
    for (let i = 0; i < N; i++) if (p[i] !== q[i]) worst = Math.max(worst, ulpDistance64(p[i], q[i]));
    expect(worst).toBeLessThanOrEqual(4);
    expect(Math.abs(accurateSum(p) - 1)).toBeLessThanOrEqual(1e-12);
  }, 120_000);
});
