// attention's memory: without returnWeights the Tq x Tk matrix is never made. Each call runs in a
// fresh Node process (bench/attentionMemory.mjs), whose peak resident set is read before and after;
// the built package (dist/esm) is what runs, as `npm test` builds first.
import { describe, expect, test } from "vitest";
// @ts-expect-error a plain ES module of the benchmark, without types
import { measureAttentionMemory } from "../bench/attentionMemory.mjs";

const MiB = 2 ** 20;
const shape = [1, 4096, 16]; // Q, K, V and the output: 1 MiB together; the weights: 64 MiB

describe("attention's peak memory (child processes)", () => {
  test("without returnWeights: a few MiB at most, far below the 64 MiB weight matrix", () => {
    const m = measureAttentionMemory({ shape, causal: true });
    expect(m.ioBytes).toBe(1 * MiB);
    expect(m.peakExtraBytes).toBeLessThan(16 * MiB);
  });

  test("with returnWeights the weight matrix shows up, so the measurement can see it", () => {
    const m = measureAttentionMemory({ shape, causal: true, returnWeights: true });
    expect(m.weightsBytes).toBe(64 * MiB);
    expect(m.peakExtraBytes).toBeGreaterThan(0.9 * m.weightsBytes);
  });
});
