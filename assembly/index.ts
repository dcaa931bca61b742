// The module's exports: where the buffers are, the row-batch kernels (many short rows per call) and
// the segment kernels (a row longer than a chunk, one chunk a call). src/kernels/wasm/ drives them.
import { FLAGS, IN, MASK, OUT, RESULTS } from "./layout";
import { expSum32, logSoftmaxRow32, logSumExpRow32, logWrite32, max32, restSum32, softmaxRow32, ties } from "./rows32";
import { expSum64, logSoftmaxRow64, logSumExpRow64, logWrite64, max64, restSum64, softmaxRow64, ties64 } from "./rows64";

export { CHUNK_BYTES } from "./layout";

export function inPtr(): usize { return IN; }
export function outPtr(): usize { return OUT; }
export function maskPtr(): usize { return MASK; }
export function resultsPtr(): usize { return RESULTS; }
export function flagsPtr(): usize { return FLAGS; }

// Row batches: `rows` rows of `n` at IN (MASK), results to OUT (RESULTS for log-sum-exp). A row the
// kernel leaves to the JS kernels gets FLAGS[r] = 1; the return value counts them.

export function softmaxRows32(rows: i32, n: i32, masked: bool, invT: f64): i32 {
  let left = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>(r * n);
    const done = masked
      ? softmaxRow32(IN + (at << 2), MASK + at, OUT + (at << 2), n, true, invT)
      : softmaxRow32(IN + (at << 2), MASK + at, OUT + (at << 2), n, false, invT);
    store<u8>(FLAGS + <usize>r, done ? 0 : 1);
    left += done ? 0 : 1;
  }
  return left;
}

export function logSoftmaxRows32(rows: i32, n: i32, masked: bool, invT: f64): i32 {
  let left = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>(r * n);
    const done = masked
      ? logSoftmaxRow32(IN + (at << 2), MASK + at, OUT + (at << 2), n, true, invT)
      : logSoftmaxRow32(IN + (at << 2), MASK + at, OUT + (at << 2), n, false, invT);
    store<u8>(FLAGS + <usize>r, done ? 0 : 1);
    left += done ? 0 : 1;
  }
  return left;
}

export function logSumExpRows32(rows: i32, n: i32, masked: bool, invT: f64): i32 {
  let left = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>(r * n);
    const done = masked
      ? logSumExpRow32(IN + (at << 2), MASK + at, n, true, invT, RESULTS + (<usize>r << 3))
      : logSumExpRow32(IN + (at << 2), MASK + at, n, false, invT, RESULTS + (<usize>r << 3));
    store<u8>(FLAGS + <usize>r, done ? 0 : 1);
    left += done ? 0 : 1;
  }
  return left;
}

export function softmaxRows64(rows: i32, n: i32, masked: bool, T: f64): i32 {
  let left = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>(r * n);
    const done = masked
      ? softmaxRow64(IN + (at << 3), MASK + at, OUT + (at << 3), n, true, T)
      : softmaxRow64(IN + (at << 3), MASK + at, OUT + (at << 3), n, false, T);
    store<u8>(FLAGS + <usize>r, done ? 0 : 1);
    left += done ? 0 : 1;
  }
  return left;
}

export function logSoftmaxRows64(rows: i32, n: i32, masked: bool, T: f64): i32 {
  let left = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>(r * n);
    const done = masked
      ? logSoftmaxRow64(IN + (at << 3), MASK + at, OUT + (at << 3), n, true, T)
      : logSoftmaxRow64(IN + (at << 3), MASK + at, OUT + (at << 3), n, false, T);
    store<u8>(FLAGS + <usize>r, done ? 0 : 1);
    left += done ? 0 : 1;
  }
  return left;
}

export function logSumExpRows64(rows: i32, n: i32, masked: bool, T: f64): i32 {
  let left = 0;
  for (let r = 0; r < rows; r++) {
    const at = <usize>(r * n);
    const done = masked
      ? logSumExpRow64(IN + (at << 3), MASK + at, n, true, T, RESULTS + (<usize>r << 3))
      : logSumExpRow64(IN + (at << 3), MASK + at, n, false, T, RESULTS + (<usize>r << 3));
    store<u8>(FLAGS + <usize>r, done ? 0 : 1);
    left += done ? 0 : 1;
  }
  return left;
}

// Segments: one chunk of a long row at IN (MASK), `len` entries. The driver finds the row's maximum
// over all chunks first, then sums, then writes.

export function segmentMax32(len: i32, masked: bool): f64 {
  return <f64>(masked ? max32(IN, MASK, len, true) : max32(IN, MASK, len, false));
}

export function segmentSum32(len: i32, masked: bool, max: f64, invT: f64): f64 {
  return masked ? expSum32(IN, MASK, OUT, len, true, max, invT, false, 1) : expSum32(IN, MASK, OUT, len, false, max, invT, false, 1);
}

export function segmentSoftmax32(len: i32, masked: bool, max: f64, invT: f64, factor: f32): void {
  if (masked) expSum32(IN, MASK, OUT, len, true, max, invT, true, factor);
  else expSum32(IN, MASK, OUT, len, false, max, invT, true, factor);
}

/** Rest sum (rows32.ts) of the segment; its count of entries equal to max is then segmentTies(). */
export function segmentRest32(len: i32, masked: bool, max: f64, invT: f64): f64 {
  return masked ? restSum32(IN, MASK, len, true, max, invT) : restSum32(IN, MASK, len, false, max, invT);
}

export function segmentTies32(): i32 { return ties; }

export function segmentLog32(len: i32, masked: bool, max: f64, invT: f64, logSum: f64): void {
  if (masked) logWrite32(IN, MASK, OUT, len, true, max, invT, logSum);
  else logWrite32(IN, MASK, OUT, len, false, max, invT, logSum);
}

export function segmentMax64(len: i32, masked: bool): f64 {
  return masked ? max64(IN, MASK, len, true) : max64(IN, MASK, len, false);
}

export function segmentSum64(len: i32, masked: bool, max: f64, T: f64): f64 {
  return expSum64(IN, MASK, OUT, len, masked, max, T, false, 1);
}

export function segmentSoftmax64(len: i32, masked: bool, max: f64, T: f64, sum: f64): void {
  expSum64(IN, MASK, OUT, len, masked, max, T, true, sum);
}

export function segmentRest64(len: i32, masked: bool, max: f64, T: f64): f64 {
  return restSum64(IN, MASK, len, masked, max, T);
}

export function segmentTies64(): i32 { return ties64; }

export function segmentLog64(len: i32, masked: bool, max: f64, T: f64, logSum: f64): void {
  logWrite64(IN, MASK, OUT, len, masked, max, T, logSum);
}
