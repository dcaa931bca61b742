// Values in, values out (API.md §1): every input kind comes back as the same kind, along any axis,
// with `out` and in place, and inputs are never mutated.
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";

const x2 = [[1, 2, 3], [4, 6, 5]];

describe("kinds", () => {
  test("softmax(number[]) returns a plain number[]", () => {
    const p = softmax([1, 2, 3]);
    expect(Array.isArray(p)).toBe(true);
    expect(p).toHaveLength(3);
  });

  test("softmax(number[][]) returns number[][] of the same shape", () => {
    const p = softmax(x2);
    expect(p.map((row) => row.length)).toEqual([3, 3]);
    expect(p.every((row) => Array.isArray(row))).toBe(true);
  });

  test("softmax(Float32Array) returns a new Float32Array and softmax(Float64Array) a new Float64Array", () => {
    const x32 = new Float32Array([1, 2, 3]);
    const x64 = new Float64Array([1, 2, 3]);
    const p32 = softmax(x32), p64 = softmax(x64);
    expect(p32).toBeInstanceOf(Float32Array);
    expect(p64).toBeInstanceOf(Float64Array);
    expect(p32).not.toBe(x32);
    expect(p64).not.toBe(x64);
  });

  test("softmax({ data, shape }) returns a new { data, shape } whose data has the input's constructor", () => {
    const t = { data: new Float32Array([1, 2, 3, 4, 6, 5]), shape: [2, 3] };
    const p = softmax(t);
    expect(Object.keys(p).sort()).toEqual(["data", "shape"]);
    expect(p.data).toBeInstanceOf(Float32Array);
    expect(p.shape).toEqual([2, 3]);
    expect(p.shape).not.toBe(t.shape);
  });

  test("softmax({ data, dims }) accepts dims as an alias of shape and answers with shape", () => {
    const p = softmax({ data: new Float64Array([1, 2, 3, 4]), dims: [2, 2] });
    expect(p.shape).toEqual([2, 2]);
    expect(p).not.toHaveProperty("dims");
  });

  test("nested, typed and tensor inputs give the same numbers", () => {
    const flat = new Float64Array([1, 2, 3, 4, 6, 5]);
    const nested = softmax(x2).flat();
    const tensor = Array.from(softmax({ data: flat, shape: [2, 3] }).data);
    const rows = [...softmax(flat.subarray(0, 3)), ...softmax(flat.subarray(3))];
    expect(nested).toEqual(tensor);
    expect(rows).toEqual(tensor);
  });

  test("typed arrays made in another realm are accepted, and a Float32Array stays float32", () => {
    const foreign = runInNewContext("new Float64Array([0, 0])") as Float64Array;
    expect(foreign instanceof Float64Array).toBe(false);
    expect(Array.from(softmax(foreign))).toEqual([0.5, 0.5]);
    const foreign32 = runInNewContext("new Float32Array([0.1, 0.2, 0.3])") as Float32Array;
    const local32 = new Float32Array([0.1, 0.2, 0.3]);
    expect(softmax(foreign32)).toEqual(softmax(local32));
    expect(logSumExp(foreign32)).toBe(logSumExp(local32));
  });

  test("readonly nested arrays are accepted", () => {
    const x = Object.freeze([Object.freeze([0, 0]), Object.freeze([1, 1])]) as readonly (readonly number[])[];
    expect(softmax(x)).toEqual([[0.5, 0.5], [0.5, 0.5]]);
  });

  test("extreme temperatures (subnormal, or near the largest double) approach their limits and never give NaN", () => {
    for (const T of [5e-324, 1e-320]) {
      expect(softmax([1, 1, 0], { temperature: T })).toEqual([0.5, 0.5, 0]);
      expect(Array.from(softmax(new Float32Array([1, 1, 0]), { temperature: T }))).toEqual([0.5, 0.5, 0]);
      expect(logSoftmax([1, 1, 0], { temperature: T })).toEqual([-Math.LN2, -Math.LN2, -Infinity]);
      expect(logSumExp([1, 1, 0], { temperature: T })).toBe(Infinity);
    }
    for (const T of [1e300, 1.7e308]) {
      expect(softmax([1, 1, 0], { temperature: T })).toEqual([1 / 3, 1 / 3, 1 / 3]);
      expect(logSumExp([1, 1, 0], { temperature: T })).toBe(Math.log(3));
    }
  });

  test("softmax(x, { temperature: -0 }) is temperature 0", () => {
    expect(softmax([1, 2], { temperature: -0 })).toEqual([0, 1]);
  });
});

describe("axes", () => {
  test("softmax(x, { axis: 0 }) normalises each column", () => {
    const p = softmax(x2, { axis: 0 });
    for (let j = 0; j < 3; j++) {
      const column = softmax([x2[0][j], x2[1][j]]);
      expect([p[0][j], p[1][j]]).toEqual(column);
    }
  });

  test("negative axes count from the end: axis -2 of a 2-D input is axis 0", () => {
    expect(softmax(x2, { axis: -2 })).toEqual(softmax(x2, { axis: 0 }));
  });

  test("logSumExp(x, { axis: 1 }) of a [2, 3, 2] tensor reduces the middle axis to shape [2, 2]", () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i / 4);
    const r = logSumExp({ data, shape: [2, 3, 2] }, { axis: 1 });
    expect(r.shape).toEqual([2, 2]);
    // element (o, i) reduces data[o*6 + j*2 + i] over j
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 2; i++) {
        const row = [0, 1, 2].map((j) => data[o * 6 + j * 2 + i]);
        expect(r.data[o * 2 + i]).toBe(logSumExp(row));
      }
    }
  });

  test("logSumExp(x, { axis: 1, keepDims: true }) keeps the axis with size 1", () => {
    const r = logSumExp({ data: new Float32Array(12), shape: [2, 3, 2] }, { axis: 1, keepDims: true });
    expect(r.shape).toEqual([2, 1, 2]);
    expect(r.data).toBeInstanceOf(Float32Array);
    expect(Array.from(r.data)).toEqual(Array(4).fill(Math.fround(Math.log(3))));
  });

  test("logSumExp(number[][]) reduces the last axis to number[]; keepDims gives number[][]", () => {
    expect(logSumExp([[0, 0], [1, 1]])).toEqual([Math.LN2, 1 + Math.LN2]);
    expect(logSumExp([[0, 0], [1, 1]], { keepDims: true })).toEqual([[Math.LN2], [1 + Math.LN2]]);
  });

  test("logSumExp of a 1-D tensor is a plain number", () => {
    expect(logSumExp({ data: new Float64Array([0, 0]), shape: [2] })).toBe(Math.LN2);
  });

  test("logSumExp of a Float32Array is the float32-rounded value", () => {
    const r = logSumExp(new Float32Array([0.1, 0.2]));
    expect(r).toBe(Math.fround(r));
  });
});

