// Bad arguments throw TypeError (wrong kind) or RangeError (wrong size or range), with a message that
// names the function, the parameter and the value it got (API.md §2). One named test per case.
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";

type Fn = (x: unknown, options?: unknown) => unknown;
const fns: [string, Fn][] = [
  ["softmax", softmax as Fn],
  ["logSoftmax", logSoftmax as Fn],
  ["logSumExp", logSumExp as Fn],
];

interface ErrorCase {
  name: string;
  x: unknown;
  options?: unknown;
  error: typeof TypeError | typeof RangeError;
  /** Fragments the message must contain (besides the function's name). */
  says: string[];
}

const f64 = (...v: number[]) => Float64Array.from(v);

const cases: ErrorCase[] = [
  { name: "x as a string", x: "1,2,3", error: TypeError, says: ["x must be", 'string "1,2,3"'] },
  { name: "x as a number", x: 5, error: TypeError, says: ["x must be", "got 5"] },
  { name: "x undefined", x: undefined, error: TypeError, says: ["x must be", "got undefined"] },
  { name: "x null", x: null, error: TypeError, says: ["x must be", "got null"] },
  { name: "x an Int8Array", x: new Int8Array(3), error: TypeError, says: ["x must be a Float32Array or Float64Array", "Int8Array(3)"] },
  { name: "x a Uint8Array", x: new Uint8Array(2), error: TypeError, says: ["Uint8Array(2)"] },
  { name: "a string inside x", x: [1, "a", 3], error: TypeError, says: ["x[1] must be a number", 'string "a"'] },
  { name: "null inside nested x", x: [[1, 2], [3, null]], error: TypeError, says: ["x[1][1] must be a number", "null"] },
  { name: "a hole inside x", x: [1, , 3], error: TypeError, says: ["x[1] must be a number", "undefined"] }, // eslint-disable-line no-sparse-arrays
  { name: "ragged rows", x: [[1, 2], [3]], error: RangeError, says: ["x[1] has length 1", "ragged"] },
  { name: "a number where a row was expected", x: [[1, 2], 3], error: RangeError, says: ["x[1]", "ragged", "got 3"] },
  { name: "a row where a number was expected", x: [1, [2]], error: RangeError, says: ["x[1]", "ragged", "Array(1)"] },
  { name: "tensor data not a float array", x: { data: [1, 2], shape: [2] }, error: TypeError, says: ["x.data must be a Float32Array or Float64Array", "Array(2)"] },
  { name: "tensor shape not matching its data", x: { data: f64(1, 2, 3), shape: [2, 2] }, error: RangeError, says: ["x.shape [2, 2] holds 4 elements", "x.data has 3"] },
  { name: "tensor shape with a negative size", x: { data: f64(), shape: [-1] }, error: RangeError, says: ["x.shape[0] must be a non-negative integer", "got -1"] },
  { name: "tensor shape with a fractional size", x: { data: f64(1), shape: [0.5] }, error: RangeError, says: ["x.shape[0]", "got 0.5"] },
  { name: "tensor without a shape", x: { data: f64(1) }, error: TypeError, says: ["x.shape (or x.dims) must be an array", "undefined"] },
  { name: "tensor whose shape and dims disagree", x: { data: f64(1, 2), shape: [2], dims: [1, 2] }, error: RangeError, says: ["x.shape and x.dims disagree"] },
  { name: "a 0-D tensor (no axis to work along)", x: { data: f64(1), shape: [] }, error: RangeError, says: ["0-D", "got -1"] },
  { name: "axis as a string", x: [1, 2], options: { axis: "0" }, error: TypeError, says: ["axis must be an integer", 'string "0"'] },
  { name: "axis not an integer", x: [1, 2], options: { axis: 0.5 }, error: RangeError, says: ["axis must be an integer in [-1, 0]", "got 0.5"] },
  { name: "axis past the last", x: [[1, 2]], options: { axis: 2 }, error: RangeError, says: ["axis must be an integer in [-2, 1] for a 2-D input", "got 2"] },
  { name: "axis before the first", x: [[1, 2]], options: { axis: -3 }, error: RangeError, says: ["[-2, 1]", "got -3"] },
  { name: "negative temperature", x: [1, 2], options: { temperature: -1 }, error: RangeError, says: ["temperature must be >= 0", "got -1"] },
  { name: "NaN temperature", x: [1, 2], options: { temperature: NaN }, error: RangeError, says: ["temperature", "got NaN"] },
  { name: "temperature as a string", x: [1, 2], options: { temperature: "2" }, error: TypeError, says: ["temperature must be a number", 'string "2"'] },
  { name: "mask of the wrong length", x: [1, 2, 3], options: { mask: [1, 0] }, error: RangeError, says: ["mask must have one entry per element of x (3", "Array(2)"] },
  { name: "nested mask of the wrong shape", x: [[1, 2], [3, 4]], options: { mask: [[1, 0]] }, error: RangeError, says: ["mask must have the shape of x, [2, 2], but has [1, 2]"] },
  { name: "mask tensor of the wrong shape", x: [[1, 2], [3, 4]], options: { mask: { data: [1, 1, 1, 1], shape: [4] } }, error: RangeError, says: ["mask.shape must be the shape of x"] },
  { name: "a string inside the mask", x: [1, 2], options: { mask: [1, "yes"] }, error: TypeError, says: ["mask[1] must be a boolean or a number", 'string "yes"'] },
  { name: "mask as a number", x: [1, 2], options: { mask: 1 }, error: TypeError, says: ["mask must be an array", "got 1"] },
  { name: "options not an object", x: [1, 2], options: "axis", error: TypeError, says: ["options must be an object", 'string "axis"'] },
  { name: "out with a nested input", x: [1, 2], options: { out: new Float64Array(2) }, error: TypeError, says: ["out is only for typed-array and tensor inputs", "Float64Array(2)"] },
  { name: "out of another constructor", x: new Float32Array(2), options: { out: new Float64Array(2) }, error: TypeError, says: ["out must be a Float32Array, like x", "Float64Array(2)"] },
  { name: "out as a plain array", x: new Float64Array(2), options: { out: [0, 0] }, error: TypeError, says: ["out must be a Float64Array", "Array(2)"] },
];

