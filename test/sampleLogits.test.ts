// sampleLogits: chi-square goodness of fit (alpha = 1e-3, critical values from test/fixtures/sampling.json,
// written by test/fixtures/sampling.py) of 20,000 seeded draws against the filtered, renormalised
// distribution computed here with sorts, for several option chains; temperature 0; the generator
// options; the end of the inverse-CDF scan; a 128,256-token vocabulary; errors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createRng, filterTopK, filterTopP, sampleLogits } from "../src/index.js";

const inf = Infinity;
const fixtures = JSON.parse(readFileSync(join(__dirname, "fixtures", "sampling.json"), "utf8")) as { chi2Critical: number[] };

/** Math.max / Math.min without spreading (rows of 128,256 entries overflow the call stack). */
const maxOf = (x: number[]) => x.reduce((m, v) => (v > m ? v : m), -inf);
const minOf = (x: number[]) => x.reduce((m, v) => (v < m ? v : m), inf);

interface Chain {
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
}

/** Indices of the row, largest logit first. */
const orderDown = (x: number[]) => x.map((_, i) => i).sort((a, b) => (x[a] > x[b] ? -1 : x[a] < x[b] ? 1 : 0));

/** Probabilities over the kept entries, renormalised (0 elsewhere). */
function renormalise(probs: number[], keep: boolean[]): number[] {
  const total = probs.reduce((s, p, i) => s + (keep[i] ? p : 0), 0);
  return probs.map((p, i) => (keep[i] ? p / total : 0));
}

/**
 * The distribution sampleLogits draws from, step by step with sorts: softmax(x / T), top-k, top-p on
 * what top-k left (renormalised), min-p on what top-p left. Throws if a top-p sum lands within 1e-9
 * of p, where rounding could decide either way.
 */
function referenceDistribution(x: number[], chain: Chain, topPFirst = false): number[] {
  const T = chain.temperature ?? 1;
  const max = maxOf(x);
  let probs: number[];
  if (max === inf) probs = x.map((v) => (v === inf ? 1 : 0));
  else if (T === inf) probs = x.map((v) => (v > -inf ? 1 : 0));
  else probs = x.map((v) => Math.exp((v - max) / T));
  let keep = x.map(() => true);
  probs = renormalise(probs, keep);
  const order = orderDown(x);
  const topK = () => {
    if (chain.topK === undefined || chain.topK === 0 || chain.topK >= x.length) return;
    const cut = x[order[chain.topK - 1]];
    keep = keep.map((k, i) => k && x[i] >= cut);
    probs = renormalise(probs, keep);
  };
  const topP = () => {
    if (chain.topP === undefined || chain.topP === 1) return;
    let mass = 0;
    for (const i of order) {
      if (!keep[i]) continue;
      mass += probs[i];
      if (Math.abs(mass - chain.topP) < 1e-9) throw new Error("top-p boundary within rounding: pick other logits");
      if (mass >= chain.topP) {
        keep = keep.map((k, j) => k && x[j] >= x[i]);
        break;
      }
    }
    probs = renormalise(probs, keep);
  };
  if (topPFirst) { topP(); topK(); } else { topK(); topP(); }
  if (chain.minP !== undefined && chain.minP > 0) {
    const top = maxOf(probs);
    keep = keep.map((k, i) => k && probs[i] >= chain.minP! * top);
    probs = renormalise(probs, keep);
  }
  return probs;
}

/** Counts of `draws` calls of sampleLogits(x, chain) with one seeded generator. */
function drawCounts(x: number[] | Float32Array | Float64Array, chain: Chain, draws: number, seed: number): number[] {
  const counts = new Array<number>(x.length).fill(0);
  const rng = createRng(seed);
  for (let d = 0; d < draws; d++) counts[sampleLogits(x, { ...chain, rng })]++;
  return counts;
}

/** Pearson's statistic over the cells of positive probability, those expecting < 5 draws pooled into one. */
function chiSquare(counts: number[], probs: number[], draws: number): { statistic: number; df: number } {
  const cells: Array<[number, number]> = [];
  let pooledObserved = 0, pooledExpected = 0;
  probs.forEach((p, i) => {
    if (p === 0) return;
    const expected = p * draws;
    if (expected < 5) {
      pooledObserved += counts[i];
      pooledExpected += expected;
    } else {
      cells.push([counts[i], expected]);
    }
  });
  if (pooledExpected > 0) cells.push([pooledObserved, pooledExpected]);
  const statistic = cells.reduce((s, [o, e]) => s + (o - e) ** 2 / e, 0);
  return { statistic, df: cells.length - 1 };
}

