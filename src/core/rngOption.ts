// The `rng` / `seed` options of the sampling functions (API.md §6-7): a generator object, a bare
// function, or a seed for createRng. Nothing here reads or writes global state: with neither option,
// a fresh generator is seeded from the platform's crypto source.
import { createRng } from "../createRng.js";
import { rangeError, typeError } from "./describe.js";

/** Draws uniform numbers in [0, 1); every draw is checked, so a broken generator is named, not sampled from. */
export type Uniform = () => number;

export function readRng(rng: unknown, seed: unknown, fn: string): Uniform {
  if (rng !== undefined && seed !== undefined) {
    throw typeError(fn, "pass rng or seed, not both", { rng, seed });
  }
  let draw: () => number;
  if (rng !== undefined) {
    if (typeof rng === "function") draw = rng as () => number;
    else if (typeof rng === "object" && rng !== null && typeof (rng as { next?: unknown }).next === "function") {
      const source = rng as { next(): number };
      draw = () => source.next();
    } else {
      throw typeError(fn, "rng must be an object with a next() method or a function returning numbers in [0, 1)", rng);
    }
  } else if (seed !== undefined) {
    if (typeof seed !== "number") throw typeError(fn, "seed must be an integer", seed);
    if (!Number.isSafeInteger(seed)) throw rangeError(fn, "seed must be a safe integer", seed);
    const generator = createRng(seed);
    return () => generator.next();
  } else {
    const generator = createRng(freshSeed());
    return () => generator.next();
  }
  return () => {
    const u = draw();
    if (typeof u !== "number" || !(u >= 0 && u < 1)) throw rangeError(fn, "rng must return numbers in [0, 1)", u);
    return u;
  };
}

/** 53 random bits from crypto.getRandomValues (Node >= 18 and every browser have it). */
function freshSeed(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[0] & 0x1fffff) * 4294967296 + words[1];
}
