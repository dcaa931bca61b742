// Temperature scaling and the calibration metrics (API.md §5): fitTemperature, expectedCalibrationError
// and reliabilityDiagram against the mpmath references of test/fixtures/losses.json (written by
// test/fixtures/losses.py), then synthetic data, the limits, layouts, bin boundaries and every error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { logSoftmax, softmax } from "../src/index.js";
import { expectedCalibrationError } from "../src/expectedCalibrationError.js";
import { fitTemperature } from "../src/fitTemperature.js";
import { reliabilityDiagram, type ReliabilityBin } from "../src/reliabilityDiagram.js";
import { mulberry32, uniform53 } from "./support/fixtures.js";
import { ulpDistance64 } from "./support/ulp.js";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

interface TemperatureFixture {
  name: string;
  logits: number[][];
  labels: number[];
  /** The mpmath root of f'(beta) = 0, as T = 1 / beta (0 and Infinity for the limits). */
  exact: number;
  torch: number;
}

interface CalibrationFixture {
  name: string;
  probs: number[][];
  labels: number[];
  bins: number;
  exact: { ece: number; diagram: ReliabilityBin[] };
  torch: { ece: number };
  boundaryCase?: true;
}

/** Non-finite numbers are stored as the strings "NaN", "Infinity" and "-Infinity". */
function revive(_key: string, value: unknown): unknown {
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return value;
}

const fixturePath = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "losses.json");
const fixtures = JSON.parse(readFileSync(fixturePath, "utf8"), revive) as {
  fitTemperature: TemperatureFixture[];
  calibration: CalibrationFixture[];
};

/** |a - b| / |b|, with equal values (0, Infinity) at 0. */
function relativeError(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.abs(b);
}

const measured = { temperature: 0, temperatureUlps: 0, ece: 0, eceUlps: 0, confidence: 0 };
afterAll(() => {
  console.info(
    `calibration fixtures: fitTemperature max relative error ${measured.temperature.toExponential(2)} (${measured.temperatureUlps} ulp); ` +
    `ECE max relative error ${measured.ece.toExponential(2)} (${measured.eceUlps} ulp); ` +
    `diagram confidence max relative error ${measured.confidence.toExponential(2)}`,
  );
});

