// gumbelSoftmax and sampleCategorical: the documented random streams, the edge cases, the errors, and
// goodness of fit: chi-square tests with fixed seeds against the critical values of
// test/fixtures/sampling.json (scipy's chi2.ppf at alpha = 1e-3), so every run is deterministic.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { argmax, createRng, gumbelSoftmax, sampleCategorical, softmax } from "../src/index.js";
import { kernelSets, withKernels } from "./support/kernelSets.js";

const { chi2Critical }: { chi2Critical: number[] } =
  JSON.parse(readFileSync(new URL("./fixtures/sampling.json", import.meta.url), "utf8"));
const same = (a: unknown, b: unknown) => expect(a).toEqual(b);
const JUST_BELOW_1 = 1 - 2 ** -53;

/** Pearson's statistic of `counts` against probabilities `p` (cells with p = 0 must have count 0 and are left out). */
function chiSquare(counts: number[], p: number[]): { statistic: number; critical: number } {
  const draws = counts.reduce((a, b) => a + b, 0);
  let statistic = 0, cells = 0;
  counts.forEach((c, i) => {
    if (p[i] === 0) return expect(c).toBe(0);
    const expected = draws * p[i];
    expect(expected).toBeGreaterThanOrEqual(5);
    statistic += (c - expected) ** 2 / expected;
    cells++;
  });
  return { statistic, critical: chi2Critical[cells - 2] };
}

function countsOf(indices: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < indices.length; i++) counts[indices[i]]++;
  return counts;
}

/** The documented noise: g = -log(-log u), with 2^-54 standing for a draw of 0. */
const gumbel = (u: number) => -Math.log(-Math.log(u === 0 ? 2 ** -54 : u));

/** One-hot of each row's first maximum (rows along the last axis); a row of zeros stays zeros. */
function oneHotRows(rows: number[][]): number[][] {
  return rows.map((row) => {
    if (!row.some((v) => v > 0)) return row.map(() => 0);
    const best = argmax(row);
    return row.map((_, j) => (j === best ? 1 : 0));
  });
}

const rowSum = (row: ArrayLike<number>) => Array.from(row).reduce((a, b) => a + b, 0);

