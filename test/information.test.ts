// entropy, klDivergence and distillationLoss against test/fixtures/losses.json (mpmath, and torch's
// special.entr / kl_div), plus their properties.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { distillationLoss, entropy, klDivergence, softmax } from "../src/index.js";
import { flat, lossFixtures, maxError } from "./support/lossFixtures.js";

const largest = (v: unknown) => Math.max(...flat(v).map(Math.abs));
const worst: Record<string, number> = {};
const note = (key: string, e: number) => { worst[key] = Math.max(worst[key] ?? 0, e); return e; };

/** Ours must be within 1e-12 of torch where torch is accurate, and no further from mpmath where it is not. */
function checkTorch(got: unknown, c: { torch: unknown; exact: unknown; torchInexact?: boolean; torchDiverges?: boolean }): void {
  if (c.torchDiverges) return expect(flat(got).every((v) => !Number.isNaN(v))).toBe(true);
  if (c.torchInexact) return expect(maxError(got, c.exact, "float64")).toBeLessThanOrEqual(maxError(c.torch, c.exact, "float64"));
  expect(maxError(got, c.torch, "float64", largest(c.torch)) * 2 ** -52).toBeLessThanOrEqual(1e-12);
}

describe("information fixtures", () => {
  for (const c of lossFixtures.entropy) {
    test(`entropy(probs) matches mpmath and torch.special.entr: ${c.name}`, () => {
      const got = entropy(c.probs, { axis: c.axis });
      expect(note("entropy ulp", maxError(got, c.exact, "float64"))).toBeLessThanOrEqual(2);
      checkTorch(got, c);
    });
  }
  for (const c of lossFixtures.klDivergence) {
    test(`klDivergence(p, q) matches mpmath and torch's kl_div: ${c.name}`, () => {
      const got = klDivergence(c.p, c.q, { axis: c.axis });
      expect(note("klDivergence ulp", maxError(got, c.exact, "float64"))).toBeLessThanOrEqual(4);
      checkTorch(got, c);
    });
  }
  for (const c of lossFixtures.distillationLoss) {
    test(`distillationLoss(student, teacher) matches mpmath and T^2 kl_div(log_softmax, softmax): ${c.name}`, () => {
      const got = distillationLoss(c.student, c.teacher, { axis: c.axis, temperature: c.temperature, reduction: c.reduction });
      expect(note("distillationLoss ulp", maxError(got, c.exact, "float64"))).toBeLessThanOrEqual(4);
      checkTorch(got, c);
    });
  }
});

const distributions = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(
  fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: n, maxLength: n }),
  fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: n, maxLength: n }),
)).map(([a, b]) => [softmax(a), softmax(b)]);

/** sum(p) - sum(q), exactly enough: the amount by which the formula may dip below 0 for inputs not summing to 1. */
function sumGap(p: number[], q: number[]): number {
  let sum = 0, comp = 0; // Neumaier's compensated sum of p_i and -q_i
  for (const v of [...p, ...q.map((x) => -x)]) {
    const next = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? (sum - next) + v : (v - next) + sum;
    sum = next;
  }
  return sum + comp;
}

describe("information properties", () => {
  test("klDivergence(p, q) >= 0 for distributions (up to the inputs' own sum(p) - sum(q)), and is 0 for p = q", () => {
    fc.assert(fc.property(distributions, ([p, q]) => {
      expect(klDivergence(p, q)).toBeGreaterThanOrEqual(Math.min(0, sumGap(p, q)) - 2 ** -60);
      expect(klDivergence(p, p)).toBe(0);
    }));
  });
  test("entropy(p) lies in [0, log K] for a distribution of K entries", () => {
    fc.assert(fc.property(distributions, ([p]) => {
      const h = entropy(p);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThanOrEqual(Math.log(p.length) * (1 + 2 ** -50));
    }));
  });
  test("distillationLoss is T^2 times klDivergence of the softened distributions", () => {
    fc.assert(fc.property(distributions, fc.constantFrom(1, 2, 4), ([p, q], T) => {
      const t = p.map(Math.log), s = q.map(Math.log);
      const direct = T * T * klDivergence(softmax(t, { temperature: T }), softmax(s, { temperature: T }));
      expect(Math.abs(distillationLoss([s], [t], { temperature: T }) - direct)).toBeLessThanOrEqual(1e-12 * Math.max(1, direct));
    }));
  });
  test("distillationLoss of a student equal to its teacher is exactly 0", () => {
    expect(distillationLoss([[3, -1, 2]], [[3, -1, 2]], { temperature: 3 })).toBe(0);
  });
  test("klDivergence keeps a divergence of 1e-20 between nearly equal distributions", () => {
    const d = 2 ** -30, p = [0.5, 0.5], q = [0.5 + d, 0.5 - d];
    const exact = 0.5 * Math.log(0.5 / (0.5 + d)) + 0.5 * Math.log(0.5 / (0.5 - d)); // cancels in floats
    expect(Math.abs(exact)).toBeLessThan(1e-15); // what the plain formula gives: noise
    expect(Math.abs(klDivergence(p, q) / (2 * d * d) - 1)).toBeLessThan(1e-8); // KL ~ 2 d^2 for this pair
  });
  test("entropy and klDivergence treat 0 log 0 as 0 and q = 0 < p as Infinity", () => {
    expect(entropy([1, 0, 0])).toBe(0);
    expect(klDivergence([0.5, 0.5, 0], [0.5, 0.5, 0])).toBe(0);
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity);
  });
  test("entropy with keepDims keeps the reduced axis; over axis 0 it reduces the columns", () => {
    expect(entropy([[0.5, 0.5]], { keepDims: true })).toEqual([[Math.LN2]]);
    expect(entropy([[0.5, 1], [0.5, 0]], { axis: 0 })).toEqual([Math.LN2, 0]);
  });
});

describe("information arguments that are wrong throw, naming the parameter", () => {
  test("entropy of a negative probability throws RangeError naming probs[i]", () => {
    expect(() => entropy([0.5, -0.5])).toThrow(RangeError);
    expect(() => entropy([0.5, -0.5])).toThrow("probs[1]");
  });
  test("klDivergence with q of another length throws RangeError naming q", () => {
    expect(() => klDivergence([0.5, 0.5], [1])).toThrow(/q must have one entry per element/);
  });
  test("distillationLoss with temperature 0 or Infinity throws RangeError naming temperature", () => {
    expect(() => distillationLoss([1, 2], [2, 1], { temperature: 0 })).toThrow(/temperature must be finite and > 0; got 0/);
    expect(() => distillationLoss([1, 2], [2, 1], { temperature: Infinity })).toThrow(RangeError);
  });
  test("distillationLoss with reduction 'mean' throws RangeError listing 'batchmean'", () => {
    expect(() => distillationLoss([1, 2], [2, 1], { reduction: "mean" as never })).toThrow(/'batchmean'/);
  });
});

test("the measured maxima (printed for the README)", () => {
  console.log(`information: max errors vs mpmath: ${JSON.stringify(worst)}`);
  expect(Object.keys(worst).length).toBeGreaterThan(0);
});
