// Accuracy against mpmath: every softmax, logSoftmax and logSumExp value of the fixture vectors
// (test/fixtures/*.json, made by test/fixtures/generate.py) must be within 4 ulp of the correctly
// rounded reference: 4 float64 ulp for number[] / Float64Array inputs, 4 float32 ulp for Float32Array
// inputs. Masked entries must be exactly 0 (softmax) and -Infinity (logSoftmax). One test per kernel
// set (JS and wasm-simd), function, regime and precision, so a failure names the backend and the
// regime that broke and lists the vectors.
import { describe, expect, it } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";
import {
  applies, CATEGORIES, checksumOf, describeFailure, FUNCTIONS, loadFixtures, measure, mulberry32, passes,
  PRECISIONS, uniform53, type AccuracyCase, type Fn,
} from "./support/fixtures.js";
import { kernelSets, testWasmKernelsLoad, withKernels } from "./support/kernelSets.js";
import { ulpDistance32, ulpDistance64 } from "./support/ulp.js";

const BOUND = 4;
const library = { softmax, logSoftmax, logSumExp };
const cases = loadFixtures();

describe("ulp distance helpers", () => {
  it("ulpDistance64 counts the doubles between two values", () => {
    expect(ulpDistance64(1, 1)).toBe(0);
    expect(ulpDistance64(1, 1 + 2 ** -52)).toBe(1);
    expect(ulpDistance64(1 + 2 ** -52, 1)).toBe(1);
    expect(ulpDistance64(1 - 2 ** -53, 1)).toBe(1); // the binade below has steps half as large
    expect(ulpDistance64(2 - 2 ** -52, 2)).toBe(1); // to the next binade
    expect(ulpDistance64(1, 2)).toBe(2 ** 52);
    expect(ulpDistance64(-1, -1 - 2 ** -52)).toBe(1);
    expect(ulpDistance64(0.1, 0.30000000000000004 - 0.2)).toBe(ulpDistance64(0.30000000000000004 - 0.2, 0.1));
  });

  it("ulpDistance64 steps through the subnormals and across zero", () => {
    expect(ulpDistance64(0, 5e-324)).toBe(1);
    expect(ulpDistance64(5e-324, 1e-323)).toBe(1);
    expect(ulpDistance64(2 ** -1022 - 2 ** -1074, 2 ** -1022)).toBe(1); // largest subnormal to smallest normal
    expect(ulpDistance64(2 ** -1022, 2 ** -1022 + 2 ** -1074)).toBe(1);
    expect(ulpDistance64(0, 2 ** -1022)).toBe(2 ** 52);
    expect(ulpDistance64(-5e-324, 5e-324)).toBe(2);
    expect(ulpDistance64(0, -0)).toBe(0);
    expect(ulpDistance64(-0, 5e-324)).toBe(1);
    expect(ulpDistance64(-1, 1)).toBe(2 * (1023 * 2 ** 52));
  });

  it("ulpDistance64 handles NaN and the infinities explicitly", () => {
    expect(ulpDistance64(NaN, NaN)).toBe(0);
    expect(ulpDistance64(NaN, 1)).toBe(Infinity);
    expect(ulpDistance64(0, NaN)).toBe(Infinity);
    expect(ulpDistance64(Infinity, Infinity)).toBe(0);
    expect(ulpDistance64(-Infinity, -Infinity)).toBe(0);
    expect(ulpDistance64(Number.MAX_VALUE, Infinity)).toBe(Infinity);
    expect(ulpDistance64(-Infinity, Infinity)).toBe(Infinity);
    expect(ulpDistance64(-Infinity, 0)).toBe(Infinity);
  });

  it("ulpDistance32 counts float32 values, and rejects doubles that are not float32 values", () => {
    expect(ulpDistance32(1, 1 + 2 ** -23)).toBe(1);
    expect(ulpDistance32(1 - 2 ** -24, 1)).toBe(1);
    expect(ulpDistance32(2 - 2 ** -23, 2)).toBe(1);
    expect(ulpDistance32(1, 2)).toBe(2 ** 23);
    expect(ulpDistance32(0, 2 ** -149)).toBe(1);
    expect(ulpDistance32(2 ** -126 - 2 ** -149, 2 ** -126)).toBe(1);
    expect(ulpDistance32(-(2 ** -149), 2 ** -149)).toBe(2);
    expect(ulpDistance32(-0, 0)).toBe(0);
    expect(ulpDistance32(Math.fround(0.1), Math.fround(0.1))).toBe(0);
    expect(ulpDistance32(3.4028234663852886e38, Infinity)).toBe(Infinity);
    expect(ulpDistance32(NaN, NaN)).toBe(0);
    expect(ulpDistance32(NaN, 0)).toBe(Infinity);
    expect(() => ulpDistance32(0.1, 0.1 + 2 ** -40)).toThrow(RangeError);
  });
});

