// crossEntropy, crossEntropyWithGrad and nllLoss against test/fixtures/losses.json (PyTorch 1.13 and
// mpmath, from test/fixtures/losses.py), on each kernel set (the softmax pass runs on the active
// kernels); then properties, the torch edge semantics, and bad input.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { crossEntropy, crossEntropyWithGrad, nllLoss, softmax } from "../src/index.js";
import { kernelSets, testWasmKernelsLoad, withKernels } from "./support/kernelSets.js";
import { flat, lossFixtures, maxError, shapeOf } from "./support/lossFixtures.js";

testWasmKernelsLoad();

/** Largest |value| of a nested result: the scale of the normwise gradient error. */
const largest = (v: unknown) => Math.max(...flat(v).map(Math.abs));

/** Max errors seen, per measure, printed at the end (the figures of the README and the closing note). */
const worst: Record<string, number> = {};
const note = (key: string, e: number) => { worst[key] = Math.max(worst[key] ?? 0, e); return e; };

describe.each(kernelSets)("crossEntropy fixtures with the $name kernels", (kernels) => {
  withKernels(kernels);
  for (const c of lossFixtures.crossEntropy) {
    const options = { ...c.options, axis: c.axis };
    test(`crossEntropy(logits, target) matches mpmath: ${c.name}`, () => {
      const loss = crossEntropy(c.logits, c.target, options);
      expect(note("loss ulp", maxError(loss, c.exact.loss, "float64"))).toBeLessThanOrEqual(2);
    });
    test(`crossEntropyWithGrad(logits, target) matches mpmath and torch autograd: ${c.name}`, () => {
      const { loss, grad } = crossEntropyWithGrad(c.logits, c.target, options) as { loss: unknown; grad: unknown };
      expect(note("loss ulp", maxError(loss, c.exact.loss, "float64"))).toBeLessThanOrEqual(2);
      expect(shapeOf(grad)).toEqual(shapeOf(c.logits));
      // Normwise: each entry's error relative to the largest gradient entry (entries of A p - a cancel).
      expect(note("grad normwise", maxError(grad, c.exact.grad, "float64", largest(c.exact.grad)))).toBeLessThanOrEqual(2);
      if (c.targetKind === "indices" && !c.options.labelSmoothing) {
        expect(note("grad elementwise (class indices)", maxError(grad, c.exact.grad, "float64"))).toBeLessThanOrEqual(4);
      }
      if (c.torchDiverges) {
        expect(Number.isNaN(flat(c.torch.loss)[0]) || flat(c.torch.loss).some(Number.isNaN)).toBe(true);
        expect(flat(loss).every(Number.isFinite)).toBe(true);
      } else {
        // torch differs from the exact values by its own rounding (it loses losses below 1e-16 entirely).
        const tolerance = 1e-13 * Math.max(1, largest(c.torch.loss));
        flat(loss).forEach((v, i) => expect(Math.abs(v - flat(c.torch.loss)[i]) <= tolerance || Object.is(v, flat(c.torch.loss)[i])).toBe(true));
        const gTolerance = 1e-13 * Math.max(1, largest(c.torch.grad));
        flat(grad).forEach((v, i) => expect(Math.abs(v - flat(c.torch.grad)[i])).toBeLessThanOrEqual(gTolerance));
        note("torch loss abs diff", Math.max(...flat(loss).map((v, i) => Math.abs(v - flat(c.torch.loss)[i]) || 0)));
      }
    });
    if (c.dtype === "float32" || c.name.startsWith("2d")) {
      test(`crossEntropyWithGrad on a ${c.dtype} tensor gives the same within float32/64 rounding: ${c.name}`, () => {
        const shape = shapeOf(c.logits);
        const Type = c.dtype === "float32" ? Float32Array : Float64Array;
        const data = Type.from(flat(c.logits));
        const target = c.targetKind === "indices" ? Int32Array.from(flat(c.target)) : Type.from(flat(c.target));
        const { loss, grad } = crossEntropyWithGrad({ data, shape }, target, options) as { loss: unknown; grad: { data: Float32Array | Float64Array } };
        expect(grad.data).toBeInstanceOf(Type);
        const dtype = c.dtype === "float32" ? "float32" : "float64";
        expect(note(`${dtype} tensor grad normwise`, maxError(grad, c.exact.grad, dtype, largest(c.exact.grad)))).toBeLessThanOrEqual(2);
        expect(maxError(loss, c.exact.loss, dtype)).toBeLessThanOrEqual(2);
      });
    }
  }
});