/** 40 logits spread over about [-3.5, 3.5], no two equal. */
const vocabulary = Array.from({ length: 40 }, (_, i) => 3 * Math.sin(i * 2.39996) + 0.5 * Math.cos(i * 7.1));

const DRAWS = 20000;

describe("sampleLogits draws from the filtered, renormalised distribution (chi-square, alpha = 1e-3)", () => {
  const chains: Array<[string, Chain]> = [
    ["plain", {}],
    ["temperature 0.7", { temperature: 0.7 }],
    ["temperature 2.5", { temperature: 2.5 }],
    ["temperature Infinity (uniform)", { temperature: Infinity }],
    ["topK 10", { topK: 10 }],
    ["topP 0.8", { topP: 0.8 }],
    ["minP 0.1", { minP: 0.1 }],
    ["topK 6 then topP 0.6 (renormalised)", { topK: 6, topP: 0.6 }],
    ["all chained", { temperature: 0.8, topK: 20, topP: 0.9, minP: 0.05 }],
  ];

  test.each(chains)("sampleLogits(x, %s)", (_, chain) => {
    const probs = referenceDistribution(vocabulary, chain);
    const counts = drawCounts(vocabulary, chain, DRAWS, 2024);
    probs.forEach((p, i) => { if (p === 0) expect(counts[i]).toBe(0); });
    const { statistic, df } = chiSquare(counts, probs, DRAWS);
    expect(df).toBeGreaterThanOrEqual(1);
    expect(statistic).toBeLessThan(fixtures.chi2Critical[df - 1]);
  });

  test("the chained case tells top-p on the renormalised top-k from top-p on the whole row", () => {
    const chain = { topK: 6, topP: 0.6 };
    const chained = referenceDistribution(vocabulary, chain);
    const otherOrder = referenceDistribution(vocabulary, chain, true);
    expect(chained.filter((p) => p > 0).length).not.toBe(otherOrder.filter((p) => p > 0).length);
  });

  test("sampleLogits(x) with k entries at +Infinity draws each of them with probability 1/k", () => {
    const x = [inf, 0, 5, inf, inf];
    const counts = drawCounts(x, {}, 6000, 9);
    expect([counts[1], counts[2]]).toEqual([0, 0]);
    const { statistic, df } = chiSquare(counts, [1 / 3, 0, 0, 1 / 3, 1 / 3], 6000);
    expect(statistic).toBeLessThan(fixtures.chi2Critical[df - 1]);
  });

  test("sampleLogits on a Float32Array draws the same sequence as on the same values in a Float64Array", () => {
    const x32 = Float32Array.from(vocabulary), x64 = Float64Array.from(x32);
    const chain = { temperature: 0.9, topP: 0.85 };
    expect(drawCounts(x32, chain, 500, 3)).toEqual(drawCounts(x64, chain, 500, 3));
  });
});

describe("sampleLogits at temperature 0", () => {
  test("sampleLogits(x, { temperature: 0 }) returns the first index of the maximum and draws nothing", () => {
    let calls = 0;
    const rng = () => { calls++; return 0.5; };
    expect(sampleLogits([1, 5, 2], { temperature: 0, rng })).toBe(1);
    expect(sampleLogits([1, 5, 5, 2], { temperature: 0, rng, topK: 3, topP: 0.2, minP: 0.5 })).toBe(1);
    expect(sampleLogits(Float32Array.from([-inf, -3, inf, inf]), { temperature: 0, rng })).toBe(2);
    expect(calls).toBe(0);
    expect(sampleLogits([1, 5, 2], { temperature: 0, seed: 1 })).toBe(1);
  });
});

