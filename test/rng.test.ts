// createRng (PCG32) against the streams of an independent Python implementation with exact integers
// (test/fixtures/sampling.py, which also checks the reference demo's published outputs), and the
// `rng` / `seed` option reader every sampling function uses.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createRng } from "../src/index.js";
import { readRng } from "../src/core/rngOption.js";

interface Stream {
  seed: number;
  uint32: number[];
  next: number[];
}
const fixtures: { pcg32: Stream[]; chi2Critical: number[] } = JSON.parse(
  readFileSync(new URL("./fixtures/sampling.json", import.meta.url), "utf8"),
);

describe("createRng", () => {
  test("seed 42 begins with the PCG32 reference demo's outputs (pcg32_srandom(42, 54))", () => {
    const rng = createRng(42);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([0xa15c02b7, 0x7b47f409, 0xba1d3330]);
  });

  for (const s of fixtures.pcg32) {
    test(`seed ${s.seed}: nextUint32 and next replay the Python reference stream`, () => {
      const raw = createRng(s.seed);
      expect(s.uint32.map(() => raw.nextUint32())).toEqual(s.uint32);
      const doubles = createRng(s.seed);
      expect(s.next.map(() => doubles.next())).toEqual(s.next);
    });
  }

  test("next() is in [0, 1) with 53 bits, and its mean and variance are those of U(0, 1)", () => {
    const rng = createRng(7), n = 200_000;
    let sum = 0, sumSq = 0, fine = 0, outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
      if ((u * 2 ** 32) % 1 !== 0) fine++; // bits below 2^-32: more than one 32-bit output per draw
    }
    expect(outside).toBe(0);
    // mean 1/2 with standard error sqrt(1/12 / n) = 6.5e-4: 5 standard errors
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(sumSq / n - sum * sum / n / n - 1 / 12)).toBeLessThan(2e-3);
    expect(fine).toBeGreaterThan(n * 0.99);
  });

  test("each 32-bit output bit is set about half the time", () => {
    const rng = createRng(2024), n = 50_000, counts = new Array<number>(32).fill(0);
    for (let i = 0; i < n; i++) {
      const v = rng.nextUint32();
      for (let b = 0; b < 32; b++) counts[b] += (v >>> b) & 1;
    }
    // binomial(n, 1/2): standard deviation 112; 6 of them
    for (const c of counts) expect(Math.abs(c - n / 2)).toBeLessThan(670);
  });

  test("different seeds give different streams; the same seed the same one", () => {
    const first = (seed: number) => { const r = createRng(seed); return [r.nextUint32(), r.nextUint32()]; };
    expect(first(1)).not.toEqual(first(2));
    expect(first(-1)).not.toEqual(first(1));
    expect(first(123)).toEqual(first(123));
  });

  test("bad seeds are named", () => {
    expect(() => createRng("1" as never)).toThrow(new TypeError('createRng: seed must be an integer; got string "1"'));
    expect(() => createRng(1.5)).toThrow(new RangeError("createRng: seed must be a safe integer (|seed| <= 2^53 - 1); got 1.5"));
    expect(() => createRng(2 ** 53)).toThrow(RangeError);
    expect(() => createRng(NaN)).toThrow(/seed must be a safe integer.*got NaN/);
  });
});

describe("the rng / seed options", () => {
  test("seed gives createRng(seed).next's stream", () => {
    const draw = readRng(undefined, 5, "f"), ref = createRng(5);
    expect([draw(), draw(), draw()]).toEqual([ref.next(), ref.next(), ref.next()]);
  });

  test("an Rng object and a bare function are both read", () => {
    const values = [0.25, 0.5];
    let i = 0;
    const fromObject = readRng({ next: () => values[i++] }, undefined, "f");
    expect([fromObject(), fromObject()]).toEqual(values);
    const fromFunction = readRng(() => 0.75, undefined, "f");
    expect(fromFunction()).toBe(0.75);
  });

  test("with neither, each call seeds a fresh generator from crypto (two streams differ)", () => {
    const a = readRng(undefined, undefined, "f"), b = readRng(undefined, undefined, "f");
    const u = a(), v = b();
    expect(u >= 0 && u < 1 && v >= 0 && v < 1).toBe(true);
    expect([u, a()]).not.toEqual([v, b()]);
  });

  test("a draw outside [0, 1) is named instead of used", () => {
    expect(() => readRng(() => 1, undefined, "sampleLogits")()).toThrow(new RangeError("sampleLogits: rng must return numbers in [0, 1); got 1"));
    expect(() => readRng({ next: () => NaN }, undefined, "f")()).toThrow(/got NaN/);
    expect(() => readRng(() => -0.1, undefined, "f")()).toThrow(RangeError);
    expect(() => readRng(() => "0.5" as never, undefined, "f")()).toThrow(/got string "0.5"/);
  });

  test("bad options are named", () => {
    expect(() => readRng(() => 0.5, 1, "f")).toThrow(new TypeError("f: pass rng or seed, not both; got an object"));
    expect(() => readRng(42, undefined, "f")).toThrow(/rng must be an object with a next\(\) method.*got 42/);
    expect(() => readRng({}, undefined, "f")).toThrow(TypeError);
    expect(() => readRng(undefined, "7", "f")).toThrow(new TypeError('f: seed must be an integer; got string "7"'));
    expect(() => readRng(undefined, 0.5, "f")).toThrow(new RangeError("f: seed must be a safe integer; got 0.5"));
  });
});
