// The edge-case table of API.md §2, one named test per row, for each kernel set (the JS kernels and the
// wasm-simd ones: test/support/kernelSets.ts), each precision, and both a contiguous row and a strided
// one (the row as a column of a 2-D tensor, reduced along axis 0).
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";
import { kernelSets, testWasmKernelsLoad, withKernels } from "./support/kernelSets.js";
import { ulpDistance } from "./support/ulp.js";

/** The published bound (4 ulp) plus the 2 ulp the closed forms below may be off by themselves. */
const NEAR_ULPS = 6;

/** A value the closed form gives only to rounding; compared in ulps (NEAR_ULPS). */
interface Near {
  near: number;
}
type Expected = number | Near;
const near = (v: number): Near => ({ near: v });

interface Case {
  name: string;
  x: number[];
  mask?: number[];
  temperature?: number;
  softmax: Expected[];
  logSoftmax: Expected[];
  logSumExp: Expected;
}

const LN2 = Math.log(2);
const LN3 = Math.log(3);
// softmax([1, 3]) and friends in closed form (independent of the library's algorithm)
const lse13 = 3 + Math.log1p(Math.exp(-2));
const p13 = [near(1 / (1 + Math.exp(2))), near(1 / (1 + Math.exp(-2)))];
const l13 = Math.log1p(Math.exp(-2)); // log-probabilities as -2 - l13 and -l13: 3 - lse13 would cancel
const lp13 = [near(-2 - l13), near(-l13)];

const cases: Case[] = [
  {
    name: "masked entries get exactly 0, log-probability -Infinity, and are left out of logSumExp",
    x: [1, 2, 3], mask: [1, 0, 1],
    softmax: [p13[0], 0, p13[1]], logSoftmax: [lp13[0], -Infinity, lp13[1]], logSumExp: near(lse13),
  },
  {
    name: "-Infinity entries get exactly 0, log-probability -Infinity, and contribute 0 to logSumExp",
    x: [1, -Infinity, 3],
    softmax: [p13[0], 0, p13[1]], logSoftmax: [lp13[0], -Infinity, lp13[1]], logSumExp: near(lse13),
  },
  {
    name: "a row whose entries are all masked or -Infinity is all 0 (never NaN) and its logSumExp is -Infinity",
    x: [-Infinity, 2, -Infinity], mask: [1, 0, 1],
    softmax: [0, 0, 0], logSoftmax: [-Infinity, -Infinity, -Infinity], logSumExp: -Infinity,
  },
  {
    name: "a row of -Infinity only is all 0",
    x: [-Infinity, -Infinity],
    softmax: [0, 0], logSoftmax: [-Infinity, -Infinity], logSumExp: -Infinity,
  },
  {
    name: "a fully masked row is all 0",
    x: [1, 2], mask: [0, 0],
    softmax: [0, 0], logSoftmax: [-Infinity, -Infinity], logSumExp: -Infinity,
  },
  {
    name: "k +Infinity entries get 1/k each and 0 elsewhere; logSumExp is +Infinity",
    x: [1, Infinity, 3, Infinity],
    softmax: [0, 0.5, 0, 0.5], logSoftmax: [-Infinity, -LN2, -Infinity, -LN2], logSumExp: Infinity,
  },
  {
    name: "a single +Infinity entry gets probability 1 and log-probability 0",
    x: [Infinity, 5, -Infinity],
    softmax: [1, 0, 0], logSoftmax: [0, -Infinity, -Infinity], logSumExp: Infinity,
  },
  {
    name: "a masked +Infinity is left out",
    x: [1, Infinity, 3], mask: [1, 0, 1],
    softmax: [p13[0], 0, p13[1]], logSoftmax: [lp13[0], -Infinity, lp13[1]], logSumExp: near(lse13),
  },
  {
    name: "an unmasked NaN makes the whole row NaN",
    x: [1, NaN, 3],
    softmax: [NaN, NaN, NaN], logSoftmax: [NaN, NaN, NaN], logSumExp: NaN,
  },
  {
    name: "an unmasked NaN wins over +Infinity",
    x: [Infinity, NaN],
    softmax: [NaN, NaN], logSoftmax: [NaN, NaN], logSumExp: NaN,
  },
  {
    name: "an unmasked NaN makes masked entries NaN too",
    x: [NaN, 1, 2], mask: [1, 0, 1],
    softmax: [NaN, NaN, NaN], logSoftmax: [NaN, NaN, NaN], logSumExp: NaN,
  },
  {
    name: "a masked NaN is left out",
    x: [1, NaN, 3], mask: [1, 0, 1],
    softmax: [p13[0], 0, p13[1]], logSoftmax: [lp13[0], -Infinity, lp13[1]], logSumExp: near(lse13),
  },
  {
    name: "an empty axis gives an empty result and logSumExp -Infinity",
    x: [],
    softmax: [], logSoftmax: [], logSumExp: -Infinity,
  },
  {
    name: "temperature 0 gives 1/k on the k entries equal to the maximum; logSumExp +Infinity when max > 0",
    x: [1, 3, 3, 2], temperature: 0,
    softmax: [0, 0.5, 0.5, 0], logSoftmax: [-Infinity, -LN2, -LN2, -Infinity], logSumExp: Infinity,
  },
  {
    name: "temperature 0 with a negative maximum: logSumExp is -Infinity",
    x: [-1, -3, -Infinity], temperature: 0,
    softmax: [1, 0, 0], logSoftmax: [0, -Infinity, -Infinity], logSumExp: -Infinity,
  },
  {
    name: "temperature 0 with a maximum of 0: logSumExp is log(k)",
    x: [0, -1, 0], temperature: 0,
    softmax: [0.5, 0, 0.5], logSoftmax: [-LN2, -Infinity, -LN2], logSumExp: LN2,
  },
  {
    name: "temperature 0 leaves masked entries out of the tie",
    x: [5, 3, 3], mask: [0, 1, 1], temperature: 0,
    softmax: [0, 0.5, 0.5], logSoftmax: [-Infinity, -LN2, -LN2], logSumExp: Infinity,
  },
  {
    name: "temperature 0 still lets an unmasked NaN win",
    x: [1, NaN, 3], temperature: 0,
    softmax: [NaN, NaN, NaN], logSoftmax: [NaN, NaN, NaN], logSumExp: NaN,
  },
  {
    name: "temperature Infinity is uniform over the n entries that are not masked or -Infinity; logSumExp is log(n)",
    x: [1, -Infinity, 3, 5, 2], mask: [1, 1, 1, 0, 1], temperature: Infinity,
    softmax: [1 / 3, 0, 1 / 3, 0, 1 / 3], logSoftmax: [-LN3, -Infinity, -LN3, -Infinity, -LN3], logSumExp: LN3,
  },
  {
    name: "temperature Infinity keeps the +Infinity rule (the limit of rows where +Infinity already wins)",
    x: [1, Infinity, 3], temperature: Infinity,
    softmax: [0, 1, 0], logSoftmax: [-Infinity, 0, -Infinity], logSumExp: Infinity,
  },
  {
    name: "temperature Infinity on a row of -Infinity only is all 0",
    x: [-Infinity, -Infinity], temperature: Infinity,
    softmax: [0, 0], logSoftmax: [-Infinity, -Infinity], logSumExp: -Infinity,
  },
];

