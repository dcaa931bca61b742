// Properties of softmax, logSoftmax and logSumExp that hold for every input, checked with fast-check.
// Tolerances are derived from the published bound (each output within 4 ulp of the exact value) and
// stated next to each property; u = 2^-53 is the unit roundoff of float64.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";
import { ulpDistance32, ulpDistance64 } from "./support/ulp.js";
import { useKernels } from "../src/kernels/active.js";
import { jsKernels } from "../src/kernels/js/index.js";
import { accurateSum } from "./support/sums.js";

const u = 2 ** -53;
const RUNS = { numRuns: 300 };

/** Finite logits over the magnitudes the package meets (and a little beyond). */
const logit = fc.oneof(
  fc.double({ min: -50, max: 50, noNaN: true }),
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  fc.integer({ min: -1000, max: 1000 }),
);
const row = fc.array(logit, { minLength: 1, maxLength: 70 });
/** Dyadic values k / 256: sums and differences of them are exact, so shifts are exact too. */
const dyadic = fc.integer({ min: -256 * 600, max: 256 * 600 }).map((k) => k / 256);
const dyadicRow = fc.array(dyadic, { minLength: 1, maxLength: 40 });

/** The spacing of doubles at v (its ulp), read from the exponent bits. */
const view = new DataView(new ArrayBuffer(8));
function ulpOf(v: number): number {
  view.setFloat64(0, Math.abs(v));
  const exponent = view.getUint16(0) >> 4;
  return exponent === 0 ? 2 ** -1074 : 2 ** (exponent - 1075);
}

describe("softmax is a probability distribution", () => {
  // Each p_i is within 4 ulp <= 8u p_i of its exact value (or 4 * 2^-1074 when subnormal), and the
  // exact values sum to 1; the test's own sum adds at most 2u. So |sum - 1| <= 10u + n 2^-1072.
  test("softmax(x) sums to 1 within 10u + n * 2^-1072 (float64)", () => {
    fc.assert(fc.property(row, (x) => {
      const s = accurateSum(softmax(x));
      expect(Math.abs(s - 1)).toBeLessThanOrEqual(10 * u + x.length * 2 ** -1072);
    }), RUNS);
  });

  // In float32 each entry is within 4 float32 ulps <= 2^-20 p_i (or 4 * 2^-149 when subnormal).
  test("softmax(Float32Array) sums to 1 within 2^-20 + n * 2^-147 (float32)", () => {
    fc.assert(fc.property(row, (x) => {
      const s = accurateSum(softmax(Float32Array.from(x)));
      expect(Math.abs(s - 1)).toBeLessThanOrEqual(2 ** -20 + x.length * 2 ** -147);
    }), RUNS);
  });

  test("softmax(x) lies in [0, 1] and the largest logit gets the largest probability", () => {
    fc.assert(fc.property(row, (x) => {
      const p = softmax(x);
      for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
      const best = x.indexOf(Math.max(...x));
      expect(p[best]).toBe(Math.max(...p));
    }), RUNS);
  });

  test("softmax preserves order: x_i < x_j implies p_i <= p_j", () => {
    fc.assert(fc.property(row, (x) => {
      const p = softmax(x);
      const order = x.map((_, i) => i).sort((i, j) => x[i] - x[j]);
      for (let k = 1; k < order.length; k++) {
        if (x[order[k - 1]] < x[order[k]]) expect(p[order[k - 1]]).toBeLessThanOrEqual(p[order[k]]);
      }
    }), RUNS);
  });
});

