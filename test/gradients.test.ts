// softmaxVjp, logSoftmaxVjp and softmaxJacobian against test/fixtures/losses.json (torch autograd and
// mpmath), against finite differences of softmax / logSoftmax, and against each other.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { logSoftmax, logSoftmaxVjp, softmax, softmaxJacobian, softmaxVjp } from "../src/index.js";
import { flat, lossFixtures, maxError, shapeOf } from "./support/lossFixtures.js";

const largest = (v: unknown) => Math.max(...flat(v).map(Math.abs));

/**
 * torch parity: within 1e-10 of the largest entry where torch is accurate; where the fixture marks
 * torch inexact (cancellation in its formula), ours must be at least as close to mpmath as torch is.
 */
function checkTorch(got: unknown, c: { torch: unknown; exact: unknown; torchInexact?: boolean }): void {
  const units = (v: unknown) => maxError(v, c.exact, "float64", largest(c.exact));
  if (c.torchInexact) expect(units(got)).toBeLessThanOrEqual(units(c.torch));
  else expect(maxError(got, c.torch, "float64", largest(c.torch)) * 2 ** -52).toBeLessThanOrEqual(1e-10);
}
const worst: Record<string, number> = {};
const note = (key: string, e: number) => { worst[key] = Math.max(worst[key] ?? 0, e); return e; };

describe("gradient fixtures", () => {
  for (const c of lossFixtures.softmaxVjp) {
    test(`softmaxVjp(probs, g) matches mpmath and torch autograd: ${c.name}`, () => {
      const got = softmaxVjp(c.probs, c.cotangent, { axis: c.axis, temperature: c.temperature });
      expect(shapeOf(got)).toEqual(shapeOf(c.probs));
      expect(note("softmaxVjp normwise", maxError(got, c.exact, "float64", largest(c.exact)))).toBeLessThanOrEqual(2);
      checkTorch(got, c);
    });
  }
  for (const c of lossFixtures.logSoftmaxVjp) {
    test(`logSoftmaxVjp(logProbs, g) matches mpmath and torch autograd: ${c.name}`, () => {
      const got = logSoftmaxVjp(c.logProbs, c.cotangent, { axis: c.axis, temperature: c.temperature });
      expect(note("logSoftmaxVjp normwise", maxError(got, c.exact, "float64", largest(c.exact)))).toBeLessThanOrEqual(2);
      checkTorch(got, c);
    });
  }
  for (const c of lossFixtures.softmaxJacobian) {
    test(`softmaxJacobian(x) matches mpmath and torch.autograd.functional.jacobian: ${c.name}`, () => {
      const got = softmaxJacobian(c.x, { temperature: c.temperature });
      expect(note("softmaxJacobian elementwise", maxError(got, c.exact, "float64"))).toBeLessThanOrEqual(4);
      checkTorch(got, c);
      if (c.dtype === "float32") {
        const typed = softmaxJacobian(Float32Array.from(c.x), { temperature: c.temperature });
        expect(typed).toBeInstanceOf(Float32Array);
        expect(maxError(typed, c.exact, "float32", largest(c.exact))).toBeLessThanOrEqual(1);
      }
    });
  }
});

const vectors = fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(
  fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: n, maxLength: n }),
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
));
const temperatures = fc.constantFrom(1, 0.5, 2, 7);