type Layout =
  | "number[]" | "Float64Array" | "Float32Array" | "strided Float64Array column" | "strided Float32Array column"
  | "Float64Array padded with masked entries" | "Float32Array padded with masked entries";
const layouts: Layout[] = [
  "number[]", "Float64Array", "Float32Array", "strided Float64Array column", "strided Float32Array column",
  "Float64Array padded with masked entries", "Float32Array padded with masked entries",
];

/**
 * The padded layouts spread the row over at least 40 entries (entry j at 5j + 2), so that kernels
 * that leave short calls to JS (the wasm-simd set below 16 entries) run it themselves; the padding is
 * masked and holds values that would win if it were not left out: 50, NaN and +Infinity.
 */
const PAD_VALUES = [50, NaN, Infinity];
const paddedLength = (n: number) => Math.max(40, 5 * n + 7);
const paddedAt = (j: number) => 5 * j + 2;

/**
 * Runs fn on the row in the given layout and returns the row's result as a plain array. The strided
 * layout puts the row in column 1 of a [n, 3] tensor whose other columns hold unrelated values, and
 * works along axis 0. The padded layouts also check that the padding came out exactly 0 / -Infinity
 * (NaN in a NaN row).
 */
function run(layout: Layout, c: Case, fn: "softmax" | "logSoftmax" | "logSumExp"): number[] {
  const opts: Record<string, unknown> = {};
  if (c.temperature !== undefined) opts.temperature = c.temperature;
  const n = c.x.length;
  if (layout.startsWith("strided")) {
    const Ctor = layout.includes("32") ? Float32Array : Float64Array;
    const data = new Ctor(n * 3);
    const mask = new Uint8Array(n * 3).fill(1);
    for (let j = 0; j < n; j++) {
      data[j * 3] = 7 - j;
      data[j * 3 + 1] = c.x[j];
      data[j * 3 + 2] = -2 * j;
      if (c.mask) mask[j * 3 + 1] = c.mask[j];
    }
    if (c.mask) opts.mask = mask;
    const tensor = { data, shape: [n, 3] };
    if (fn === "logSumExp") return [(logSumExp(tensor, { ...opts, axis: 0 }) as { data: ArrayLike<number> }).data[1]];
    const result = (fn === "softmax" ? softmax : logSoftmax)(tensor, { ...opts, axis: 0 });
    return Array.from({ length: n }, (_, j) => result.data[j * 3 + 1]);
  }
  if (layout.includes("padded")) {
    const length = paddedLength(n);
    const Ctor = layout.includes("32") ? Float32Array : Float64Array;
    const data = new Ctor(length) as Float64Array; // Float32Array too: the typing only picks the overload
    for (let k = 0; k < length; k++) data[k] = PAD_VALUES[k % 3];
    const mask = new Uint8Array(length);
    for (let j = 0; j < n; j++) {
      data[paddedAt(j)] = c.x[j];
      mask[paddedAt(j)] = c.mask ? c.mask[j] : 1;
    }
    opts.mask = mask;
    if (fn === "logSumExp") return [logSumExp(data, opts) as number];
    const result = (fn === "softmax" ? softmax : logSoftmax)(data, opts);
    const padding = nanRow(c) ? NaN : fn === "softmax" ? 0 : -Infinity;
    for (let k = 0; k < length; k++) {
      if (k % 5 === 2 && (k - 2) / 5 < n) continue;
      expect(Object.is(result[k], padding), `padding [${k}]: got ${result[k]}, want exactly ${padding}`).toBe(true);
    }
    return Array.from({ length: n }, (_, j) => result[paddedAt(j)]);
  }
  if (c.mask) opts.mask = c.mask;
  const x = layout === "number[]" ? c.x : layout === "Float64Array" ? Float64Array.from(c.x) : Float32Array.from(c.x);
  if (fn === "logSumExp") return [logSumExp(x as Float64Array, opts) as number];
  return Array.from((fn === "softmax" ? softmax : logSoftmax)(x as Float64Array, opts));
}