describe("nllLoss fixtures", () => {
  for (const c of lossFixtures.nllLoss) {
    test(`nllLoss(logProbs, target) matches torch's nll_loss: ${c.name}`, () => {
      const loss = nllLoss(c.logProbs, c.target, { ...c.options, axis: c.axis });
      expect(note("nll ulp", maxError(loss, c.exact.loss, "float64"))).toBeLessThanOrEqual(2);
      expect(maxError(loss, c.torch.loss, "float64")).toBeLessThanOrEqual(4);
    });
  }
});

test("the fixtures cover what the issue asks for", () => {
  const names = lossFixtures.crossEntropy.map((c) => c.name).join(" ");
  for (const part of ["smoothing", "weights", "ignore", "prob", "rank3", "float32", "none", "sum", "mean"]) expect(names).toContain(part);
  expect(lossFixtures.crossEntropy.some((c) => flat(c.logits).some((v) => Math.abs(v) >= 1e4))).toBe(true);
});

describe("crossEntropy semantics", () => {
  test("crossEntropy(logits, target) never goes through log(softmax): logits 1e4 apart give exact losses", () => {
    expect(crossEntropy([1e4, 0, -1e4], 2)).toBe(20000);
    expect(crossEntropy([[1e4, 0, -1e4]], [1], { reduction: "sum" })).toBe(1e4);
  });
  test("crossEntropyWithGrad keeps a loss of 4e-18 and its gradient (torch rounds both to 0)", () => {
    const { loss, grad } = crossEntropyWithGrad([50, 10, 0], 0);
    const rest = Math.exp(-40) + Math.exp(-50);
    expect(loss).toBeCloseTo(rest, 30);
    expect(Math.abs(loss / rest - 1)).toBeLessThan(1e-15);
    expect(Math.abs(grad[0] / -rest - 1)).toBeLessThan(1e-15);
  });
  test("crossEntropy with every target ignored: mean NaN, sum 0, zero gradient (torch)", () => {
    const x = [[1, 2, 3], [4, 5, 6]];
    expect(crossEntropy(x, [-100, -100], { ignoreIndex: -100 })).toBeNaN();
    expect(crossEntropy(x, [-100, -100], { ignoreIndex: -100, reduction: "sum" })).toBe(0);
    const { loss, grad } = crossEntropyWithGrad(x, [-100, -100], { ignoreIndex: -100 });
    expect(loss).toBeNaN();
    expect(flat(grad).every((v) => v === 0)).toBe(true);
  });
  test("crossEntropy with a -Infinity logit where the target puts no weight is finite, with weight is Infinity", () => {
    expect(crossEntropy([0, -Infinity, 1], [0.5, 0, 0.5])).toBeCloseTo(0.8132616875182228, 14);
    expect(crossEntropy([0, -Infinity, 1], 1)).toBe(Infinity);
  });
  test("crossEntropy on a row with a NaN logit gives NaN for that sample only", () => {
    const losses = crossEntropy([[1, NaN], [1, 2]], [0, 0], { reduction: "none" });
    expect(losses[0]).toBeNaN();
    expect(losses[1]).toBeCloseTo(1.3132616875182228, 14);
  });
  test("crossEntropy over axis 0 equals crossEntropy over the last axis of the transpose", () => {
    const x = [[1, 4], [2, 5], [3, 6]]; // classes along axis 0: samples are the columns
    expect(crossEntropy(x, [2, 0], { axis: 0, reduction: "none" })).toEqual(crossEntropy([[1, 2, 3], [4, 5, 6]], [2, 0], { reduction: "none" }));
  });
});