describe("sampleLogits's generator", () => {
  const x = vocabulary;

  test("the same seed gives the same sequence, another seed another", () => {
    const run = (seed: number) => { const rng = createRng(seed); return Array.from({ length: 200 }, () => sampleLogits(x, { rng })); };
    const a = run(11);
    expect(run(11)).toEqual(a);
    expect(run(12)).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(5);
    expect(sampleLogits(x, { seed: 5, topK: 8 })).toBe(sampleLogits(x, { rng: createRng(5), topK: 8 }));
  });

  test("rng may be an object with next() or a bare function; u picks by inverse CDF in index order", () => {
    const uniform = [0, 0, 0, 0]; // cumulative 0.25, 0.5, 0.75, 1
    for (const [u, want] of [[0, 0], [0.2, 0], [0.3, 1], [0.6, 2], [0.9, 3], [1 - 2 ** -53, 3]]) {
      expect(sampleLogits(uniform, { rng: () => u })).toBe(want);
      expect(sampleLogits(uniform, { rng: { next: () => u } })).toBe(want);
    }
  });

  test("each call draws exactly one number", () => {
    let calls = 0;
    const rng = () => { calls++; return 0.3; };
    sampleLogits(x, { rng, topK: 5, topP: 0.9, minP: 0.01, temperature: 1.3 });
    expect(calls).toBe(1);
  });

  test("the end of the scan never returns a filtered-out or zero-probability index", () => {
    const last = 1 - 2 ** -53;
    expect(sampleLogits([0, -1000, -inf], { rng: () => last })).toBe(0); // exp(-1000) underflows to 0
    expect(sampleLogits([-inf, 0, 0, -inf], { rng: () => last })).toBe(2);
    expect(sampleLogits([0, 0, 0, -1000, -inf], { rng: () => last })).toBe(2);
    expect(sampleLogits([5, 4, 3, 2], { rng: () => last, topK: 2 })).toBe(1);
    expect(sampleLogits([2, 4, 3, 5], { rng: () => last, topK: 2 })).toBe(3);
    expect(sampleLogits([-inf, 3, 5, 4], { rng: () => 0, topK: 1 })).toBe(2);
    expect(sampleLogits([inf, 9, inf, 9], { rng: () => last })).toBe(2);
    expect(sampleLogits([1, 1 - 1e-300, 0], { rng: () => last, minP: 1 })).toBe(1);
  });

  test("sampleLogits never mutates its input", () => {
    const a = vocabulary.slice(), t = Float32Array.from(vocabulary);
    sampleLogits(a, { seed: 1, topK: 3 });
    sampleLogits(t, { seed: 1, topP: 0.5 });
    expect(a).toEqual(vocabulary);
    expect(t).toEqual(Float32Array.from(vocabulary));
  });

  test("any draw lands on an index of positive probability under the reference chain", () => {
    const logit = fc.oneof(fc.integer({ min: -8, max: 8 }).map((v) => v / 2), fc.double({ min: -30, max: 30, noNaN: true }),
      fc.constant(-inf));
    const chain = fc.record({
      temperature: fc.constantFrom(0.5, 1, 2, Infinity),
      topK: fc.constantFrom(0, 1, 3, 10),
      topP: fc.constantFrom(0, 0.3, 0.9, 1),
      minP: fc.constantFrom(0, 0.05, 0.5, 1),
    });
    fc.assert(fc.property(fc.array(logit, { minLength: 1, maxLength: 30 }), chain, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (x, c, u) => {
        fc.pre(x.some((v) => v > -inf));
        let probs: number[];
        try { probs = referenceDistribution(x, c); } catch { return fc.pre(false); }
        expect(probs[sampleLogits(x, { ...c, rng: () => u })]).toBeGreaterThan(0);
      }), { numRuns: 1000 });
  });
});

describe("sampleLogits on a 128,256-token vocabulary", () => {
  let s = 99;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const logits = Float32Array.from({ length: 128256 }, () => 2 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));

  test("sampleLogits(x, { topK: 50 }) only draws among the 50 largest", () => {
    const top = new Set(orderDown(Array.from(logits)).slice(0, 50));
    const rng = createRng(1), drawn = Array.from({ length: 300 }, () => sampleLogits(logits, { topK: 50, rng }));
    expect(drawn.filter((i) => !top.has(i))).toEqual([]);
    expect(filterTopK(logits, 50).filter((v) => v > -inf).length).toBe(50);
  });

  test("sampleLogits(x, { topP: 0.9 }) only draws inside filterTopP(x, 0.9), which matches the sort", () => {
    const kept = filterTopP(logits, 0.9);
    const want = referenceDistribution(Array.from(logits), { topP: 0.9 });
    const disagreements = want.filter((p, i) => (p > 0) !== (kept[i] > -inf)).length;
    expect(disagreements).toBe(0);
    expect(want.filter((p) => p > 0).length).toBeGreaterThan(1000); // a large top-p set: the binned path
    const rng = createRng(2), drawn = Array.from({ length: 100 }, () => sampleLogits(logits, { topP: 0.9, rng }));
    expect(drawn.filter((i) => kept[i] === -inf)).toEqual([]);
  });
});