describe("out and in place", () => {
  test("softmax(x, { out }) writes the result into out and returns out", () => {
    const x = new Float64Array([1, 2, 3]);
    const out = new Float64Array(3);
    expect(softmax(x, { out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(softmax(x)));
  });

  test("softmax(tensor, { out }) returns a tensor whose data is out", () => {
    const out = new Float32Array(4);
    const r = softmax({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] }, { out });
    expect(r.data).toBe(out);
  });

  for (const [name, fn] of [["softmax", softmax], ["logSoftmax", logSoftmax]] as const) {
    test(`${name}(x, { out: x }) computes in place, along any axis, with the same result`, () => {
      for (const axis of [0, 1]) {
        for (const Ctor of [Float32Array, Float64Array]) {
          const data = Ctor.from([3, -1, 0.5, 1e3, 2, 2, -Infinity, 4, 7]);
          const expected = Array.from(fn({ data, shape: [3, 3] }, { axis, temperature: 0.7 }).data);
          const r = fn({ data, shape: [3, 3] }, { axis, temperature: 0.7, out: data as never });
          expect(r.data).toBe(data);
          expect(Array.from(data)).toEqual(expected);
        }
      }
    });
  }

  test("an out that partly overlaps x gives the same result as a separate out", () => {
    const buffer = new Float64Array([1, 2, 3, 4, 5]);
    const x = buffer.subarray(0, 4);
    const expected = Array.from(softmax(Float64Array.from(x)));
    softmax(x, { out: buffer.subarray(1, 5) });
    expect(Array.from(buffer.subarray(1, 5))).toEqual(expected);
  });

  test("logSumExp(x, { keepDims: true, out }) writes the reduction into out", () => {
    const out = new Float64Array(2);
    const r = logSumExp({ data: new Float64Array([0, 0, 1, 1]), shape: [2, 2] }, { keepDims: true, out });
    expect(r.data).toBe(out);
    expect(Array.from(out)).toEqual([Math.LN2, 1 + Math.LN2]);
  });
});

describe("inputs are never mutated", () => {
  const options = [{}, { axis: 0 }, { temperature: 0.5 }, { temperature: 0 }, { mask: [[1, 0, 1], [0, 1, 1]] }];
  for (const fn of [softmax, logSoftmax, logSumExp]) {
    for (const opts of options) {
      test(`${fn.name}(x, ${JSON.stringify(opts)}) leaves nested, typed and tensor inputs as they were`, () => {
        const nested = [[1, -Infinity, 3], [NaN, 5, 6]];
        const before = JSON.stringify(nested);
        const typed = new Float32Array([1, -Infinity, 3, NaN, 5, 6]);
        const tensor = { data: new Float64Array([1, -Infinity, 3, NaN, 5, 6]), shape: [2, 3] };
        (fn as (x: unknown, o: unknown) => unknown)(nested, opts);
        (fn as (x: unknown, o: unknown) => unknown)(tensor, opts);
        if (!("axis" in opts) && !("mask" in opts)) (fn as (x: unknown, o: unknown) => unknown)(typed, opts);
        expect(JSON.stringify(nested)).toBe(before);
        expect(Array.from(typed.map((v) => (Number.isNaN(v) ? 99 : v)))).toEqual([1, -Infinity, 3, 99, 5, 6]);
        expect(Array.from(tensor.data.map((v) => (Number.isNaN(v) ? 99 : v)))).toEqual([1, -Infinity, 3, 99, 5, 6]);
        expect(tensor.shape).toEqual([2, 3]);
      });
    }
  }
});

describe("masks", () => {
  test("a mask may be nested, flat, typed, boolean or a tensor, with the same result", () => {
    const want = softmax(x2, { mask: [[1, 0, 1], [1, 1, 0]] });
    const forms: unknown[] = [
      [1, 0, 1, 1, 1, 0],
      [true, false, true, true, true, false],
      new Uint8Array([1, 0, 1, 1, 1, 0]),
      { data: new Uint8Array([1, 0, 1, 1, 1, 0]), shape: [2, 3] },
      { data: [1, 0, 1, 1, 1, 0], dims: [2, 3] },
      [[true, false, true], [true, true, false]],
    ];
    for (const mask of forms) expect(softmax(x2, { mask: mask as never })).toEqual(want);
  });

  test("softmax with a mask equals softmax of the kept entries, with 0 at the masked ones", () => {
    const p = softmax([0.5, 9, -2, 4], { mask: [1, 0, 1, 1] });
    const kept = softmax([0.5, -2, 4]);
    expect(p).toEqual([kept[0], 0, kept[1], kept[2]]);
  });
});