describe.each(kernelSets)("gumbelSoftmax with the $name kernels", (kernels) => {
  withKernels(kernels);

  test("gumbelSoftmax(x) is softmax(x + g) with one draw per element in row-major order", () => {
    const x = [[1, 2, 0.5], [-3, 0, 4]];
    const rng = createRng(7);
    const noisy = x.map((row) => row.map((v) => v + gumbel(rng.next())));
    same(gumbelSoftmax(x, { seed: 7 }), softmax(noisy));
    const rng2 = createRng(7);
    const noisy2 = x.map((row) => row.map((v) => v + gumbel(rng2.next())));
    same(gumbelSoftmax(x, { seed: 7, axis: 0, temperature: 0.25 }), softmax(noisy2, { axis: 0, temperature: 0.25 }));
  });

  test("gumbelSoftmax(x) lies on the simplex for every seed, temperature, axis and precision", () => {
    const x = [[1, 2, 0.5, -1], [1000, -1000, 3, 3], [0, 0, 0, 0]];
    for (let seed = 0; seed < 20; seed++) {
      for (const temperature of [1e-300, 0.01, 0.5, 1, 3, 1e300]) {
        for (const axis of [0, 1]) {
          const y = gumbelSoftmax({ data: Float32Array.from(x.flat()), shape: [3, 4] }, { seed, temperature, axis });
          expect(y.data).toBeInstanceOf(Float32Array);
          const z = gumbelSoftmax(x, { seed, temperature, axis });
          const rows = axis === 1 ? z : z[0].map((_, j) => z.map((r) => r[j]));
          for (const row of rows) {
            expect(row.every((v) => v >= 0 && v <= 1)).toBe(true);
            expect(Math.abs(rowSum(row) - 1)).toBeLessThanOrEqual(1e-15);
          }
          for (let j = 0; j < (axis === 1 ? 3 : 4); j++) {
            const s = axis === 1 ? rowSum(y.data.subarray(4 * j, 4 * j + 4)) : y.data[j] + y.data[4 + j] + y.data[8 + j];
            expect(Math.abs(s - 1)).toBeLessThanOrEqual(1e-6);
          }
        }
      }
    }
  });

  test("gumbelSoftmax never gives NaN, even when the generator returns 0 or values just below 1", () => {
    const x = [[1, 2, -Infinity, 0], [-1e300, 1e300, 5, 5], [-Infinity, -Infinity, 0, -Infinity]];
    const sources = [() => 0, () => JUST_BELOW_1, ((k = 0) => () => (k++ % 2 ? 0 : JUST_BELOW_1))(), () => 5e-324];
    for (const rng of sources) {
      for (const temperature of [0, 1e-300, 1, Infinity]) {
        for (const hard of [false, true]) {
          const y = gumbelSoftmax(x, { rng, temperature, hard });
          for (const row of y) {
            expect(row.some(Number.isNaN)).toBe(false);
            expect(Math.abs(rowSum(row) - 1)).toBeLessThanOrEqual(1e-15);
          }
          expect(y[0][2]).toBe(0);
        }
      }
    }
    same(gumbelSoftmax([0, 0], { rng: () => 0 }), [0.5, 0.5]); // equal noise, not -Infinity for both
  });

  test("gumbelSoftmax(x, { hard: true }) is the one-hot of the argmax of the soft sample with the same seed", () => {
    const x = [[1, 2, 0.5, 2, -Infinity], [0, 0, 0, 0, 0], [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity]];
    const mask = [[1, 1, 1, 1, 1], [1, 0, 1, 1, 1], [1, 1, 1, 1, 1]];
    for (let seed = 0; seed < 100; seed++) {
      for (const temperature of [0.1, 1, 10]) {
        const soft = gumbelSoftmax(x, { seed, temperature, mask });
        same(gumbelSoftmax(x, { seed, temperature, mask, hard: true }), oneHotRows(soft));
      }
    }
    const hard = gumbelSoftmax(x, { seed: 3, hard: true });
    same(hard[2], [0, 0, 0, 0, 0]);
    expect(rowSum(hard[0])).toBe(1);
    const rng1 = createRng(11), rng2 = createRng(11); // the same generator state, along axis 0
    const t = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [3, 2] };
    const soft = gumbelSoftmax(t, { rng: rng1, axis: 0 }).data;
    const columns = [0, 1].map((j) => [soft[j], soft[2 + j], soft[4 + j]]);
    const want = oneHotRows(columns);
    same(gumbelSoftmax(t, { rng: rng2, axis: 0, hard: true }).data, Float64Array.from([0, 1, 2].flatMap((i) => [want[0][i], want[1][i]])));
  });

  test("gumbelSoftmax gives masked and -Infinity entries exactly 0, and the mask does not change the stream", () => {
    const x = [[1, 2, 3], [4, 5, 6]];
    const masked = gumbelSoftmax(x, { seed: 5, mask: [[1, 0, 1], [1, 1, 1]] });
    const plain = gumbelSoftmax(x, { seed: 5 });
    expect(masked[0][1]).toBe(0);
    same(masked[1], plain[1]); // row 0's masked entry still used its draw
    same(gumbelSoftmax([-Infinity, 1, -Infinity], { seed: 1 }), [0, 1, 0]);
    same(gumbelSoftmax([1, 2], { seed: 1, mask: [0, 0] }), [0, 0]);
    same(gumbelSoftmax([NaN, 2], { seed: 1 }), [NaN, NaN]);
    same(gumbelSoftmax([NaN, 2], { seed: 1, mask: [0, 1] }), [0, 1]);
    same(gumbelSoftmax([Infinity, 2, Infinity], { seed: 1 }), [0.5, 0, 0.5]);
    same(gumbelSoftmax([Infinity, 2, Infinity], { seed: 1, hard: true }), [1, 0, 0]); // the first of the tie
    same(gumbelSoftmax([NaN, 2], { seed: 1, hard: true }), [NaN, NaN]);
    same(gumbelSoftmax([], { seed: 1 }), []);
  });

  test("gumbelSoftmax(x, { temperature: 0 }) is the one-hot of the argmax of x + g", () => {
    for (let seed = 0; seed < 50; seed++) {
      const x = [0.3, 0.1, 0.2, 0.4];
      const rng = createRng(seed);
      const best = argmax(x.map((v) => v + gumbel(rng.next())));
      same(gumbelSoftmax(x, { seed, temperature: 0 }), x.map((_, j) => (j === best ? 1 : 0)));
    }
  });

  test("the argmax of gumbelSoftmax(x) at temperature 1 is distributed as softmax(x) (Gumbel-max; chi-square, 20,000 draws)", () => {
    const logits = [1, 2, 0.5, -1, 3, 0];
    const draws = 20000;
    const data = new Float64Array(draws * logits.length);
    for (let r = 0; r < draws; r++) data.set(logits, r * logits.length);
    const y = gumbelSoftmax({ data, shape: [draws, logits.length] }, { seed: 2024 });
    const winners = argmax(y) as { data: Int32Array };
    const { statistic, critical } = chiSquare(countsOf(winners.data, logits.length), softmax(logits));
    console.log(`gumbelSoftmax Gumbel-max chi-square: ${statistic.toFixed(2)} (critical ${critical.toFixed(2)}, df 5)`);
    expect(statistic).toBeLessThan(critical);
  });
});

