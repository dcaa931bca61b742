// The wasm-simd kernels against the JS kernels (API.md §9: the backends agree within the README's
// accuracy bounds; API.md §2: the edge cases are identical). Every call runs on both kernel sets; the
// wasm-simd values must be within 4 ulp of the JS values in the output's precision and exactly the JS
// values where the contract fixes them (test/support/agreement.ts), and x, mask and weights must come
// back unchanged. Closed forms are checked as well where they are easy. The inputs aim at the wasm
// kernels' structure: lengths around the SIMD width and unroll, rows around and across the CHUNK32 /
// CHUNK64 windows that data is copied through, many short rows batched into one window, special values
// placed in later windows, strided rows, in-place and overlapping `out`.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";
import { CHUNK32, CHUNK64 } from "../src/kernels/wasm/layout.js";
import {
  agree, BOUND, dataOf, describeInput, disagreements, expectExact, expectNear, FNS, prng, rowsOf, runOn, typed, uniforms,
  type CallOptions, type Fn, type Input, type Precision, PRECISIONS, type Tensor,
} from "./support/agreement.js";
import { describeFailure, FUNCTIONS, loadFixtures, measure, passes } from "./support/fixtures.js";
import { comparedKernels, jsKernels, testWasmKernelsLoad, using } from "./support/kernelSets.js";

const library = { softmax, logSoftmax, logSumExp };
const call = library as Record<Fn, (x: unknown, o?: unknown) => unknown>;
const chunkOf = (p: Precision) => (p === "float32" ? CHUNK32 : CHUNK64);
const SIMD_LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129];
/** Both windows' boundaries, in both precisions (a kernel might window float32 by the float64 size). */
const CHUNK_LENGTHS = [...new Set([CHUNK32, CHUNK64].flatMap((c) => [c - 1, c, c + 1, 2 * c + 3]))].sort((a, b) => a - b);

/** A mask keeping each entry with probability `keep` (deterministic). */
function keepMask(n: number, seed: number, keep: number): Uint8Array {
  const u = prng(seed);
  return Uint8Array.from({ length: n }, () => (u() < keep ? 1 : 0));
}

function tensor(precision: Precision, shape: number[], seed: number, lo = -10, hi = 10): Tensor {
  const n = shape.reduce((p, s) => p * s, 1);
  return { data: typed(precision, uniforms(n, seed, lo, hi)), shape };
}

const log = Math.log;
/** -log k, as +0 for k = 1 (the kernels' log-probability of a lone +Infinity or maximum; -Math.log(1) is -0). */
const negLog = (k: number) => 0 - Math.log(k);

testWasmKernelsLoad();

