import { rangeError, typeError } from "./core/describe.js";

/** A source of uniform numbers in [0, 1). Every sampling function takes one as `rng` (or a bare `() => number`). */
export interface Rng {
  next(): number;
}

/** What the sampling functions take as `rng`: an {@link Rng} or a bare function returning numbers in [0, 1). */
export type RngSource = Rng | (() => number);

/**
 * The randomness options of every sampling function: `rng`, or `seed` for a fresh {@link createRng}
 * (not both). With neither, a generator is seeded from crypto.getRandomValues; no global state is used.
 */
export interface RandomOptions {
  rng?: RngSource;
  seed?: number;
}

/** The generator {@link createRng} returns: PCG32, with its raw 32-bit outputs available too. */
export interface Pcg32 extends Rng {
  /** A uniform double in [0, 1) with 53 random bits (two 32-bit outputs). */
  next(): number;
  /** The next raw 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number;
}

// The generator is O'Neill's PCG32 (XSH-RR output on a 64-bit LCG; "PCG: A Family of Simple Fast
// Space-Efficient Statistically Good Algorithms for Random Number Generation", 2014), seeded like the
// reference pcg32_srandom(initstate = seed, initseq = 54), so createRng(42) replays the reference
// demo's stream. JS has no 64-bit integers that are fast, so the 64-bit state is two uint32 halves and
// the LCG multiply is done on 16-bit pieces (every partial product is exact in a double).
const MUL_HI = 0x5851f42d, MUL_LO = 0x4c957f2d; // 6364136223846793005
const STREAM = 54;
const TWO_32 = 4294967296;

/** (hi, lo) * (MUL_HI, MUL_LO) mod 2^64, as [hi, lo]. */
function multiply(hi: number, lo: number, out: Uint32Array): void {
  const a0 = lo & 0xffff, a1 = lo >>> 16, b0 = MUL_LO & 0xffff, b1 = MUL_LO >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const low = ((mid & 0xffff) * 65536 + (p00 & 0xffff)) >>> 0;
  const carry = p11 + Math.floor(p01 / 65536) + Math.floor(p10 / 65536) + Math.floor(mid / 65536);
  out[0] = (carry + Math.imul(lo, MUL_HI) + Math.imul(hi, MUL_LO)) >>> 0;
  out[1] = low;
}

class Pcg32Generator implements Pcg32 {
  // state[0..1] = hi, lo of the LCG state; inc[0..1] = hi, lo of the (odd) increment
  private readonly state = new Uint32Array(2);
  private readonly inc = new Uint32Array(2);

  constructor(seedHi: number, seedLo: number) {
    // inc = (initseq << 1) | 1; state = 0; step; state += initstate; step
    this.inc[0] = 0;
    this.inc[1] = ((STREAM << 1) | 1) >>> 0;
    this.step();
    this.add(seedHi, seedLo);
    this.step();
  }

  private add(hi: number, lo: number): void {
    const low = this.state[1] + lo;
    this.state[1] = low >>> 0;
    this.state[0] = (this.state[0] + hi + (low >= TWO_32 ? 1 : 0)) >>> 0;
  }

  private step(): void {
    multiply(this.state[0], this.state[1], this.state);
    this.add(this.inc[0], this.inc[1]);
  }

  nextUint32(): number {
    const hi = this.state[0], lo = this.state[1];
    this.step();
    // xorshifted = ((old >> 18) ^ old) >> 27, truncated to 32 bits; rot = old >> 59
    const xhi = hi ^ (hi >>> 18);
    const xlo = lo ^ ((lo >>> 18) | (hi << 14));
    const xorshifted = ((xlo >>> 27) | (xhi << 5)) >>> 0;
    const rot = hi >>> 27;
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }

  next(): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6; // 27 + 26 = 53 bits
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/**
 * A seeded random number generator: PCG32 (O'Neill 2014, XSH-RR 64/32), the same stream on every
 * platform. `seed` is any safe integer (negative seeds are taken modulo 2^64); the generator is
 * seeded as the reference `pcg32_srandom(seed, 54)`, so `createRng(42).nextUint32()` gives the
 * reference demo's 0xa15c02b7. `next()` returns a double in [0, 1) built from two outputs (53 bits).
 *
 * ```ts
 * const rng = createRng(42);
 * rng.nextUint32(); // 2707161783 (0xa15c02b7)
 * ```
 */
export function createRng(seed: number): Pcg32 {
  if (typeof seed !== "number") throw typeError("createRng", "seed must be an integer", seed);
  if (!Number.isSafeInteger(seed)) {
    throw rangeError("createRng", "seed must be a safe integer (|seed| <= 2^53 - 1)", seed);
  }
  const magnitude = Math.abs(seed);
  let hi = Math.floor(magnitude / TWO_32) >>> 0, lo = magnitude >>> 0;
  if (seed < 0) { // two's complement of the 64-bit magnitude
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  return new Pcg32Generator(hi, lo);
}