describe.each(fns)("%s rejects bad arguments", (fnName, fn) => {
  for (const c of cases) {
    test(`${fnName}() throws ${c.error.name} for ${c.name}`, () => {
      let thrown: unknown;
      try {
        fn(c.x, c.options);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(c.error);
      const message = (thrown as Error).message;
      expect(message.startsWith(`${fnName}: `), message).toBe(true);
      for (const fragment of c.says) expect(message).toContain(fragment);
    });
  }
});

describe("errors that belong to one function", () => {
  test("softmax() throws RangeError for out of the wrong length", () => {
    expect(() => softmax(new Float64Array(3), { out: new Float64Array(2) })).toThrow(
      new RangeError("softmax: out must have length 3 (the length of the result); got Float64Array(2)"),
    );
  });

  test("logSumExp() throws RangeError for out of the wrong length (the reduced length)", () => {
    expect(() => logSumExp({ data: new Float64Array(6), shape: [2, 3] }, { out: new Float64Array(6) })).toThrow(
      new RangeError("logSumExp: out must have length 2 (the length of the result); got Float64Array(6)"),
    );
  });

  test("logSumExp() throws TypeError for out when a 1-D input reduces to a plain number", () => {
    expect(() => logSumExp(new Float64Array(3), { out: new Float64Array(1) } as never)).toThrow(TypeError);
    expect(() => logSumExp(new Float64Array(3), { out: new Float64Array(1) } as never)).toThrow(/pass keepDims: true/);
  });

  test("logSumExp() throws RangeError for weights of the wrong length", () => {
    expect(() => logSumExp([1, 2, 3], { weights: [1, 1] })).toThrow(
      new RangeError("logSumExp: weights must have one entry per element of x (3 for shape [3]), but has 2; got Array(2)"),
    );
  });

  test("logSumExp() throws TypeError for a string among the weights", () => {
    expect(() => logSumExp([1, 2], { weights: [1, "2"] as never })).toThrow(
      new TypeError('logSumExp: weights[1] must be a number; got string "2"'),
    );
  });

  test("logSumExp() throws TypeError for keepDims that is not a boolean", () => {
    expect(() => logSumExp([1, 2], { keepDims: 1 as never })).toThrow(new TypeError("logSumExp: keepDims must be true or false; got 1"));
  });

  test("a failed call leaves x and out untouched", () => {
    const x = new Float64Array([1, 2, 3]);
    const out = new Float64Array([7, 7, 7]);
    expect(() => softmax(x, { out, mask: [1, 0] })).toThrow(RangeError);
    expect(Array.from(x)).toEqual([1, 2, 3]);
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });
});
