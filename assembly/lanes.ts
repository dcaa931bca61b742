// Lane helpers shared by the float32 and float64 kernels: masks and row tails.

/** (0, 1, 2, 3) as i32 lanes, and (0, 1) as i64 lanes: lane numbers for the tail of a row. */
const IOTA32: v128 = i32x4(0, 1, 2, 3);
const IOTA64: v128 = i64x2(0, 1);
export const NEG_INF32: v128 = f32x4(-Infinity, -Infinity, -Infinity, -Infinity);
export const NEG_INF64: v128 = f64x2(-Infinity, -Infinity);

/** x with the entries whose mask byte (4 bytes at `m`) is 0 replaced by -Infinity. */
// @ts-ignore: decorator
@inline export function keep32(x: v128, m: usize): v128 {
  const bytes = v128.load32_zero(m);
  const words = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes));
  return v128.bitselect(NEG_INF32, x, i32x4.eq(words, i32x4.splat(0)));
}

/** x with the entries whose mask byte (2 bytes at `m`; load16_splat puts them in bytes 0 and 1) is 0 replaced by -Infinity. */
// @ts-ignore: decorator
@inline export function keep64(x: v128, m: usize): v128 {
  const bytes = v128.load16_splat(m);
  const words = i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)));
  return v128.bitselect(NEG_INF64, x, i64x2.eq(words, i64x2.splat(0)));
}

/** x with the lanes from `count` on (past the end of the row) replaced by -Infinity. */
// @ts-ignore: decorator
@inline export function head32(x: v128, count: i32): v128 {
  return v128.bitselect(x, NEG_INF32, i32x4.lt_s(IOTA32, i32x4.splat(count)));
}

// @ts-ignore: decorator
@inline export function head64(x: v128, count: i32): v128 {
  return v128.bitselect(x, NEG_INF64, i64x2.lt_s(IOTA64, i64x2.splat(count)));
}

/** The 4 float32 entries from element i of row x (mask m), -Infinity where left out. */
// @ts-ignore: decorator
@inline export function load32(x: usize, m: usize, i: i32, masked: bool): v128 {
  const v = v128.load(x + (<usize>i << 2));
  return masked ? keep32(v, m + <usize>i) : v;
}

/** The last, partial vector of a row of n (i < n < i + 4): -Infinity past the end. */
// @ts-ignore: decorator
@inline export function loadTail32(x: usize, m: usize, i: i32, n: i32, masked: bool): v128 {
  return head32(load32(x, m, i, masked), n - i);
}

// @ts-ignore: decorator
@inline export function load64(x: usize, m: usize, i: i32, masked: bool): v128 {
  const v = v128.load(x + (<usize>i << 3));
  return masked ? keep64(v, m + <usize>i) : v;
}

// @ts-ignore: decorator
@inline export function loadTail64(x: usize, m: usize, i: i32, n: i32, masked: bool): v128 {
  return head64(load64(x, m, i, masked), n - i);
}