describe("invariances", () => {
  // x + c is exact for dyadic x and integer c; both results are within 4 ulp of the same exact values.
  test("softmax(x + c) equals softmax(x) within 8 ulp (shift invariance)", () => {
    fc.assert(fc.property(dyadicRow, fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), (x, c) => {
      const p = softmax(x), q = softmax(x.map((v) => v + c));
      p.forEach((v, i) => expect(ulpDistance64(v, q[i])).toBeLessThanOrEqual(8));
    }), RUNS);
  });

  // Dividing by a power of two is exact, so both sides have the same exact values.
  test("softmax(x, { temperature: 2^k }) equals softmax(x / 2^k) within 8 ulp", () => {
    fc.assert(fc.property(row, fc.integer({ min: -6, max: 6 }), (x, k) => {
      const T = 2 ** k;
      const p = softmax(x, { temperature: T }), q = softmax(x.map((v) => v / T));
      p.forEach((v, i) => expect(ulpDistance64(v, q[i])).toBeLessThanOrEqual(8));
    }), RUNS);
  });

  // Both are within 4 ulp of the same exact sigmoid value; the test's sigmoid is within 2 ulp
  // (exp < 1 ulp, the add and the division half an ulp each) of it, so they differ by at most 6.
  test("softmax([a, b])[0] is sigmoid(a - b) within 6 ulp (two classes)", () => {
    fc.assert(fc.property(dyadic, dyadic, (a, b) => {
      const z = a - b; // exact for dyadic a and b
      const sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); // never overflows
      expect(ulpDistance64(softmax([a, b])[0], sigmoid)).toBeLessThanOrEqual(6);
    }), RUNS);
  });

  test("a masked entry behaves exactly like a -Infinity entry", () => {
    fc.assert(fc.property(row.chain((x) => fc.tuple(fc.constant(x), fc.array(fc.boolean(), { minLength: x.length, maxLength: x.length }))), ([x, keep]) => {
      const mask = keep.map(Number);
      const minus = x.map((v, i) => (keep[i] ? v : -Infinity));
      expect(softmax(x, { mask })).toEqual(softmax(minus));
      expect(logSoftmax(x, { mask })).toEqual(logSoftmax(minus));
      expect(logSumExp(x, { mask })).toBe(logSumExp(minus));
    }), RUNS);
  });
});

describe("logSoftmax and logSumExp", () => {
  // log(p^) = log(p) + log(1 + d) with |d| <= 8u; Math.log adds at most an ulp of the result, and
  // logSoftmax is within 4 ulp of log(p): so |logSoftmax - log(softmax)| <= 8.1u + 5 ulp.
  test("logSoftmax(x) equals log(softmax(x)) wherever softmax(x) is a normal number", () => {
    fc.assert(fc.property(row, (x) => {
      const p = softmax(x), lp = logSoftmax(x);
      p.forEach((v, i) => {
        if (v < 2 ** -1022) return;
        expect(Math.abs(lp[i] - Math.log(v))).toBeLessThanOrEqual(8.1 * u + 5 * ulpOf(lp[i]));
      });
    }), RUNS);
  });

  test("logSoftmax(x) stays finite where softmax(x) underflows to 0 (no log(0))", () => {
    fc.assert(fc.property(fc.double({ min: 800, max: 1e5, noNaN: true }), (gap) => {
      const lp = logSoftmax([0, -gap]);
      expect(Number.isFinite(lp[1])).toBe(true);
      expect(lp[1]).toBeLessThan(-799);
    }), RUNS);
  });

  test("logSumExp(x) is at least max(x) and at most max(x) + log(n)", () => {
    fc.assert(fc.property(row, (x) => {
      const max = Math.max(...x), lse = logSumExp(x);
      expect(lse).toBeGreaterThanOrEqual(max);
      const top = max + Math.log(x.length);
      expect(lse).toBeLessThanOrEqual(top + 4 * ulpOf(top));
    }), RUNS);
  });

  // Each logSumExp is within 4 ulp of its exact value; the errors of the parts move the whole by at
  // most their size, so the two sides differ by at most 12 ulp of the largest magnitude involved.
  test("logSumExp(a ++ b) equals logSumExp([logSumExp(a), logSumExp(b)])", () => {
    fc.assert(fc.property(row, row, (a, b) => {
      const la = logSumExp(a), lb = logSumExp(b);
      const whole = logSumExp([...a, ...b]), parts = logSumExp([la, lb]);
      const scale = Math.max(Math.abs(la), Math.abs(lb), Math.abs(whole));
      expect(Math.abs(whole - parts)).toBeLessThanOrEqual(12 * ulpOf(scale));
    }), RUNS);
  });

  test("softmax(x) is exp(logSoftmax(x)) within the accuracy of exp", () => {
    fc.assert(fc.property(row, (x) => {
      const p = softmax(x), lp = logSoftmax(x);
      p.forEach((v, i) => {
        const e = Math.exp(lp[i]);
        if (e < 2 ** -1022) return; // subnormal: absolute comparisons only
        // exp(lp^) = p (1 + lp error) with |lp error| <= 4 ulp(lp): up to 4 ulp(lp) * 2^53 ulps of p
        const tolerance = 4 + 1 + 4 * ulpOf(lp[i]) / u / 2;
        expect(ulpDistance64(v, e)).toBeLessThanOrEqual(tolerance);
      });
    }), RUNS);
  });
});