describe(`the ${comparedKernels.name} kernels agree with the js kernels (within ${BOUND} ulp; exact where API.md §2 is)`, () => {
  describe.each(PRECISIONS)("%s", (precision) => {
    const CHUNK = chunkOf(precision);
    const row = (n: number, seed: number, lo = -10, hi = 10) => typed(precision, uniforms(n, seed, lo, hi));
    const LONG = 2 * CHUNK + 3;
    /** Where to put special values in a row of LONG entries: first, mid second window, in the third, last. */
    const SPOTS = [0, CHUNK + (CHUNK >> 1), 2 * CHUNK + 1, LONG - 1];

    /**
     * The row `values` placed in a bigger input after an ordinary row: row 1 of a [2, n] tensor, or
     * column 1 of an [n, 2] tensor worked along axis 0 (a long strided row). `at(j)` is where entry j
     * went; `result` is where its logSumExp goes, `others` where the ordinary row's goes.
     */
    function embed(values: ArrayLike<number>, layout: "row" | "column", seed: number) {
      const n = values.length;
      const x = tensor(precision, layout === "row" ? [2, n] : [n, 2], seed);
      const at = (j: number) => (layout === "row" ? n + j : j * 2 + 1);
      for (let j = 0; j < n; j++) x.data[at(j)] = values[j];
      return { x, axis: layout === "row" ? 1 : 0, at, result: 1, others: [0] };
    }

    test.each(FNS)("%s(x) on rows of every length around the SIMD width and unroll (0 to 129): plain, masked, at temperature 0.7, as 3 rows and as 3 columns (axis 0)", (fn) => {
      for (const n of SIMD_LENGTHS) {
        const x = row(n, 100 + n);
        agree(fn, x);
        agree(fn, x, { mask: keepMask(n, n, 0.7) });
        agree(fn, x, { temperature: 0.7 });
        agree(fn, tensor(precision, [3, n], 200 + n));
        agree(fn, tensor(precision, [n, 3], 300 + n), { axis: 0 });
      }
    });

    test.each(FNS)(`%s(x) on rows of length CHUNK - 1, CHUNK, CHUNK + 1 and 2 CHUNK + 3 (CHUNK = ${CHUNK}: plain, masked, at temperature 0.7 and 2 rows at once; and the other precision's CHUNK)`, (fn) => {
      for (const n of CHUNK_LENGTHS) {
        const x = row(n, n);
        agree(fn, x);
        if (![CHUNK - 1, CHUNK, CHUNK + 1, LONG].includes(n)) continue;
        agree(fn, x, { mask: keepMask(n, n + 1, 0.9) });
        agree(fn, x, { temperature: 0.7 });
        agree(fn, tensor(precision, [2, n], n + 2, -30, 30));
      }
    });

    test.each(FNS)("%s(x) on many rows in one call, batched across windows: [3000, 7], [10000, 7], [700, 100], [3, CHUNK/2 + 1], [5, 40000], [CHUNK + 1, 1], [CHUNK/4 + 1, 4]", (fn) => {
      const shapes = [[3000, 7], [10000, 7], [700, 100], [3, (CHUNK >> 1) + 1], [5, 40000], [CHUNK + 1, 1], [CHUNK / 4 + 1, 4]];
      for (const shape of shapes) {
        const x = tensor(precision, shape, shape[0] * 7 + shape[1]);
        agree(fn, x);
        agree(fn, x, { mask: keepMask(x.data.length, shape[1], 0.8) });
        agree(fn, x, { temperature: 2.5 });
      }
      // rows of one entry: probability 1, log-probability 0, logSumExp the entry itself
      const ones = tensor(precision, [CHUNK + 1, 1], 5);
      const { got } = agree(fn, ones);
      for (let r = 0; r < ones.data.length; r += 997) {
        const want = fn === "softmax" ? 1 : fn === "logSoftmax" ? 0 : ones.data[r];
        expectNear(got[r], want, precision, `row ${r}`);
      }
    });

    test.each(FNS)("%s(x) of fully masked, all -Infinity, NaN and +Infinity rows among ordinary ones gives their exact values and leaves the ordinary rows alone", (fn) => {
      const kinds = ["masked", "ordinary", "-Infinity", "NaN", "masked NaN", "+Infinity", "ordinary"] as const;
      for (const [R, n] of [[3000, 7], [40, 1000], [7, CHUNK + 1]]) {
        const x = tensor(precision, [R, n], R + n);
        const mask = new Uint8Array(R * n).fill(1);
        for (let r = 0; r < R; r++) {
          const kind = kinds[r % kinds.length], o = r * n, spot = (r * 7919) % n;
          if (kind === "masked") mask.fill(0, o, o + n);
          if (kind === "-Infinity") x.data.fill(-Infinity, o, o + n);
          if (kind === "NaN") x.data[o + spot] = NaN;
          if (kind === "masked NaN") { x.data[o + spot] = NaN; mask[o + spot] = 0; }
          if (kind === "+Infinity") { x.data[o + spot] = Infinity; x.data[o + n - 1 - spot] = Infinity; }
        }
        const { got } = agree(fn, x, { mask });
        const problems: string[] = [];
        const exact = (v: number, want: number, where: string) => {
          if (!Object.is(v, want) && problems.length < 10) problems.push(`${where}: got ${v}, want exactly ${want}`);
        };
        for (let r = 0; r < R; r++) {
          const kind = kinds[r % kinds.length], o = r * n, spot = (r * 7919) % n;
          const where = `[${R}, ${n}] row ${r} (${kind})`;
          if (fn === "logSumExp") {
            const want = { masked: -Infinity, "-Infinity": -Infinity, NaN: NaN, "+Infinity": Infinity }[kind as string];
            if (want !== undefined) exact(got[r], want, where);
            else if (!Number.isFinite(got[r])) problems.push(`${where}: got ${got[r]}`);
            continue;
          }
          const infs = new Set([spot, n - 1 - spot]);
          const k = infs.size;
          for (let j = 0; j < n; j++) {
            const v = got[o + j];
            if (kind === "masked" || kind === "-Infinity") exact(v, fn === "softmax" ? 0 : -Infinity, `${where} [${j}]`);
            else if (kind === "NaN") exact(v, NaN, `${where} [${j}]`);
            else if (kind === "+Infinity") {
              const want = infs.has(j) ? (fn === "softmax" ? 1 / k : negLog(k)) : (fn === "softmax" ? 0 : -Infinity);
              exact(v, precision === "float32" ? Math.fround(want) : want, `${where} [${j}]`);
            } else if (kind === "masked NaN" && j === spot) exact(v, fn === "softmax" ? 0 : -Infinity, `${where} [${j}]`);
            else if (Number.isNaN(v) && problems.length < 10) problems.push(`${where} [${j}]: NaN in a row without an unmasked NaN`);
          }
        }
        expect(problems).toEqual([]);
      }
    });

    describe(`special values inside a row longer than a window (n = 2 CHUNK + 3 = ${LONG}): first entry, middle of the second window, third window, last entry`, () => {
      test.each(FNS)("%s(x): an unmasked NaN anywhere makes that row NaN, and only that row", (fn) => {
        for (const layout of ["row", "column"] as const) {
          for (const spot of SPOTS) {
            const values = uniforms(LONG, spot);
            values[spot] = NaN;
            const { x, axis, at, result, others } = embed(values, layout, spot + 1);
            const { got } = agree(fn, x, { axis });
            if (fn === "logSumExp") {
              expectExact(got[result], NaN, `${layout}, NaN at ${spot}`);
              for (const r of others) expect(Number.isNaN(got[r]), `${layout}, other row ${r}`).toBe(false);
            } else {
              for (let j = 0; j < LONG; j++) if (!Number.isNaN(got[at(j)])) expectExact(got[at(j)], NaN, `${layout}, NaN at ${spot}: [${j}]`);
              const otherNaNs = Array.from(got).filter((v) => Number.isNaN(v)).length - LONG;
              expect(otherNaNs, `${layout}: NaNs outside the row`).toBe(0);
            }
          }
        }
      });

      test.each(FNS)("%s(x): k +Infinity entries anywhere take all the probability, 1/k each (log-probability -log k)", (fn) => {
        const sets = [[SPOTS[1]], [SPOTS[3]], [0, LONG - 1], SPOTS];
        for (const layout of ["row", "column"] as const) {
          for (const spots of sets) {
            const values = uniforms(LONG, spots.length * 31 + spots[0]);
            for (const s of spots) values[s] = Infinity;
            const { x, axis, at, result } = embed(values, layout, 7);
            const { got } = agree(fn, x, { axis });
            const k = spots.length;
            if (fn === "logSumExp") {
              expectExact(got[result], Infinity, `${layout}, +Infinity at ${spots}`);
              continue;
            }
            for (let j = 0; j < LONG; j++) {
              const on = spots.includes(j);
              const want = fn === "softmax" ? (on ? 1 / k : 0) : (on ? negLog(k) : -Infinity);
              expectExact(got[at(j)], precision === "float32" ? Math.fround(want) : want, `${layout}, +Infinity at ${spots}: [${j}]`);
            }
          }
        }
      });

      test.each(FNS)("%s(x): -Infinity entries anywhere get exactly 0 (log-probability -Infinity) and contribute 0", (fn) => {
        for (const layout of ["row", "column"] as const) {
          const values = uniforms(LONG, 99);
          for (const s of SPOTS) values[s] = -Infinity;
          const { x, axis, at } = embed(values, layout, 8);
          const { got } = agree(fn, x, { axis });
          if (fn !== "logSumExp") {
            for (const s of SPOTS) expectExact(got[at(s)], fn === "softmax" ? 0 : -Infinity, `${layout}: [${s}]`);
          }
        }
      });

      test.each(FNS)("%s(x, { mask }): a masked NaN or +Infinity anywhere is left out, as if it were -Infinity", (fn) => {
        for (const layout of ["row", "column"] as const) {
          const values = uniforms(LONG, 77);
          const minus = values.slice();
          SPOTS.forEach((s, i) => { values[s] = i % 2 ? Infinity : NaN; minus[s] = -Infinity; });
          const { x, axis, at } = embed(values, layout, 9);
          const mask = new Uint8Array(x.data.length).fill(1);
          for (const s of SPOTS) mask[at(s)] = 0;
          const { got } = agree(fn, x, { axis, mask });
          const asMinus = embed(minus, layout, 9);
          const want = runOn(jsKernels, fn, asMinus.x, { axis });
          expect(disagreements(fn, asMinus.x, { axis }, got, want), `${layout}: against the row with -Infinity there`).toEqual([]);
        }
      });
    });

    test.each(FNS)("%s([-1000, 1000]) is [0, 1] (log-probabilities [-2000, 0], logSumExp 1000), and the pattern repeated along 2 CHUNK + 4 entries is uniform over the 1000s", (fn) => {
      const { got } = agree(fn, typed(precision, [-1000, 1000]));
      if (fn === "softmax") { expectExact(got[0], 0, "[0]"); expectNear(got[1], 1, precision, "[1]"); }
      if (fn === "logSoftmax") { expectNear(got[0], -2000, precision, "[0]"); expectNear(got[1], 0, precision, "[1]"); }
      if (fn === "logSumExp") expectNear(got[0], 1000, precision, "logSumExp");
      const m = CHUNK + 2;
      const x = typed(precision, Array.from({ length: 2 * m }, (_, i) => (i % 2 ? 1000 : -1000)));
      const long = agree(fn, x).got;
      if (fn === "logSumExp") return expectNear(long[0], 1000 + log(m), precision, "logSumExp");
      for (const i of [0, 1, 2 * CHUNK - 2, 2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 2 * m - 2, 2 * m - 1]) {
        const want = fn === "softmax" ? (i % 2 ? 1 / m : 0) : (i % 2 ? -log(m) : -2000 - log(m));
        if (want === 0) expectExact(long[i], 0, `[${i}]`);
        else expectNear(long[i], want, precision, `[${i}]`);
      }
    });

    test.each(FNS)("%s(x) of an all-equal row is uniform: 1/n, -log n, c + log n (lengths 1 to 2 CHUNK + 3; c = 0, 3.5, -1000, 1000, 1e4)", (fn) => {
      const lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 129, CHUNK - 1, CHUNK + 1, LONG];
      for (const c of [0, 3.5, -1000, 1000, 1e4]) {
        for (const n of lengths) {
          const { got } = agree(fn, typed(precision, new Float64Array(n).fill(c)));
          if (fn === "logSumExp") { expectNear(got[0], c + log(n), precision, `c = ${c}, n = ${n}`); continue; }
          const want = fn === "softmax" ? 1 / n : -log(n);
          for (const i of [0, 1, (n >> 1), n - 2, n - 1]) if (i >= 0 && i < n) expectNear(got[i], want, precision, `c = ${c}, n = ${n}: [${i}]`);
        }
      }
    });

    test.each(FNS)("%s(x) of rows of large magnitude (around ±1e4, around 1e6, spread over ±1e6, ±1e30 among ordinary values), where a fast path may not apply", (fn) => {
      for (const n of [9, 1000, CHUNK + 1]) {
        const rows: [string, ArrayLike<number>][] = [
          ["1e4 + [-10, 10]", uniforms(n, 1, -10, 10).map((v) => 1e4 + v)],
          ["-1e4 + [-10, 10]", uniforms(n, 2, -10, 10).map((v) => -1e4 + v)],
          ["1e6 + [-100, 100]", uniforms(n, 3, -100, 100).map((v) => 1e6 + v)],
          ["[-1e6, 1e6]", uniforms(n, 4, -1e6, 1e6)],
          ["ordinary with -1e30 every 7th entry", uniforms(n, 5).map((v, i) => (i % 7 === 3 ? -1e30 : v))],
          ["ordinary with 1e30 at two entries", uniforms(n, 6).map((v, i) => (i === 3 || i === n - 2 ? 1e30 : v))],
          ["[-1e30, 1e30]", uniforms(n, 7, -1e30, 1e30)],
          ["integers times 1e4 (ties)", uniforms(n, 8, -3, 3).map((v) => Math.round(v) * 1e4)],
        ];
        for (const [name, values] of rows) {
          const x = typed(precision, values);
          const { got } = agree(fn, x);
          agree(fn, x, { temperature: 3 });
          if (name.startsWith("ordinary with -1e30") && fn !== "logSumExp") {
            for (let i = 3; i < n; i += 7) {
              if (fn === "softmax") expectExact(got[i], 0, `${name}, n = ${n}: [${i}]`);
              else expectNear(got[i], -1e30, precision, `${name}, n = ${n}: [${i}]`);
            }
          }
          if (name.startsWith("ordinary with 1e30")) {
            if (fn === "logSumExp") expectNear(got[0], 1e30, precision, name);
            else for (const i of [3, n - 2]) expectNear(got[i], fn === "softmax" ? 0.5 : -log(2), precision, `${name}, n = ${n}: [${i}]`);
            if (fn === "softmax") expectExact(got[0], 0, `${name}, n = ${n}: [0]`);
          }
        }
      }
    });

    test.each(FNS)("%s(x, { temperature }) for temperatures 0.5, 3, 1e-3, 0 and Infinity on short, long, batched and strided inputs, with and without a mask", (fn) => {
      const integers = tensor(precision, [3000, 7], 6, -3, 3); // ties, for temperature 0
      integers.data = integers.data.map(Math.round);
      const inputs: [Input, CallOptions][] = [
        [row(5, 1), {}], [row(100, 2), {}], [row(CHUNK + 1, 3), {}], [tensor(precision, [40, 100], 4), {}],
        [tensor(precision, [300, 3], 5), { axis: 0 }], [integers, {}],
      ];
      for (const T of [0.5, 3, 1e-3, 0, Infinity]) {
        for (const [x, o] of inputs) {
          agree(fn, x, { ...o, temperature: T });
          agree(fn, x, { ...o, temperature: T, mask: keepMask(dataOf(x).length, 11, 0.6) });
        }
      }
    });

    test.each(FNS)("%s(x, { temperature: 0 }) of a row longer than a window splits the probability equally over the entries tied at the maximum (logSumExp: +Infinity, log k or -Infinity by the maximum's sign)", (fn) => {
      const ints = uniforms(LONG, 12, -3, 4).map(Math.floor); // integers -3..3, many tied at 3
      for (const shift of [0, -3, -5]) {
        const x = typed(precision, ints.map((v) => v + shift));
        const max = 3 + shift;
        const k = ints.filter((v) => v === 3).length;
        const { got } = agree(fn, x, { temperature: 0 });
        if (fn === "logSumExp") {
          expectExact(got[0], max > 0 ? Infinity : max < 0 ? -Infinity : precision === "float32" ? Math.fround(log(k)) : log(k), `max ${max}`);
          continue;
        }
        for (let j = 0; j < LONG; j += 1) {
          const on = ints[j] === 3;
          const want = fn === "softmax" ? (on ? 1 / k : 0) : (on ? negLog(k) : -Infinity);
          if (!on) expectExact(got[j], want, `max ${max}: [${j}]`);
          else if (j % 101 === 0) expectNear(got[j], want, precision, `max ${max}: [${j}]`, 1);
        }
      }
    });

    test.each(FNS)("%s(x, { temperature: Infinity }) of a row longer than a window is uniform over the entries not masked or -Infinity (logSumExp: log n)", (fn) => {
      const values = uniforms(LONG, 13);
      for (let j = 5; j < LONG; j += 11) values[j] = -Infinity;
      const mask = keepMask(LONG, 14, 0.75);
      let kept = 0;
      for (let j = 0; j < LONG; j++) if (mask[j] && values[j] !== -Infinity) kept++;
      const { got } = agree(fn, typed(precision, values), { temperature: Infinity, mask });
      if (fn === "logSumExp") return expectNear(got[0], log(kept), precision, "log n", 1);
      for (let j = 0; j < LONG; j++) {
        const on = mask[j] && values[j] !== -Infinity;
        if (!on) expectExact(got[j], fn === "softmax" ? 0 : -Infinity, `[${j}]`);
        else if (j % 97 === 0) expectNear(got[j], fn === "softmax" ? 1 / kept : -log(kept), precision, `[${j}]`, 1);
      }
    });

    test.each(FNS)("%s(x, { axis }) along non-last axes: axis 0 of [n, 3] up to n = CHUNK + 1, the middle axis of [4, n, 5] and of [2, CHUNK + 1, 3] (long strided rows), negative axes", (fn) => {
      const cases: [number[], number][] = [
        [[9, 3], 0], [[1000, 3], 0], [[CHUNK + 1, 3], 0], [[CHUNK + 1, 2], -2], [[4, 17, 5], 1], [[4, 2000, 5], 1],
        [[2, CHUNK + 1, 3], 1], [[3, 4, 5], 0], [[6, 7, 8], -2], [[2, 3, 65], -3],
      ];
      for (const [shape, axis] of cases) {
        const x = tensor(precision, shape, shape.reduce((a, b) => a * 31 + b, 0));
        agree(fn, x, { axis });
        agree(fn, x, { axis, mask: keepMask(x.data.length, 15, 0.8) });
        agree(fn, x, { axis, temperature: 0.7 });
      }
    });

    test.each(["softmax", "logSoftmax"] as const)("%s(x, { out: x }) computes in place (and into another view of the same memory), on short, long, batched and strided inputs", (fn) => {
      const cases: [Input, CallOptions][] = [
        [row(9, 1), {}], [row(LONG, 2), {}], [tensor(precision, [3000, 7], 3), {}], [tensor(precision, [CHUNK + 1, 2], 4), { axis: 0 }],
        [tensor(precision, [2, CHUNK + 1, 3], 5), { axis: 1, temperature: 0.7 }], [row(LONG, 6), { mask: keepMask(LONG, 6, 0.5) }],
      ];
      for (const [x, o] of cases) {
        const want = runOn(jsKernels, fn, x, o);
        for (const sameObject of [true, false]) {
          const data = dataOf(x).slice();
          const out = sameObject ? data : new (data.constructor as Float64ArrayConstructor)(data.buffer, data.byteOffset, data.length);
          const input = ArrayBuffer.isView(x) ? data : { data, shape: x.shape };
          const r = using(comparedKernels, () => call[fn](input, { ...o, out }));
          expect(ArrayBuffer.isView(r) ? r : (r as Tensor).data).toBe(out);
          expect(disagreements(fn, x, o, data, want), `${describeInput(x)}, out ${sameObject ? "=== x" : "a view of x's memory"}`).toEqual([]);
        }
      }
    });

    test("logSumExp(x, { out: x }) of an [n, 1] tensor computes in place: each row reduces to its one entry (x / T)", () => {
      const n = CHUNK + 5;
      const values = uniforms(n, 16);
      values[0] = -Infinity; values[CHUNK] = Infinity; values[n - 1] = NaN;
      for (const T of [1, 0.5]) {
        const data = typed(precision, values);
        const r = using(comparedKernels, () => logSumExp({ data, shape: [n, 1] }, { out: data, temperature: T })) as Tensor;
        expect(r.data).toBe(data);
        for (let i = 0; i < n; i += i < 10 || i > n - 10 ? 1 : 257) {
          const v = precision === "float32" ? Math.fround(values[i]) : values[i];
          expectExact(data[i], precision === "float32" ? Math.fround(v / T) : v / T, `T = ${T}: [${i}]`);
        }
      }
    });

    test.each(FNS)("%s(x, { out }) with out overlapping x (a shifted view of the same buffer, ahead or behind) gives the result of a separate out", (fn) => {
      const cases: [number[], CallOptions][] = [[[9], {}], [[LONG], {}], [[3000, 7], {}], [[3, CHUNK + 1], {}], [[CHUNK + 1, 2], { axis: 0 }]];
      for (const [shape, given] of cases) {
        const o: CallOptions = fn === "logSumExp" && shape.length === 1 ? { ...given, keepDims: true } : given; // out needs an array result
        const size = shape.reduce((p, s) => p * s, 1);
        const outSize = fn === "logSumExp" ? rowsOf(shape, o.axis ?? -1).length : size;
        const values = uniforms(size, size);
        const want = runOn(jsKernels, fn, { data: typed(precision, values), shape }, o);
        const gap = 3;
        for (const [xAt, outAt] of [[0, gap], [gap, 0], [0, size - outSize + 1], [outSize, 0]] as const) {
          if (fn !== "logSumExp" && xAt + outAt !== gap) continue;
          const buffer = typed(precision, new Float64Array(Math.max(xAt + size, outAt + outSize) + gap));
          const x = buffer.subarray(xAt, xAt + size);
          x.set(typed(precision, values));
          const out = buffer.subarray(outAt, outAt + outSize);
          const where = `shape [${shape}], x at ${xAt}, out at ${outAt}`;
          const r = using(comparedKernels, () => call[fn]({ data: x, shape }, { ...o, out }));
          expect((r as Tensor).data, where).toBe(out);
          expect(disagreements(fn, { data: typed(precision, values), shape }, o, Array.from(out), want), where).toEqual([]);
        }
      }
    });

    test("logSumExp(x, { weights }) on short, long, batched and strided rows, with weight 0 dropping NaN and +Infinity entries (SciPy)", () => {
      const u = prng(17);
      const cases: [Input, CallOptions][] = [
        [row(7, 1), {}], [row(CHUNK + 1, 2), {}], [row(LONG, 3), {}], [tensor(precision, [3000, 7], 4), {}],
        [tensor(precision, [CHUNK + 1, 3], 5), { axis: 0 }], [tensor(precision, [3, 40000], 6), { temperature: 0.7 }],
      ];
      for (const [x, o] of cases) {
        const data = dataOf(x);
        const weights = Float64Array.from({ length: data.length }, () => 3 * u());
        agree("logSumExp", x, { ...o, weights });
        for (let k = 0; k < data.length; k += 1009) { data[k] = k % 2 ? NaN : Infinity; weights[k] = 0; }
        agree("logSumExp", x, { ...o, weights });
        agree("logSumExp", x, { ...o, weights, mask: keepMask(data.length, 18, 0.9) });
      }
    });

    test("logSumExp(c repeated n times, { weights: w }) is c + log(n w); a negative total is NaN; a +Infinity of positive weight is +Infinity", () => {
      for (const n of [1, 7, 65, CHUNK + 1, LONG]) {
        for (const [c, w] of [[0, 1], [3.5, 0.25], [-1000, 3], [1000, 1e-3]]) {
          const { got } = agree("logSumExp", typed(precision, new Float64Array(n).fill(c)), { weights: new Float64Array(n).fill(w) });
          expectNear(got[0], c + log(n * w), precision, `c = ${c}, w = ${w}, n = ${n}`);
        }
        const x = row(n, n);
        expectExact(agree("logSumExp", x, { weights: new Float64Array(n).fill(-1) }).got[0], NaN, `negative weights, n = ${n}`);
        const withInf = dataOf(x).slice();
        withInf[n - 1] = Infinity;
        expectExact(agree("logSumExp", withInf, { weights: new Float64Array(n).fill(0.5) }).got[0], Infinity, `+Infinity, n = ${n}`);
      }
    });

    test("logSumExp of log-probabilities (a result within 2^-44 of 0, the exact path) on rows short and longer than a window", () => {
      for (const n of [5, 129, CHUNK + 1]) {
        const lp = runOn(jsKernels, "logSoftmax", row(n, n + 19, -15, 0)) as ArrayLike<number>;
        const { got } = agree("logSumExp", typed(precision, lp));
        expect(Math.abs(got[0]), `n = ${n}`).toBeLessThan(precision === "float32" ? 1e-5 : 1e-12);
        agree("logSumExp", { data: typed(precision, [...Array.from(lp), ...Array.from(lp)]), shape: [2, n] });
      }
    });
  });

  test("inputs (typed, tensor and nested x; mask and weights) are never mutated by the compared kernels", () => {
    const nested = [[1, -Infinity, 3, NaN], [5, 6, 7, 8]];
    const mask = [[1, 1, 1, 0], [0, 1, 1, 1]];
    const weights = [[1, 2, 0, 0.5], [1, 1, 1, 1]];
    const before = JSON.stringify([nested, mask, weights], (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
    for (const fn of FNS) {
      using(comparedKernels, () => call[fn](nested, { mask, ...(fn === "logSumExp" ? { weights } : {}) }));
      using(comparedKernels, () => call[fn](nested, { axis: 0, temperature: 0.5 }));
    }
    expect(JSON.stringify([nested, mask, weights], (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))).toBe(before);
    // typed and tensor inputs, masks and weights: runOn compares their bytes before and after every call
    for (const precision of PRECISIONS) {
      const n = 2 * chunkOf(precision) + 3;
      const data = typed(precision, uniforms(n, 20));
      data[7] = NaN; data[n - 1] = -Infinity;
      for (const fn of FNS) {
        runOn(comparedKernels, fn, data, { mask: keepMask(n, 21, 0.5), temperature: 0.3 });
        runOn(comparedKernels, fn, { data, shape: [n, 1] }, { axis: 0, ...(fn === "logSumExp" ? { weights: uniforms(n, 22, 0, 1) } : {}) });
      }
    }
  });

  // test/accuracy.test.ts runs every fixture vector on every kernel set; these are the ones streamed in float32
  test("softmax, logSoftmax and logSumExp of the fixtures' float32 rows of n = 100000 (streamed through the window) are within 4 float32 ulp of mpmath on the compared kernels", () => {
    const long = loadFixtures().filter((c) => c.precision === "float32" && c.n === 100000);
    expect(long.length).toBeGreaterThanOrEqual(2);
    const failures: string[] = [];
    for (const c of long) {
      for (const fn of FUNCTIONS) {
        if (fn === "weightedLogSumExp" && c.weightedLogSumExp === null) continue;
        const m = using(comparedKernels, () => measure(library, c, fn));
        if (!passes(m, BOUND)) failures.push(...describeFailure(m, BOUND));
      }
    }
    expect(failures, `${failures.length} problems`).toEqual([]);
  });
});

describe(`random inputs: the ${comparedKernels.name} kernels agree with the js kernels (fast-check)`, () => {
  /** A random call: shape, axis, precision, value scale, ties, special values, mask, temperature, weights. */
  const arbitraryCall = (fn: Fn, longRows: boolean) => {
    const shape = longRows
      ? fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: CHUNK64 - 3, max: 2 * CHUNK32 + 5 })).map(([r, n]) => [r, n])
      : fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 140 })), { minLength: 1, maxLength: 3 })
        .filter((s) => s.reduce((p, v) => p * v, 1) <= 20000);
    return fc.record({
      precision: fc.constantFrom<Precision>("float32", "float64"),
      shape,
      axisPick: fc.nat(),
      negativeAxis: fc.boolean(),
      seed: fc.nat(),
      scale: fc.constantFrom(1, 10, 100, 1000, 1e4, 1e6),
      ties: fc.boolean(),
      specials: fc.constantFrom(0, 0, 0, 0.002, 0.1),
      keep: fc.constantFrom(undefined, undefined, 1, 0.8, 0.3, 0),
      temperature: fc.oneof(fc.constantFrom(undefined, 1, 0.5, 3, 1e-3, 0, Infinity), fc.double({ min: 0.01, max: 100, noNaN: true })),
      weights: fn === "logSumExp" ? fc.constantFrom(undefined, "positive", "with zeros") : fc.constant(undefined),
    });
  };
  type Recipe = ReturnType<typeof arbitraryCall> extends fc.Arbitrary<infer R> ? R : never;

  /** The call a recipe stands for (recipes, not arrays, are what fast-check shrinks and prints). */
  function build(c: Recipe): { x: Tensor; options: CallOptions } {
    const size = c.shape.reduce((p, v) => p * v, 1);
    const u = prng(c.seed);
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = c.ties ? Math.round(6 * u() - 3) : 2 * u() - 1;
      const s = u();
      values[i] = s < c.specials / 2 ? -Infinity : s < (3 * c.specials) / 4 ? Infinity : s < c.specials ? NaN : v * c.scale;
    }
    const d = c.shape.length;
    const options: CallOptions = { axis: c.negativeAxis ? (c.axisPick % d) - d : c.axisPick % d };
    if (c.temperature !== undefined) options.temperature = c.temperature;
    if (c.keep !== undefined) options.mask = Uint8Array.from({ length: size }, () => (u() < c.keep! ? 1 : 0));
    if (c.weights !== undefined) {
      options.weights = Float64Array.from({ length: size }, () => (c.weights === "with zeros" && u() < 0.3 ? 0 : 0.1 + 3 * u()));
    }
    return { x: { data: typed(c.precision, values), shape: c.shape }, options };
  }

  test.each(FNS)("%s agrees on random shapes (up to 3-D), axes, precisions, scales, ties, special values, masks, temperatures and weights", (fn) => {
    fc.assert(fc.property(arbitraryCall(fn, false), (recipe) => {
      const { x, options } = build(recipe);
      agree(fn, x, options);
    }), { numRuns: 200 });
  });

  test.each(FNS)("%s agrees on random rows around and beyond a window (CHUNK64 - 3 to 2 CHUNK32 + 5 entries)", (fn) => {
    fc.assert(fc.property(arbitraryCall(fn, true), (recipe) => {
      const { x, options } = build(recipe);
      agree(fn, x, options);
    }), { numRuns: 6 });
  });
});