describe("gumbelSoftmax: seeds, kinds and errors", () => {
  test("gumbelSoftmax gives the same sample for the same seed, and seed s equals rng createRng(s) or its bare next", () => {
    const x = new Float64Array([1, 2, 3, 4]);
    const a = gumbelSoftmax(x, { seed: 9 });
    same(gumbelSoftmax(x, { seed: 9 }), a);
    same(gumbelSoftmax(x, { rng: createRng(9) }), a);
    const g = createRng(9);
    same(gumbelSoftmax(x, { rng: () => g.next() }), a);
    expect(gumbelSoftmax(x, { seed: 10 })).not.toEqual(a);
    expect(gumbelSoftmax(x)).not.toEqual(gumbelSoftmax(x)); // crypto-seeded when neither is given
  });

  test("gumbelSoftmax keeps the kind and writes into out, also in place", () => {
    const x = new Float32Array([1, 2, 3]);
    const want = gumbelSoftmax(x, { seed: 4 });
    expect(want).toBeInstanceOf(Float32Array);
    const out = new Float32Array(3);
    expect(gumbelSoftmax(x, { seed: 4, out })).toBe(out);
    same(out, want);
    same(x, new Float32Array([1, 2, 3]));
    expect(gumbelSoftmax(x, { seed: 4, out: x })).toBe(x);
    same(x, want);
    const t = gumbelSoftmax({ data: new Float64Array([0, 0]), dims: [1, 2] }, { seed: 4 });
    expect(t.shape).toEqual([1, 2]);
    expect(t.data).toBeInstanceOf(Float64Array);
  });

  test("gumbelSoftmax rejects bad arguments before drawing, with errors naming gumbelSoftmax", () => {
    let calls = 0;
    const rng = () => (calls++, 0.5);
    const bad: [unknown, RegExp][] = [
      [{ rng, temperature: -1 }, /^gumbelSoftmax: temperature must be >= 0.*got -1$/],
      [{ rng, temperature: NaN }, /^gumbelSoftmax: temperature .*got NaN$/],
      [{ rng, temperature: "1" }, /^gumbelSoftmax: temperature must be a number/],
      [{ rng, hard: 1 }, /^gumbelSoftmax: hard must be true or false; got 1$/],
      [{ rng, seed: 1 }, /^gumbelSoftmax: pass rng or seed, not both/],
      [{ rng: 3 }, /^gumbelSoftmax: rng must be/],
      [{ seed: 1.5 }, /^gumbelSoftmax: seed must be a safe integer; got 1.5$/],
      [{ rng, axis: 2 }, /^gumbelSoftmax: axis .*got 2$/],
      [{ rng, mask: [1] }, /^gumbelSoftmax: mask must have/],
      [{ rng, out: new Float64Array(2) }, /^gumbelSoftmax: out is only for typed/],
    ];
    for (const [options, message] of bad) expect(() => gumbelSoftmax([1, 2], options as never)).toThrow(message);
    expect(() => gumbelSoftmax("x" as never, { rng })).toThrow(/^gumbelSoftmax: logits must be/);
    expect(calls).toBe(0);
    expect(() => gumbelSoftmax([1, 2], { rng: () => 1 })).toThrow(/^gumbelSoftmax: rng must return numbers in \[0, 1\); got 1$/);
    expect(() => gumbelSoftmax([1, 2], { temperature: -1 })).toThrow(RangeError);
    expect(() => gumbelSoftmax([1, 2], { rng: {} as never })).toThrow(TypeError);
  });
});