describe("the fixtures", () => {
  it("cover at least 500 vectors, every required length, both precisions and every regime", () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const lengths = new Set(cases.map((c) => c.n));
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 10000, 32000, 100000]) {
      expect(lengths.has(n), `length ${n}`).toBe(true);
    }
    for (const category of CATEGORIES) {
      for (const precision of PRECISIONS) {
        if (category === "large shift 1e30" && precision === "float32") continue; // 1e30 is beyond float32's fine range
        expect(cases.some((c) => c.category === category && c.precision === precision), `${category} ${precision}`).toBe(true);
      }
    }
    expect(cases.some((c) => c.category === "large shift 1e30")).toBe(true);
    expect(cases.some((c) => c.source === "prng" && c.n === 100000 && c.precision === "float32")).toBe(true);
    for (const T of [0.07, 0.5, 0.7, 2, 10]) {
      for (const precision of PRECISIONS) expect(cases.some((c) => c.temperature === T && c.precision === precision)).toBe(true);
    }
    expect(cases.filter((c) => c.mask !== null).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.weights !== null).length).toBeGreaterThanOrEqual(20);
  });

  it("include shifts by 1e4 and 1e30, magnitudes from 1e-3 to 1e4, and entries a few ulps apart", () => {
    const maxAbs = (c: AccuracyCase) => Math.max(...Array.from(c.x, Math.abs));
    expect(cases.some((c) => c.category === "large shift 1e4" && Math.min(...Array.from(c.x)) > 9000)).toBe(true);
    expect(cases.some((c) => c.category === "large shift 1e4" && Math.max(...Array.from(c.x)) < -9000)).toBe(true);
    expect(cases.some((c) => c.category === "large shift 1e30" && Math.min(...Array.from(c.x)) > 9e29)).toBe(true);
    expect(cases.some((c) => c.category === "large shift 1e30" && Math.max(...Array.from(c.x)) < -9e29)).toBe(true);
    const magnitudes = cases.filter((c) => c.category === "magnitudes 1e-3 to 1e4").map(maxAbs);
    expect(Math.min(...magnitudes)).toBeLessThan(1e-2);
    expect(Math.max(...magnitudes)).toBeGreaterThan(1e4);
    const ties = cases.filter((c) => c.category === "near-ties" && c.n > 1 && c.source === "stored");
    for (const c of ties) {
      const ulp = c.precision === "float64" ? ulpDistance64 : ulpDistance32;
      const xs = Array.from(c.x);
      expect(ulp(Math.min(...xs), Math.max(...xs)), c.id).toBeLessThanOrEqual(8);
    }
  });

  it("include probabilities that are subnormal or 0 (float64 and float32), and logSumExp results near 0", () => {
    const refs = (p: string) => cases.filter((c) => c.precision === p).flatMap((c) => c.softmax).filter((v): v is number => v !== null);
    const r64 = refs("float64"), r32 = refs("float32");
    expect(r64.filter((v) => v > 0 && v < 2 ** -1022).length).toBeGreaterThanOrEqual(50);
    expect(r64.filter((v) => v === 0).length).toBeGreaterThanOrEqual(50);
    expect(r32.filter((v) => v > 0 && v < 2 ** -126).length).toBeGreaterThanOrEqual(50);
    expect(r32.filter((v) => v === 0).length).toBeGreaterThanOrEqual(50);
    for (const precision of PRECISIONS) {
      const near0 = cases.filter((c) => c.precision === precision && c.logSumExp !== 0 && Math.abs(c.logSumExp) < 1e-6);
      expect(near0.length, precision).toBeGreaterThanOrEqual(40);
      const weighted = cases.filter((c) => c.precision === precision && c.weightedLogSumExp !== null && Math.abs(c.weightedLogSumExp) < 1e-6);
      expect(weighted.length, precision).toBeGreaterThanOrEqual(5);
    }
  });

  it("rebuild every long vector bit for bit from its PRNG recipe (first, last and exact sums match)", () => {
    // mulberry32(1) and uniform53 pinned, so a change to either is caught here first
    const next = mulberry32(1);
    expect([next(), next(), next()]).toEqual([2693262067, 11749833, 2265367787]);
    expect(uniform53(mulberry32(0))).toBe((((1144304738 >>> 5) * 67108864 + (1416247 >>> 6)) / 2 ** 53));
    expect(checksumOf([0.5, -0.25, 0.125])).toEqual({ first: 0.5, last: 0.125, sum: "0.375", indexWeightedSum: "0.375" });
    expect(checksumOf([-1.5, 2 ** 60]).sum).toBe("1152921504606846974.5");
    const subnormal = checksumOf([5e-324]).sum; // 2^-1074 written out: 1074 decimals
    expect(subnormal.length).toBe(2 + 1074);
    expect(subnormal.startsWith("0." + "0".repeat(323) + "494065645841246544")).toBe(true);
    const longOnes = cases.filter((c) => c.source === "prng");
    expect(longOnes.length).toBeGreaterThanOrEqual(20);
    for (const c of longOnes) expect(c.checksumProblems, c.id).toEqual([]);
  });

  it("hold references that agree with each other (generator sanity: sum of softmax, exp of logSoftmax, logSumExp)", () => {
    for (const c of cases) {
      if (c.source !== "stored") continue;
      const eps = c.precision === "float64" ? 2 ** -52 : 2 ** -23;
      const kept = c.softmax.filter((v): v is number => v !== null);
      const total = kept.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - 1), `${c.id}: sum of softmax`).toBeLessThanOrEqual(kept.length * eps);
      const tiny = c.precision === "float64" ? 2 ** -1022 : 2 ** -126;
      for (let i = 0; i < c.n; i++) {
        const p = c.softmax[i], lp = c.logSoftmax[i];
        if (p === null || lp === null) {
          expect(p === null && lp === null, `${c.id}[${i}]: masked in both`).toBe(true);
          continue;
        }
        if (p >= tiny) expect(Math.abs(Math.exp(lp) - p), `${c.id}[${i}]: exp(logSoftmax)`).toBeLessThanOrEqual(p * (4 + Math.abs(lp)) * eps);
        const lse = c.x[i] / c.temperature - lp;
        expect(Math.abs(lse - c.logSumExp), `${c.id}[${i}]: x / T - logSoftmax`).toBeLessThanOrEqual(
          (Math.abs(c.x[i] / c.temperature) + Math.abs(lp) + Math.abs(c.logSumExp)) * 4 * eps,
        );
      }
    }
  });
});