describe("crossEntropy properties", () => {
  const rows = fc.integer({ min: 1, max: 5 }).chain((n) => fc.integer({ min: 2, max: 9 }).chain((c) => fc.tuple(
    fc.array(fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: c, maxLength: c }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
  )));
  test("crossEntropyWithGrad's gradient sums to 0 on every row without smoothing or weights", () => {
    fc.assert(fc.property(rows, ([x, y]) => {
      const { grad } = crossEntropyWithGrad(x, y, { reduction: "sum" });
      for (const row of grad) {
        const scale = Math.max(...row.map(Math.abs));
        expect(Math.abs(row.reduce((s, v) => s + v, 0))).toBeLessThanOrEqual(row.length * 2 ** -52 * Math.max(scale, 1));
      }
    }));
  });
  test("crossEntropyWithGrad's gradient is the softmax minus the one-hot target (sum reduction)", () => {
    fc.assert(fc.property(rows, ([x, y]) => {
      const { grad } = crossEntropyWithGrad(x, y, { reduction: "sum" });
      const p = softmax(x);
      p.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(grad[r][c] - (v - (c === y[r] ? 1 : 0)))).toBeLessThanOrEqual(4e-16)));
    }));
  });
  test("crossEntropyWithGrad's gradient matches central finite differences of crossEntropy (smoothing, weights, mean)", () => {
    fc.assert(fc.property(rows, fc.double({ min: 0, max: 1, noNaN: true }), ([x, y], eps) => {
      const C = x[0].length;
      const weights = Array.from({ length: C }, (_, c) => 0.5 + c / C);
      const options = { labelSmoothing: eps, weights };
      const { grad } = crossEntropyWithGrad(x, y, options);
      const h = 1e-5;
      for (let r = 0; r < x.length; r++) {
        for (let c = 0; c < C; c++) {
          const up = x.map((row) => row.slice()), down = x.map((row) => row.slice());
          up[r][c] += h;
          down[r][c] -= h;
          const numeric = (crossEntropy(up, y, options) - crossEntropy(down, y, options)) / (2 * h);
          expect(Math.abs(numeric - grad[r][c])).toBeLessThanOrEqual(1e-7);
        }
      }
    }), { numRuns: 40 });
  });
  test("crossEntropy is unchanged by shifting a row by a constant (to rounding)", () => {
    fc.assert(fc.property(rows, fc.integer({ min: -1000, max: 1000 }), ([x, y], shift) => {
      const a = crossEntropy(x, y), b = crossEntropy(x.map((row) => row.map((v) => v + shift)), y);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(shift)));
    }));
  });
});

describe("loss arguments that are wrong throw, naming the parameter", () => {
  const x = [[1, 2, 3], [4, 5, 6]];
  const cases: [string, () => unknown, typeof RangeError | typeof TypeError, string][] = [
    ["a target index out of range", () => crossEntropy(x, [0, 3]), RangeError, "target[1]"],
    ["a negative target index", () => crossEntropy(x, [-1, 0]), RangeError, "target[0]"],
    ["a fractional target index", () => nllLoss(x, [0.5, 0]), RangeError, "target[0]"],
    ["a target of the wrong shape", () => crossEntropy(x, [0, 1, 2]), RangeError, "target must have shape [2]"],
    ["a negative probability", () => crossEntropy(x, [[1, 0, 0], [-0.1, 1.1, 0]]), RangeError, "target[3]"],
    ["a NaN probability", () => crossEntropy(x, [[1, 0, 0], [NaN, 1, 0]]), RangeError, "target[3]"],
    ["labelSmoothing above 1", () => crossEntropy(x, [0, 1], { labelSmoothing: 1.5 }), RangeError, "labelSmoothing"],
    ["labelSmoothing below 0", () => crossEntropyWithGrad(x, [0, 1], { labelSmoothing: -0.1 }), RangeError, "labelSmoothing"],
    ["labelSmoothing as a string", () => crossEntropy(x, [0, 1], { labelSmoothing: "0.1" as never }), TypeError, "labelSmoothing"],
    ["weights of the wrong length", () => crossEntropy(x, [0, 1], { weights: [1, 2] }), RangeError, "weights"],
    ["a negative weight", () => nllLoss(x, [0, 1], { weights: [1, -2, 1] }), RangeError, "weights[1]"],
    ["an unknown reduction", () => crossEntropy(x, [0, 1], { reduction: "avg" as never }), RangeError, "reduction"],
    ["a fractional ignoreIndex", () => crossEntropy(x, [0, 1], { ignoreIndex: 0.5 }), RangeError, "ignoreIndex"],
    ["probabilities given to nllLoss", () => nllLoss(x, [[1, 0, 0], [0, 1, 0]]), RangeError, "class indices"],
    ["a string target", () => crossEntropy(x, "0,1" as never), TypeError, "target"],
    ["logits as a string", () => crossEntropy("x" as never, [0]), TypeError, "logits"],
    ["an axis out of range", () => crossEntropy(x, [0, 1], { axis: 2 }), RangeError, "axis"],
  ];
  for (const [name, call, error, says] of cases) {
    test(`crossEntropy / nllLoss with ${name} throws ${error.name} naming ${says}`, () => {
      expect(call).toThrow(error);
      expect(call).toThrow(says);
    });
  }
  test("crossEntropy never mutates its inputs", () => {
    const logits = Float32Array.from([1, 2, 3, 4, 5, 6]), target = Int32Array.from([2, 0]);
    crossEntropyWithGrad({ data: logits, shape: [2, 3] }, target, { labelSmoothing: 0.2 });
    expect(Array.from(logits)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(target)).toEqual([2, 0]);
  });
});

test("the measured maxima (printed for the README)", () => {
  console.log(`losses: max errors vs mpmath: ${JSON.stringify(worst)}`);
  expect(Object.keys(worst).length).toBeGreaterThan(0);
});