describe("sampleCategorical", () => {
  test("sampleCategorical(w) follows the normalised weights (chi-square, 20,000 draws) and never draws a zero weight", () => {
    const weights = [1, 0, 3, 0.5, 5, 0, 2.5]; // unnormalised: they sum to 12
    const rng = createRng(31337);
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < 20000; i++) counts[sampleCategorical(weights, { rng })]++;
    const { statistic, critical } = chiSquare(counts, weights.map((w) => w / 12));
    console.log(`sampleCategorical chi-square: ${statistic.toFixed(2)} (critical ${critical.toFixed(2)}, df 4)`);
    expect(statistic).toBeLessThan(critical);
    expect(counts[1] + counts[5]).toBe(0);
  });

  test("sampleCategorical draws one row per column along axis 0 of a 2-D input, in row-major order of the result", () => {
    const draws = 20000;
    const p = [0.25, 0.5, 0.125, 0.125];
    const data = new Float64Array(p.length * draws);
    p.forEach((v, k) => data.fill(v, k * draws, (k + 1) * draws)); // every column is p
    const got = sampleCategorical({ data, shape: [p.length, draws] }, { seed: 8, axis: 0 }) as { data: Int32Array; shape: number[] };
    expect(got.shape).toEqual([draws]);
    const { statistic, critical } = chiSquare(countsOf(got.data, p.length), p);
    expect(statistic).toBeLessThan(critical);
    const rng = createRng(8); // draw r goes to column r: the inverse CDF by hand
    for (let r = 0; r < 100; r++) {
      const u = rng.next();
      expect(got.data[r]).toBe(u < 0.25 ? 0 : u < 0.75 ? 1 : u < 0.875 ? 2 : 3);
    }
    same(sampleCategorical([[1, 0, 1], [0, 0, 1], [0, 1, 1]], { seed: 1, axis: 0 }).slice(0, 2), [0, 2]);
  });

  test("sampleCategorical treats weights up to scale: w and 4w give the same draws", () => {
    for (let seed = 0; seed < 200; seed++) {
      expect(sampleCategorical([1, 3, 0, 1.5], { seed })).toBe(sampleCategorical([4, 12, 0, 6], { seed }));
    }
  });

  test("sampleCategorical never draws a zero weight at either end of the scan", () => {
    expect(sampleCategorical([0, 0, 3, 1], { rng: () => 0 })).toBe(2);
    expect(sampleCategorical([1, 2, 0, 0], { rng: () => JUST_BELOW_1 })).toBe(1);
    expect(sampleCategorical([0.1, 0.2, 0.3, 0], { rng: () => JUST_BELOW_1 })).toBe(2);
    expect(sampleCategorical([0, 5e-324, 0], { rng: () => JUST_BELOW_1 })).toBe(1);
    expect(sampleCategorical([1e308, 1e308, 0], { rng: () => JUST_BELOW_1 })).toBe(1); // the sum overflows
    expect(sampleCategorical([1e308, 1e308, 0], { rng: () => 0.25 })).toBe(0);
    expect(sampleCategorical([7], { rng: () => 0.5 })).toBe(0);
  });

  test("sampleCategorical gives the same draws for the same seed; seed s equals rng createRng(s) and its bare next", () => {
    const w = [[1, 2, 3], [3, 2, 1], [1, 1, 1]];
    const a = sampleCategorical(w, { seed: 77 });
    same(sampleCategorical(w, { seed: 77 }), a);
    same(sampleCategorical(w, { rng: createRng(77) }), a);
    const g = createRng(77);
    same(sampleCategorical(w, { rng: () => g.next() }), a);
    const many = { data: new Float64Array(300).fill(1), shape: [100, 3] };
    expect(sampleCategorical(many, { seed: 1 })).not.toEqual(sampleCategorical(many, { seed: 2 }));
    expect(sampleCategorical(many)).not.toEqual(sampleCategorical(many));
  });

  test("sampleCategorical returns a number for 1-D input and argmax's index kinds otherwise", () => {
    expect(typeof sampleCategorical(new Float32Array([1, 2]), { seed: 1 })).toBe("number");
    expect(typeof sampleCategorical({ data: new Float64Array([1, 2]), shape: [2] }, { seed: 1 })).toBe("number");
    const nested = sampleCategorical([[0, 1], [1, 0]], { seed: 1 });
    same(nested, [1, 0]);
    const t = sampleCategorical({ data: new Float32Array([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]), shape: [2, 3, 2] }, { seed: 1, axis: 1 });
    same(t, { data: new Int32Array([0, 1, 2, 0]), shape: [2, 2] });
    same(sampleCategorical({ data: new Float64Array(0), shape: [0, 4] }, { seed: 1 }), { data: new Int32Array(0), shape: [0] });
  });

  test("sampleCategorical rejects bad weights and options before drawing, naming the entry, the row or the option", () => {
    let calls = 0;
    const rng = () => (calls++, 0.5);
    expect(() => sampleCategorical([1, -2], { rng })).toThrow(/^sampleCategorical: probs\[1\] must be a finite weight >= 0; got -2$/);
    expect(() => sampleCategorical([[1, 1], [NaN, 1]], { rng })).toThrow(/^sampleCategorical: probs\[1\]\[0\] .*got NaN$/);
    expect(() => sampleCategorical(new Float64Array([Infinity]), { rng })).toThrow(/probs\[0\] .*got Infinity$/);
    expect(() => sampleCategorical({ data: new Float32Array([1, -Infinity]), shape: [1, 2] }, { rng })).toThrow(/probs\.data\[1\] .*got -Infinity$/);
    expect(() => sampleCategorical([1, -0.5], { rng })).toThrow(RangeError);
    expect(() => sampleCategorical([[1, 2], [0, 0], [1, 1]], { rng })).toThrow(/^sampleCategorical: the weights of probs row \[1, :\] sum to 0/);
    expect(() => sampleCategorical([[1, 0], [1, 0]], { rng, axis: 0 })).toThrow(/probs row \[:, 1\] sum to 0/);
    expect(() => sampleCategorical([0, 0], { rng })).toThrow(RangeError);
    expect(() => sampleCategorical([], { rng })).toThrow(/^sampleCategorical: axis 0 of probs is empty/);
    expect(() => sampleCategorical([[], []], { rng })).toThrow(RangeError);
    expect(() => sampleCategorical([1, 2], { rng, seed: 1 })).toThrow(/^sampleCategorical: pass rng or seed, not both/);
    expect(() => sampleCategorical([1, 2], { rng: "x" as never })).toThrow(TypeError);
    expect(() => sampleCategorical([1, 2], { seed: 2 ** 60 })).toThrow(/^sampleCategorical: seed must be a safe integer/);
    expect(() => sampleCategorical([1, 2], { rng, axis: -2 })).toThrow(/^sampleCategorical: axis .*got -2$/);
    expect(() => sampleCategorical("12" as never, { rng })).toThrow(/^sampleCategorical: probs must be/);
    expect(() => sampleCategorical([1, 2], 5 as never)).toThrow(TypeError);
    expect(calls).toBe(0);
    for (const u of [1, -0.1, NaN]) {
      expect(() => sampleCategorical([1, 2], { rng: () => u })).toThrow(/^sampleCategorical: rng must return numbers in \[0, 1\)/);
    }
  });
});