function label(fn: Fn, category: string): string {
  switch (fn) {
    case "softmax":
      return category === "masked" ? "softmax(x, { mask }) is exactly 0 on masked entries and" : "softmax(x) is";
    case "logSoftmax":
      return category === "masked" ? "logSoftmax(x, { mask }) is exactly -Infinity on masked entries and" : "logSoftmax(x) is";
    case "logSumExp":
      return "logSumExp(x) is";
    case "weightedLogSumExp":
      return "logSumExp(x, { weights }) is";
  }
}

testWasmKernelsLoad();

describe.each(kernelSets)("accuracy against the correctly rounded mpmath reference, on the $name kernels", (kernels) => {
  withKernels(kernels);
  for (const category of CATEGORIES) {
    describe(`'${category}' vectors`, () => {
      for (const precision of PRECISIONS) {
        const group = cases.filter((c) => c.category === category && c.precision === precision);
        if (group.length === 0) continue;
        const unit = precision === "float64" ? "ulp" : "float32 ulp";
        for (const fn of FUNCTIONS) {
          const subject = group.filter((c) => applies(c, fn));
          if (subject.length === 0) continue;
          it(`${label(fn, category)} within ${BOUND} ${unit} of the mpmath reference on '${category}' vectors (${precision}, ${subject.length} vectors)`, () => {
            const failures: string[] = [];
            for (const c of subject) {
              const m = measure(library, c, fn);
              if (!passes(m, BOUND)) failures.push(...describeFailure(m, BOUND));
            }
            expect(failures, `${failures.length} problems`).toEqual([]);
          });
        }
      }
    });
  }
});