/** Mean negative log-likelihood of the labels under softmax(logits / T), by the library's logSoftmax. */
function meanNll(logits: number[][], labels: number[], T: number): number {
  const lp = logSoftmax(logits, { temperature: T }) as number[][];
  let s = 0, c = 0;
  for (let n = 0; n < labels.length; n++) {
    const v = -lp[n][labels[n]];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return (s + c) / labels.length;
}

/**
 * The NLL at T is no larger than at T (1 - 1e-6) and T (1 + 1e-6), give or take `ulps` units of
 * 2^-52 relative (for likelihoods too flat in T for the change to show above their rounding).
 */
function expectMinimum(logits: number[][], labels: number[], T: number, ulps = 0): void {
  const at = meanNll(logits, labels, T);
  for (const other of [meanNll(logits, labels, T * (1 - 1e-6)), meanNll(logits, labels, T * (1 + 1e-6))]) {
    expect(at).toBeLessThanOrEqual(other + ulps * Number.EPSILON * Math.abs(other));
  }
}

describe("fitTemperature against the mpmath references (test/fixtures/losses.json)", () => {
  test("fitTemperature fixtures: there are cases", () => {
    expect(fixtures.fitTemperature.length).toBeGreaterThan(0);
  });
  for (const c of fixtures.fitTemperature) {
    test(`fitTemperature(logits, labels) is within 1e-12 (relative) of the exact T on ${c.name}`, () => {
      const T = fitTemperature(c.logits, c.labels);
      const err = relativeError(T, c.exact);
      measured.temperature = Math.max(measured.temperature, err);
      measured.temperatureUlps = Math.max(measured.temperatureUlps, ulpDistance64(T, c.exact));
      expect(err).toBeLessThanOrEqual(1e-12);
    });
    test(`fitTemperature(logits, labels) agrees with torch's LBFGS fit to 1e-6 (relative) on ${c.name}`, () => {
      expect(relativeError(fitTemperature(c.logits, c.labels), c.torch)).toBeLessThanOrEqual(1e-6);
    });
    if (c.exact > 0 && c.exact < Infinity) {
      test(`fitTemperature(logits, labels) gives no larger a mean NLL than T (1 ± 1e-6) on ${c.name}`, () => {
        expectMinimum(c.logits, c.labels, fitTemperature(c.logits, c.labels));
      });
    }
  }
});

describe("expectedCalibrationError and reliabilityDiagram against the mpmath references", () => {
  test("expectedCalibrationError fixtures: there are cases, boundary cases among them", () => {
    expect(fixtures.calibration.length).toBeGreaterThan(0);
    expect(fixtures.calibration.some((c) => c.boundaryCase)).toBe(true);
  });
  for (const c of fixtures.calibration) {
    test(`expectedCalibrationError(probs, labels, { bins: ${c.bins} }) is within 1e-14 (relative) of the exact ECE on ${c.name}`, () => {
      const ece = expectedCalibrationError(c.probs, c.labels, { bins: c.bins });
      const err = relativeError(ece, c.exact.ece);
      measured.ece = Math.max(measured.ece, err);
      measured.eceUlps = Math.max(measured.eceUlps, ulpDistance64(ece, c.exact.ece));
      if (c.exact.ece === 0) expect(ece).toBe(0);
      else expect(err).toBeLessThanOrEqual(1e-14);
    });
    test(`reliabilityDiagram(probs, labels, { bins: ${c.bins} }) has the exact counts, bounds, accuracies and confidences on ${c.name}`, () => {
      const diagram = reliabilityDiagram(c.probs, c.labels, { bins: c.bins });
      expect(diagram.map((b) => b.count)).toEqual(c.exact.diagram.map((b) => b.count));
      expect(diagram.length).toBe(c.bins);
      diagram.forEach((bin, m) => {
        const want = c.exact.diagram[m];
        expect(bin.lower).toBe(m / c.bins);
        expect(bin.upper).toBe((m + 1) / c.bins);
        expect(ulpDistance64(bin.lower, want.lower)).toBeLessThanOrEqual(1);
        expect(ulpDistance64(bin.upper, want.upper)).toBeLessThanOrEqual(1);
        expect(ulpDistance64(bin.accuracy, want.accuracy)).toBeLessThanOrEqual(1);
        const err = relativeError(bin.confidence, want.confidence);
        measured.confidence = Math.max(measured.confidence, err);
        expect(err).toBeLessThanOrEqual(1e-15);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Synthetic data: labels drawn from softmax(z), so z is calibrated; 3z is over-confident
// ---------------------------------------------------------------------------------------------

/** N samples of C logits, z ~ 2 N(0, 1), and labels drawn from softmax(z) (mulberry32, fixed seed). */
function synthetic(seed: number, N: number, C: number): { z: number[][]; labels: number[] } {
  const next = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform53(next))) * Math.cos(2 * Math.PI * uniform53(next));
  const z: number[][] = [], labels: number[] = [];
  for (let n = 0; n < N; n++) {
    const row = Array.from({ length: C }, () => 2 * gaussian());
    const p = softmax(row) as number[];
    let u = uniform53(next), y = 0;
    while (y < C - 1 && u >= p[y]) u -= p[y++];
    z.push(row);
    labels.push(y);
  }
  return { z, labels };
}

/** The neighbouring doubles of a positive finite x. */
function nextUp(x: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  v.setBigUint64(0, v.getBigUint64(0) + 1n);
  return v.getFloat64(0);
}
function nextDown(x: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  v.setBigUint64(0, v.getBigUint64(0) - 1n);
  return v.getFloat64(0);
}

/** The sign of c - k / M, exactly: c = mantissa * 2^exponent compared as integers (BigInt). */
function exactCompare(c: number, k: number, M: number): number {
  let mantissa = c, exponent = 0;
  while (!Number.isInteger(mantissa)) { mantissa *= 2; exponent--; } // exact: doubles have 53 bits
  const left = BigInt(mantissa) * BigInt(M), right = BigInt(k) << BigInt(-exponent); // c M vs k, times 2^-exponent
  return left > right ? 1 : left < right ? -1 : 0;
}

const scaled = (x: number[][], s: number) => x.map((row) => row.map((v) => v * s));
const transpose = (x: number[][]) => x[0].map((_, c) => x.map((row) => row[c]));

describe("fitTemperature on synthetic data", () => {
  const { z, labels } = synthetic(20170614, 4000, 5);

  test("fitTemperature(logits, labels) returns about 1 on calibrated data", () => {
    expect(Math.abs(fitTemperature(z, labels) - 1)).toBeLessThan(0.1);
  });

  test("fitTemperature(logits, labels) returns more than 2 for over-confident logits (3x)", () => {
    const T = fitTemperature(scaled(z, 3), labels);
    expect(T).toBeGreaterThan(2);
    expect(Math.abs(T / 3 - 1)).toBeLessThan(0.1);
  });

  test("fitTemperature(logits, labels) returns about 0.5 for under-confident logits (x / 2)", () => {
    expect(Math.abs(fitTemperature(scaled(z, 0.5), labels) - 0.5)).toBeLessThan(0.05);
  });

  test("fitTemperature(logits, labels) gives no larger a mean NLL than T (1 ± 1e-6)", () => {
    const small = synthetic(7, 300, 4);
    for (const s of [1, 3, 0.5]) {
      const x = scaled(small.z, s);
      expectMinimum(x, small.labels, fitTemperature(x, small.labels));
    }
  });

  test("fitTemperature(logits, labels, { axis: 0 }) on the transposed logits equals axis -1", () => {
    const small = synthetic(11, 200, 6);
    const T = fitTemperature(small.z, small.labels);
    expect(fitTemperature(transpose(small.z), small.labels, { axis: 0 })).toBe(T);
    expect(fitTemperature(small.z, small.labels, { axis: -1 })).toBe(T);
    expect(fitTemperature(small.z, small.labels, { axis: 1 })).toBe(T);
  });

  test("fitTemperature(tensor, labels) takes Float32Array and Float64Array tensors and Int32Array labels", () => {
    const small = synthetic(13, 200, 3);
    const f32 = Float32Array.from(small.z.flat());
    const rounded = small.z.map((row) => row.map(Math.fround));
    const T32 = fitTemperature({ data: f32, shape: [200, 3] }, Int32Array.from(small.labels));
    expect(T32).toBe(fitTemperature(rounded, small.labels)); // float32 values, float64 arithmetic
    const f64 = { data: Float64Array.from(small.z.flat()), dims: [200, 3] };
    expect(fitTemperature(f64, { data: Float64Array.from(small.labels), shape: [200] })).toBe(fitTemperature(small.z, small.labels));
  });

  test("fitTemperature(x, label) takes one sample as a flat array and a number", () => {
    // one sample, label 0 at logit 1 of [1, 2]: f'(beta) = p_1 (2 - 1) > 0 for all beta, so T = Infinity
    expect(fitTemperature(Float64Array.from([1, 2]), 0)).toBe(Infinity);
    // label 1 at the maximum: T -> 0
    expect(fitTemperature(new Float32Array([1, 2]), 1)).toBe(0);
  });

  test("fitTemperature(2^k logits, labels) is 2^k fitTemperature(logits, labels), also past 2^±500", () => {
    const small = synthetic(17, 100, 3);
    const T = fitTemperature(small.z, small.labels);
    for (const k of [-1000, -600, -20, 3, 600, 1000]) { // 2^k x stays normal: exact
      const s = 2 ** k;
      expect(relativeError(fitTemperature(scaled(small.z, s), small.labels) / s, T)).toBeLessThan(1e-14);
    }
  });

  test("fitTemperature(logits, labels) is 2 / ln 3 on the documented example", () => {
    // 3 of 4 samples labelled 0 at logits [2, 0]: the fit gives class 0 probability 3/4, 1 / (1 + e^(-2/T)),
    // so T = 2 / ln 3 = 1.82047845325367478722... (1.8204784532536749 correctly rounded)
    const T = fitTemperature([[2, 0], [2, 0], [2, 0], [2, 0]], [0, 0, 0, 1]);
    expect(T).toBe(1.8204784532536746);
    expect(ulpDistance64(T, 1.8204784532536749)).toBeLessThanOrEqual(2);
  });

  test("fitTemperature(logits, labels) is stable for logits of 1e4 and 1e300", () => {
    const x = [[2, 0], [2, 0], [2, 0], [2, 0]];
    for (const s of [1e4, 1e300, 1e307]) {
      expect(relativeError(fitTemperature(scaled(x, s), [0, 0, 0, 1]), 1.8204784532536746 * s)).toBeLessThan(1e-15);
    }
    // a large common offset: softmax is shift-invariant, and so is the fit
    const shifted = x.map((row) => row.map((v) => v + 1e4));
    expect(relativeError(fitTemperature(shifted, [0, 0, 0, 1]), 1.8204784532536746)).toBeLessThan(1e-12);
  });
});

describe("fitTemperature limits", () => {
  test("fitTemperature(logits, labels) returns 0 when every label is at its row's maximum (separable)", () => {
    expect(fitTemperature([[3, 1, 0], [0, 2, 1], [1, 1, 5]], [0, 1, 2])).toBe(0);
  });

  test("fitTemperature(logits, labels) returns 0 when labels tie at their rows' maxima", () => {
    expect(fitTemperature([[3, 3, 0], [2, 2, 2], [0, 1, 1]], [1, 0, 2])).toBe(0);
  });

  test("fitTemperature(logits, labels) returns Infinity when labels are no better than uniform (anti-correlated)", () => {
    expect(fitTemperature([[3, 1, 0], [0, 2, 1], [1, 1, 5]], [2, 0, 0])).toBe(Infinity);
  });

  test("fitTemperature(logits, labels) returns Infinity when f'(0) = mean(mean_c x_c - x_y) is exactly 0", () => {
    // rows [1, -1] with labels 0 and 1: mean_c x - x_y = -1 and +1; p_c (x_c - x_y) sums to 2 tanh(beta) > 0
    expect(fitTemperature([[1, -1], [1, -1]], [0, 1])).toBe(Infinity);
  });

  test("fitTemperature(logits, labels) returns 1 when every row is constant", () => {
    expect(fitTemperature([[2, 2, 2], [-1, -1, -1]], [0, 2])).toBe(1);
    expect(fitTemperature([[0]], [0])).toBe(1); // a single class: every row is constant
  });

  test("fitTemperature(logits, labels) ignores constant rows among separable ones (returns 0)", () => {
    expect(fitTemperature([[2, 2, 2], [5, 1, 1]], [1, 0])).toBe(0);
  });
});

describe("fitTemperature properties", () => {
  const logit = fc.oneof(fc.double({ min: -20, max: 20, noNaN: true }), fc.integer({ min: -5, max: 5 }));
  const data = fc.integer({ min: 2, max: 5 }).chain((C) =>
    fc.tuple(
      fc.array(fc.array(logit, { minLength: C, maxLength: C }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(C - 1), { minLength: 12, maxLength: 12 }),
    ).map(([x, y]) => ({ x, y: y.slice(0, x.length) })),
  );

  test("fitTemperature(logits, labels) is a minimum of the mean NLL, or a limit whose condition holds", () => {
    fc.assert(
      fc.property(data, ({ x, y }) => {
        const T = fitTemperature(x, y);
        const atMax = x.every((row, n) => row[y[n]] === Math.max(...row));
        const constant = x.every((row) => row.every((v) => v === row[0]));
        if (constant) return T === 1;
        if (atMax) return T === 0;
        // f'(0) = mean_n mean_c (x_c - x_y), the slope at beta = 0
        const slope0 = x.reduce((s, row, n) => s + row.reduce((a, v) => a + (v - row[y[n]]), 0) / row.length, 0);
        if (T === Infinity) return slope0 >= -1e-12 * x.length;
        if (!(T > 0 && T < Infinity)) return false;
        expect(slope0).toBeLessThan(1e-12 * x.length);
        expectMinimum(x, y, T, 4); // random logits can make the NLL flat to rounding around T
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Calibration metrics: hand cases, boundaries, layouts
// ---------------------------------------------------------------------------------------------

describe("expectedCalibrationError and reliabilityDiagram", () => {
  test("expectedCalibrationError(probs, labels) is 0 for perfectly calibrated probabilities", () => {
    // every confidence 0.75 (one bin), 3 of 4 correct: accuracy 0.75
    const probs = [[0.75, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.25]];
    expect(expectedCalibrationError(probs, [0, 0, 1, 1])).toBe(0);
  });

  test("expectedCalibrationError(probs, labels, { bins: 5 }) is 0.2375 on the documented example", () => {
    // confidences 0.9 (correct), 0.75 (predicts 0, label 1: wrong), 0.65 (correct), 0.55 (correct);
    // bins of width 0.2: (0.4, 0.6] {0.55}: |1 - 0.55| = 0.45; (0.6, 0.8] {0.75, 0.65}: |1 - 1.4| = 0.4;
    // (0.8, 1] {0.9}: |1 - 0.9| = 0.1; ECE = (0.45 + 0.4 + 0.1) / 4 = 0.2375
    const probs = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.55, 0.45]];
    const ece = expectedCalibrationError(probs, [0, 1, 1, 0], { bins: 5 });
    expect(ulpDistance64(ece, 0.2375)).toBeLessThanOrEqual(1);
  });

  test("expectedCalibrationError(probs, labels, { bins: 5 }) bins the doubles 0.6 and 0.8 by their exact values", () => {
    // The double 0.6 is a little below 3/5 (bin 2), 0.8 a little above 4/5 (bin 4, with 0.9). Confidences
    // 0.9 (correct), 0.8 (wrong), 0.7 (correct), 0.6 (correct): gaps |1 - 0.6| = 0.4 in bin 2,
    // |1 - 0.7| = 0.3 in bin 3, |1 - 1.7| = 0.7 in bin 4: ECE = 1.4 / 4 = 0.35 (0.25 were 0.8 in bin 3)
    const probs = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]];
    expect(reliabilityDiagram(probs, [0, 1, 1, 0], { bins: 5 }).map((b) => b.count)).toEqual([0, 0, 1, 1, 2]);
    expect(ulpDistance64(expectedCalibrationError(probs, [0, 1, 1, 0], { bins: 5 }), 0.35)).toBeLessThanOrEqual(1);
  });

  test("reliabilityDiagram(probs, labels, { bins: 2 }) gives the documented diagram", () => {
    expect(reliabilityDiagram([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4]], [0, 0, 0], { bins: 2 })).toEqual([
      { lower: 0, upper: 0.5, confidence: 0, accuracy: 0, count: 0 },
      { lower: 0.5, upper: 1, confidence: 0.7333333333333334, accuracy: 0.6666666666666666, count: 3 },
    ]);
  });

  test("reliabilityDiagram(probs, labels) returns all 15 bins by default, empty ones as zeros", () => {
    const diagram = reliabilityDiagram([[0.9, 0.1]], [0]);
    expect(diagram.length).toBe(15);
    diagram.forEach((bin, m) => {
      expect(bin.lower).toBe(m / 15);
      expect(bin.upper).toBe((m + 1) / 15);
      if (m !== 13) expect(bin).toEqual({ lower: m / 15, upper: (m + 1) / 15, confidence: 0, accuracy: 0, count: 0 });
    });
    expect(diagram[13]).toEqual({ lower: 13 / 15, upper: 14 / 15, confidence: 0.9, accuracy: 1, count: 1 });
  });

  test("reliabilityDiagram(probs, labels, { bins: 2 }) puts a confidence of exactly 0.5 in bin 0", () => {
    expect(reliabilityDiagram([[0.5, 0.5]], [0], { bins: 2 }).map((b) => b.count)).toEqual([1, 0]);
  });

  test("reliabilityDiagram(probs, labels) puts a confidence of 1 in the last bin and of 0 in bin 0", () => {
    expect(reliabilityDiagram([[1, 0], [0, 0]], [0, 0], { bins: 4 }).map((b) => b.count)).toEqual([1, 0, 0, 1]);
    expect(reliabilityDiagram([[0, 0]], [0], { bins: 1 })).toEqual([{ lower: 0, upper: 1, confidence: 0, accuracy: 1, count: 1 }]);
  });

  test("reliabilityDiagram(probs, labels, { bins: 10 }) compares with the exact fractions m / 10, not rounded or accumulated ends", () => {
    // The double 0.3 is a little below 3/10 (though 0.3 * 10 rounds to 3.0000000000000004): bin 2.
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004 is above 3/10: bin 3. The doubles 0.1 and 0.2 are a little
    // above 1/10 and 2/10 (and equal to the doubles 1 / 10 and 2 / 10): bins 1 and 2. 0.7 < 7/10: bin 6.
    const probs = [[0.3, 0.1], [0.1 + 0.1 + 0.1, 0], [0.1, 0], [0.7, 0.3], [0.2, 0]];
    expect(reliabilityDiagram(probs, [0, 0, 0, 0, 0], { bins: 10 }).map((b) => b.count)).toEqual([0, 1, 2, 1, 0, 0, 1, 0, 0, 0]);
  });

  test("reliabilityDiagram(probs, labels, { bins }) puts every confidence k / M, and its neighbours, in the right bin", () => {
    // k / M (a double), the double above it and the double below, against the exact fraction k / M
    for (const M of [3, 7, 10, 15, 49, 100, 1000]) {
      for (let k = 1; k <= M; k++) {
        for (const c of [k / M, nextUp(k / M), nextDown(k / M)]) {
          if (c > 1) continue;
          const exactlyAbove = exactCompare(c, k, M) > 0; // c > k / M as fractions
          const want = exactlyAbove ? Math.min(k, M - 1) : k - 1;
          const counts = reliabilityDiagram([[c, 0]], [0], { bins: M }).map((b) => b.count);
          expect(counts.indexOf(1)).toBe(want);
        }
      }
    }
  });

  test("reliabilityDiagram(probs, labels) predicts the first class among tied maxima", () => {
    const diagram = reliabilityDiagram([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2]], [0, 1], { bins: 1 });
    expect(diagram[0].accuracy).toBe(0.5);
  });

  test("expectedCalibrationError(probs, labels) equals the sum of count / N |accuracy - confidence| over the diagram", () => {
    const { z, labels } = synthetic(23, 500, 4);
    const probs = softmax(scaled(z, 2)) as number[][];
    for (const bins of [1, 3, 10, 15, 100]) {
      const diagram = reliabilityDiagram(probs, labels, { bins });
      expect(diagram.reduce((s, b) => s + b.count, 0)).toBe(500);
      const fromDiagram = diagram.reduce((s, b) => s + (b.count / 500) * Math.abs(b.accuracy - b.confidence), 0);
      expect(relativeError(expectedCalibrationError(probs, labels, { bins }), fromDiagram)).toBeLessThan(1e-13);
    }
  });

  test("expectedCalibrationError(probs, labels) is near 0 for calibrated data and large for over-confident data", () => {
    const { z, labels } = synthetic(29, 4000, 5);
    expect(expectedCalibrationError(softmax(z) as number[][], labels)).toBeLessThan(0.05);
    expect(expectedCalibrationError(softmax(scaled(z, 3)) as number[][], labels)).toBeGreaterThan(0.1);
  });

  test("expectedCalibrationError(probs, labels, { axis: 0 }) on the transposed probabilities equals axis -1", () => {
    const { z, labels } = synthetic(31, 300, 5);
    const probs = softmax(z) as number[][];
    const ece = expectedCalibrationError(probs, labels);
    expect(expectedCalibrationError(transpose(probs), labels, { axis: 0 })).toBe(ece);
    expect(reliabilityDiagram(transpose(probs), labels, { axis: 0 })).toEqual(reliabilityDiagram(probs, labels));
  });

  test("expectedCalibrationError(tensor, labels) takes Float32Array and Float64Array tensors", () => {
    const { z, labels } = synthetic(37, 300, 3);
    const probs = softmax(z) as number[][];
    const f32 = { data: Float32Array.from(probs.flat()), shape: [300, 3] };
    const rounded = probs.map((row) => row.map(Math.fround));
    expect(expectedCalibrationError(f32, Int32Array.from(labels), { bins: 10 })).toBe(expectedCalibrationError(rounded, labels, { bins: 10 }));
    expect(reliabilityDiagram(f32, labels)).toEqual(reliabilityDiagram(rounded, labels));
    const f64 = { data: Float64Array.from(probs.flat()), shape: [300, 3] };
    expect(expectedCalibrationError(f64, labels)).toBe(expectedCalibrationError(probs, labels));
    // one sample as a flat Float32Array, its label a number
    expect(expectedCalibrationError(new Float32Array([0.25, 0.75]), 1, { bins: 4 })).toBe(0.25);
  });

  test("expectedCalibrationError(probs, labels) does not require rows to sum to 1", () => {
    // rows summing to 0.75 and 1.5; confidences 0.5 (bin 0) and 0.75 (bin 1, the first of the tied
    // classes predicted), both correct: (|1 - 0.5| + |1 - 0.75|) / 2 = 0.375
    expect(expectedCalibrationError([[0.5, 0.25], [0.75, 0.75]], [0, 0], { bins: 2 })).toBe(0.375);
  });
});

// ---------------------------------------------------------------------------------------------
// Errors: TypeError for the wrong kind, RangeError for sizes and ranges; the message names the
// function, the parameter and the value
// ---------------------------------------------------------------------------------------------

type Call = (x: unknown, labels: unknown, options?: unknown) => unknown;
const calls: Record<string, Call> = {
  fitTemperature: fitTemperature as Call,
  expectedCalibrationError: expectedCalibrationError as Call,
  reliabilityDiagram: reliabilityDiagram as Call,
};

interface ErrorCase {
  name: string;
  fns: string[];
  x: unknown;
  labels: unknown;
  options?: unknown;
  error: typeof TypeError | typeof RangeError;
  says: string[];
}

const ALL = Object.keys(calls);
const METRICS = ["expectedCalibrationError", "reliabilityDiagram"];
const P = [[0.6, 0.4], [0.2, 0.8]];

const errorCases: ErrorCase[] = [
  { name: "labels as a string", fns: ALL, x: P, labels: "0,1", error: TypeError, says: ["labels must be", 'string "0,1"'] },
  { name: "labels of the wrong length", fns: ALL, x: P, labels: [0, 1, 1], error: RangeError, says: ["labels must have shape [2]", "Array(3)"] },
  { name: "a label out of range", fns: ALL, x: P, labels: [0, 2], error: RangeError, says: ["labels[1] must be a class index, an integer in [0, 1]", "got 2"] },
  { name: "a negative label", fns: ALL, x: P, labels: [-1, 0], error: RangeError, says: ["labels[0]", "got -1"] },
  { name: "a fractional label", fns: ALL, x: P, labels: [0, 0.5], error: RangeError, says: ["labels[1]", "got 0.5"] },
  { name: "a string label", fns: ALL, x: P, labels: [0, "1"], error: TypeError, says: ["labels[1] must be a number", 'string "1"'] },
  { name: "probabilities as labels", fns: ALL, x: P, labels: P, error: RangeError, says: ["labels must hold class indices"] },
  { name: "x as a string", fns: ALL, x: "abc", labels: [0], error: TypeError, says: ["must be a number[]", 'string "abc"'] },
  { name: "options not an object", fns: ALL, x: P, labels: [0, 1], options: 3, error: TypeError, says: ["options must be an object", "got 3"] },
  { name: "axis out of range", fns: ALL, x: P, labels: [0, 1], options: { axis: 2 }, error: RangeError, says: ["axis must be an integer in [-2, 1]", "got 2"] },
  { name: "axis as a string", fns: ALL, x: P, labels: [0, 1], options: { axis: "0" }, error: TypeError, says: ["axis must be an integer", 'string "0"'] },
  { name: "no samples", fns: ALL, x: { data: new Float64Array(0), shape: [0, 3] }, labels: [], error: RangeError, says: ["at least one sample", "[0, 3]"] },
  { name: "no classes", fns: ALL, x: [[], []], labels: [0, 0], error: RangeError, says: ["at least one class", "[2, 0]"] },
  { name: "a NaN logit", fns: ["fitTemperature"], x: [[1, 2], [3, NaN]], labels: [0, 1], error: RangeError, says: ["logits[1][1] must be finite", "mask", "got NaN"] },
  { name: "an Infinity logit", fns: ["fitTemperature"], x: new Float64Array([1, Infinity]), labels: 0, error: RangeError, says: ["logits[1] must be finite", "got Infinity"] },
  { name: "a -Infinity logit", fns: ["fitTemperature"], x: { data: new Float32Array([-Infinity, 0]), shape: [1, 2] }, labels: [0], error: RangeError, says: ["logits.data[0] must be finite", "got -Infinity"] },
  { name: "a probability above 1", fns: METRICS, x: [[0.5, 0.5], [0.2, 1.5]], labels: [0, 1], error: RangeError, says: ["probs[1][1] must be a probability, in [0, 1]", "got 1.5"] },
  { name: "a negative probability", fns: METRICS, x: new Float64Array([-0.25, 1]), labels: 1, error: RangeError, says: ["probs[0] must be a probability", "got -0.25"] },
  { name: "a NaN probability", fns: METRICS, x: { data: new Float32Array([0.5, NaN]), shape: [1, 2] }, labels: [0], error: RangeError, says: ["probs.data[1] must be a probability", "got NaN"] },
  { name: "bins 0", fns: METRICS, x: P, labels: [0, 1], options: { bins: 0 }, error: RangeError, says: ["bins must be a positive integer", "got 0"] },
  { name: "bins 1.5", fns: METRICS, x: P, labels: [0, 1], options: { bins: 1.5 }, error: RangeError, says: ["bins must be a positive integer", "got 1.5"] },
  { name: "bins as a string", fns: METRICS, x: P, labels: [0, 1], options: { bins: "3" }, error: TypeError, says: ["bins must be a positive integer", 'string "3"'] },
];

describe("calibration errors", () => {
  for (const c of errorCases) {
    for (const fn of c.fns) {
      test(`${fn}(...) throws ${c.error.name} for ${c.name}`, () => {
        const name = fn === "fitTemperature" ? "logits" : "probs";
        let thrown: unknown;
        try {
          calls[fn](c.x, c.labels, c.options);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(c.error);
        const message = (thrown as Error).message;
        expect(message.startsWith(`${fn}: `)).toBe(true);
        for (const fragment of c.says) expect(message).toContain(fragment);
        if (c.name === "x as a string" || c.name === "no samples" || c.name === "no classes") expect(message).toContain(name);
      });
    }
  }
});