/** Whether the case is a row whose results are all NaN (an unmasked NaN): masked entries are NaN too. */
const nanRow = (c: Case) => c.softmax.length > 0 && c.softmax.every((v) => typeof v === "number" && Number.isNaN(v));

function check(actual: number[], expected: Expected[], float32: boolean): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, j) => {
    const a = actual[j];
    if (typeof e === "number") {
      // exact values: 0, +-Infinity, NaN, 1/k, -log(k) (rounded to float32 for float32 layouts)
      expect(Object.is(a, float32 ? Math.fround(e) : e), `entry ${j}: got ${a}, want ${e}`).toBe(true);
    } else {
      // within 4 ulp (of the layout's precision) of the closed form, itself within 2 ulp of the exact value
      const want = float32 ? Math.fround(e.near) : e.near;
      expect(ulpDistance(float32 ? "float32" : "float64", a, want), `entry ${j}: got ${a}, want ${want}`).toBeLessThanOrEqual(NEAR_ULPS);
    }
  });
}

testWasmKernelsLoad();

describe.each(kernelSets)("edge cases of API.md §2 with the $name kernels", (kernels) => {
  withKernels(kernels);
  describe.each(layouts)("%s", (layout) => {
    const float32 = layout.includes("32");
    for (const c of cases) {
      test(`softmax: ${c.name}`, () => check(run(layout, c, "softmax"), c.softmax, float32));
      test(`logSoftmax: ${c.name}`, () => check(run(layout, c, "logSoftmax"), c.logSoftmax, float32));
      test(`logSumExp: ${c.name}`, () => check(run(layout, c, "logSumExp"), [c.logSumExp], float32));
    }
  });

  describe("logSumExp options", () => {
    test("logSumExp(x, { keepDims: true }) on a 1-D input gives a length-1 array of the input's kind", () => {
      const nested = logSumExp([0, 0], { keepDims: true });
      expect(nested).toEqual([LN2]);
      const f32 = logSumExp(new Float32Array([0, 0]), { keepDims: true });
      expect(f32).toBeInstanceOf(Float32Array);
      expect(Array.from(f32)).toEqual([Math.fround(LN2)]);
      const tensor = logSumExp({ data: new Float64Array([0, 0]), shape: [2] }, { keepDims: true });
      expect(tensor.shape).toEqual([1]);
      expect(Array.from(tensor.data)).toEqual([LN2]);
    });

    test("logSumExp(x, { weights }) drops entries whose weight is 0, NaN and +Infinity ones included (SciPy)", () => {
      expect(logSumExp([0, NaN, Infinity, 0], { weights: [1, 0, 0, 1] })).toBe(LN2);
    });

    test("logSumExp(x, { weights }) with a negative total is NaN", () => {
      expect(logSumExp([0, 0], { weights: [1, -2] })).toBeNaN();
    });

    test("logSumExp(x, { weights }) with +Infinity entries is +Infinity when their weights are positive", () => {
      expect(logSumExp([Infinity, 1], { weights: [2, 1] })).toBe(Infinity);
      expect(logSumExp([Infinity, 1], { weights: [-2, 1] })).toBeNaN();
    });

    test("logSumExp(x, { weights, temperature: Infinity }) is the log of the total weight of the entries left", () => {
      expect(logSumExp([1, 2, -Infinity], { weights: [0.5, 1.5, 3], temperature: Infinity })).toBe(LN2);
    });

    test("logSumExp(x, { weights, temperature: 0 }) with a maximum of 0 is the log of the maximum's weight", () => {
      expect(logSumExp([0, -1], { weights: [3, 5], temperature: 0 })).toBe(Math.log(3));
    });

    test("logSumExp of an empty axis of a 2-D input is -Infinity for each row", () => {
      expect(logSumExp([[], []])).toEqual([-Infinity, -Infinity]);
      expect(logSumExp({ data: new Float64Array(0), shape: [0, 3] }, { axis: 0 }).data).toEqual(new Float64Array([-Infinity, -Infinity, -Infinity]));
    });
  });
});