describe("temperature", () => {
  // The entropy of softmax(x / T) is non-decreasing in T: dH/dT = Var(x / T) / T >= 0.
  test("the entropy of softmax(x, { temperature }) never decreases as the temperature rises", () => {
    const entropy = (x: number[], T: number) => {
      const p = softmax(x, { temperature: T }), lp = logSoftmax(x, { temperature: T });
      return -accurateSum(p.map((v, i) => (v > 0 ? v * lp[i] : 0)));
    };
    fc.assert(fc.property(
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 30 }),
      fc.double({ min: 0.05, max: 20, noNaN: true }), fc.double({ min: 0.05, max: 20, noNaN: true }),
      (x, t1, t2) => {
        const [lo, hi] = t1 < t2 ? [t1, t2] : [t2, t1];
        const hLo = entropy(x, lo), hHi = entropy(x, hi);
        expect(hLo).toBeLessThanOrEqual(hHi + 1e-13 * (1 + hHi));
      }), RUNS);
  });

  test("float32 results are the float64 results rounded to float32, to within 2 float32 ulps", () => {
    fc.assert(fc.property(row, fc.constantFrom(1, 0.7, 2.5), (x, T) => {
      const x32 = Float32Array.from(x);
      const p32 = softmax(x32, { temperature: T }), p64 = softmax(Float64Array.from(x32), { temperature: T });
      const l32 = logSoftmax(x32, { temperature: T }), l64 = logSoftmax(Float64Array.from(x32), { temperature: T });
      p32.forEach((v, i) => expect(ulpDistance32(v, Math.fround(p64[i]))).toBeLessThanOrEqual(2));
      l32.forEach((v, i) => expect(ulpDistance32(v, Math.fround(l64[i]))).toBeLessThanOrEqual(2));
    }), RUNS);
  });
});

describe("layouts", () => {
  const shape3 = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));
  const tensor3 = shape3.chain((shape) =>
    fc.tuple(fc.constant(shape), fc.array(logit, { minLength: shape[0] * shape[1] * shape[2], maxLength: shape[0] * shape[1] * shape[2] })));

  test("nested arrays, typed arrays and tensors give the same numbers", () => {
    fc.assert(fc.property(tensor3, ([[a, b, c], values]) => {
      const nested = Array.from({ length: a }, (_, i) => Array.from({ length: b }, (_, j) => values.slice((i * b + j) * c, (i * b + j + 1) * c)));
      const tensor = { data: Float64Array.from(values), shape: [a, b, c] };
      expect(softmax(nested).flat(2)).toEqual(Array.from(softmax(tensor).data));
      expect((logSumExp(nested) as number[][]).flat()).toEqual(Array.from(logSumExp(tensor).data as Float64Array));
      // A short row alone and the same row inside a larger call may go to different kernel sets
      // (src/kernels/wasm/dispatch.ts), which agree only in ulps: compare the layouts on one set.
      const lastRow = values.slice(-c);
      useKernels(jsKernels);
      try {
        expect(Array.from(softmax(Float64Array.from(lastRow)))).toEqual(softmax(nested)[a - 1][b - 1]);
      } finally {
        useKernels(null);
      }
    }), RUNS);
  });

  test("working along axis k equals moving axis k last, working there, and moving it back", () => {
    fc.assert(fc.property(tensor3, fc.integer({ min: 0, max: 2 }), fc.constantFrom(1, 0.5), ([shape, values], axis, T) => {
      const data = Float64Array.from(values);
      const strides = [shape[1] * shape[2], shape[2], 1];
      const order = [0, 1, 2].filter((d) => d !== axis).concat(axis); // axis moved last
      const movedShape = order.map((d) => shape[d]);
      const moved = new Float64Array(data.length);
      const index = (i: number[]) => order.reduce((s, d, k) => s + i[k] * strides[d], 0);
      let m = 0;
      for (let i = 0; i < movedShape[0]; i++) for (let j = 0; j < movedShape[1]; j++) for (let k = 0; k < movedShape[2]; k++) moved[m++] = data[index([i, j, k])];
      const direct = softmax({ data, shape }, { axis, temperature: T }).data;
      const viaLast = softmax({ data: moved, shape: movedShape }, { temperature: T }).data;
      m = 0;
      for (let i = 0; i < movedShape[0]; i++) for (let j = 0; j < movedShape[1]; j++) for (let k = 0; k < movedShape[2]; k++) {
        expect(direct[index([i, j, k])]).toBe(viaLast[m++]);
      }
      const lseDirect = logSumExp({ data, shape }, { axis, temperature: T }).data as Float64Array;
      const lseLast = logSumExp({ data: moved, shape: movedShape }, { temperature: T }).data as Float64Array;
      expect(Array.from(lseDirect)).toEqual(Array.from(lseLast));
    }), RUNS);
  });
});