describe("gradient properties", () => {
  test("softmaxVjp(p, g) equals the Jacobian times g", () => {
    fc.assert(fc.property(vectors, temperatures, ([x, g], T) => {
      const J = softmaxJacobian(x, { temperature: T });
      const vjp = softmaxVjp(softmax(x, { temperature: T }), g, { temperature: T });
      J.forEach((row, i) => {
        const Jg = row.reduce((s, v, j) => s + v * g[j], 0);
        expect(Math.abs(vjp[i] - Jg)).toBeLessThanOrEqual(1e-14 * (1 + largest(g)) / T);
      });
    }));
  });
  test("softmaxVjp and logSoftmaxVjp match central finite differences of g . softmax(x / T) and g . logSoftmax(x / T)", () => {
    fc.assert(fc.property(vectors, temperatures, ([x, g], T) => {
      const h = 1e-6;
      const dot = (f: (v: number[]) => number[], v: number[]) => f(v).reduce((s, p, i) => s + p * g[i], 0);
      const sm = (v: number[]) => softmax(v, { temperature: T }), lsm = (v: number[]) => logSoftmax(v, { temperature: T });
      const a = softmaxVjp(sm(x), g, { temperature: T }), b = logSoftmaxVjp(lsm(x), g, { temperature: T });
      for (let i = 0; i < x.length; i++) {
        const up = x.slice(), down = x.slice();
        up[i] += h;
        down[i] -= h;
        expect(Math.abs((dot(sm, up) - dot(sm, down)) / (2 * h) - a[i])).toBeLessThanOrEqual(1e-6);
        expect(Math.abs((dot(lsm, up) - dot(lsm, down)) / (2 * h) - b[i])).toBeLessThanOrEqual(1e-6);
      }
    }));
  });
  test("softmaxJacobian(x) is symmetric and its rows sum to 0", () => {
    fc.assert(fc.property(vectors, ([x]) => {
      const J = softmaxJacobian(x);
      J.forEach((row, i) => {
        expect(Math.abs(row.reduce((s, v) => s + v, 0))).toBeLessThanOrEqual(4e-16);
        row.forEach((v, j) => expect(v).toBe(J[j][i]));
      });
    }));
  });
  test("softmaxJacobian keeps the digits of a near one-hot row: J[0][0] = p0 (1 - p0) with 1 - p0 = e^-40", () => {
    const J = softmaxJacobian([40, 0]);
    const rest = Math.exp(-40) / (1 + Math.exp(-40));
    expect(Math.abs(J[0][0] / rest - 1)).toBeLessThan(1e-15);
  });
  test("softmaxVjp with a mask leaves masked entries out of the sum and gives them 0", () => {
    const p = [0.5, 0, 0.5], g = [1, 100, 3];
    expect(softmaxVjp(p, g, { mask: [1, 0, 1] })).toEqual([-0.5, 0, 0.5]);
    expect(logSoftmaxVjp([Math.log(0.5), -Infinity, Math.log(0.5)], g, { mask: [true, false, true] })).toEqual([-1, 0, 1]);
  });
  test("softmaxVjp at temperature 0 gives zeros, and never NaN", () => {
    expect(softmaxVjp([1, 0, 0], [1, 2, 3], { temperature: 0 })).toEqual([0, 0, 0]);
    expect(softmaxJacobian([1, 2], { temperature: 0 })).toEqual([[0, 0], [0, 0]]);
  });
  test("softmaxVjp on a tensor along axis 0 equals the row-wise result of the transpose, into out", () => {
    const probs = { data: Float64Array.from([0.2, 0.5, 0.8, 0.5]), shape: [2, 2] }; // columns are distributions
    const out = new Float64Array(4);
    const got = softmaxVjp(probs, [1, 0, 0, 1], { axis: 0, out });
    expect(got.data).toBe(out);
    const columns = [softmaxVjp([0.2, 0.8], [1, 0]), softmaxVjp([0.5, 0.5], [0, 1])];
    expect(Array.from(out)).toEqual([columns[0][0], columns[1][0], columns[0][1], columns[1][1]]);
  });
});

describe("gradient arguments that are wrong throw, naming the parameter", () => {
  test("softmaxVjp with a cotangent of another shape throws RangeError naming cotangent", () => {
    expect(() => softmaxVjp([0.5, 0.5], [1, 2, 3])).toThrow(RangeError);
    expect(() => softmaxVjp([0.5, 0.5], [1, 2, 3])).toThrow("cotangent");
  });
  test("logSoftmaxVjp without a cotangent throws TypeError naming cotangent", () => {
    expect(() => logSoftmaxVjp([0, 0], undefined as never)).toThrow(TypeError);
    expect(() => logSoftmaxVjp([0, 0], undefined as never)).toThrow("cotangent");
  });
  test("softmaxJacobian of a 2-D input throws RangeError naming x", () => {
    expect(() => softmaxJacobian([[1, 2]] as never)).toThrow(RangeError);
    expect(() => softmaxJacobian([[1, 2]] as never)).toThrow("x must be 1-D");
  });
  test("softmaxJacobian with a negative temperature throws RangeError naming temperature", () => {
    expect(() => softmaxJacobian([1, 2], { temperature: -1 })).toThrow(/temperature.*-1/);
  });
});

test("the measured maxima (printed for the README)", () => {
  console.log(`gradients: max errors vs mpmath: ${JSON.stringify(worst)}`);
  expect(Object.keys(worst).length).toBeGreaterThan(0);
});