describe("sampleLogits errors", () => {
  test("a NaN logit throws RangeError naming its index", () => {
    expect(() => sampleLogits([1, NaN], { seed: 1 })).toThrow(RangeError);
    expect(() => sampleLogits([1, NaN], { seed: 1 })).toThrow("sampleLogits: logits[1] is NaN, and a NaN logit cannot be ranked; got NaN");
    expect(() => sampleLogits(Float32Array.from([0, 0, NaN]), { temperature: 0 })).toThrow("sampleLogits: logits[2] is NaN");
  });

  test("empty logits or all -Infinity throw RangeError: nothing to sample", () => {
    expect(() => sampleLogits([])).toThrow(RangeError);
    expect(() => sampleLogits([])).toThrow("sampleLogits: nothing to sample: logits is empty or every entry is -Infinity; got Array(0)");
    expect(() => sampleLogits(Float64Array.from([-inf, -inf]), { temperature: 0 })).toThrow("nothing to sample");
  });

  test.each([-1, 1.5, NaN, -Infinity])("topK %s throws RangeError naming topK", (topK) => {
    expect(() => sampleLogits([1, 2], { topK })).toThrow(RangeError);
    expect(() => sampleLogits([1, 2], { topK })).toThrow(`sampleLogits: topK must be 0 (off), an integer >= 1 or Infinity; got ${topK}`);
  });

  test.each([["topP", -0.5], ["topP", 1.5], ["topP", NaN], ["minP", -0.1], ["minP", 2], ["minP", NaN]] as const)(
    "%s %s throws RangeError naming it", (name, value) => {
      expect(() => sampleLogits([1, 2], { [name]: value })).toThrow(RangeError);
      expect(() => sampleLogits([1, 2], { [name]: value })).toThrow(`sampleLogits: ${name} must be in [0, 1]; got ${value}`);
    });

  test("a non-number topK, topP, minP or temperature throws TypeError naming it", () => {
    expect(() => sampleLogits([1, 2], { topK: "3" as unknown as number })).toThrow(TypeError);
    expect(() => sampleLogits([1, 2], { topP: "0.9" as unknown as number })).toThrow('sampleLogits: topP must be a number in [0, 1]; got string "0.9"');
    expect(() => sampleLogits([1, 2], { minP: null as unknown as number })).toThrow("sampleLogits: minP must be a number in [0, 1]; got null");
    expect(() => sampleLogits([1, 2], { temperature: "1" as unknown as number })).toThrow(TypeError);
  });

  test("a negative or NaN temperature throws RangeError", () => {
    expect(() => sampleLogits([1, 2], { temperature: -1 })).toThrow("sampleLogits: temperature must be >= 0");
    expect(() => sampleLogits([1, 2], { temperature: NaN })).toThrow(RangeError);
  });

  test("bad rng / seed options throw, naming them", () => {
    expect(() => sampleLogits([1, 2], { rng: createRng(1), seed: 1 })).toThrow("sampleLogits: pass rng or seed, not both");
    expect(() => sampleLogits([1, 2], { rng: 5 as unknown as () => number })).toThrow(TypeError);
    expect(() => sampleLogits([1, 2], { rng: () => 1 })).toThrow("sampleLogits: rng must return numbers in [0, 1); got 1");
    expect(() => sampleLogits([1, 2], { seed: 1.5 })).toThrow(RangeError);
  });

  test("logits that are not one row of numbers throw TypeError", () => {
    const message = "sampleLogits: logits must be one row: a number[], Float32Array or Float64Array";
    expect(() => sampleLogits([[1, 2]] as unknown as number[])).toThrow(message);
    expect(() => sampleLogits({ data: Float32Array.from([1]), shape: [1] } as unknown as number[])).toThrow(message);
    expect(() => sampleLogits(new Int8Array(2) as unknown as number[])).toThrow(TypeError);
    expect(() => sampleLogits([1, "2"] as unknown as number[])).toThrow("sampleLogits: logits[1] must be a number");
    expect(() => sampleLogits([1, 2], 3 as never)).toThrow("sampleLogits: options must be an object; got 3");
  });
});
