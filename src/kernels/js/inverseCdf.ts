// Inverse-CDF sampling from one strided row of non-negative weights (checked by the caller).

/**
 * The position j in 0..n-1 whose cumulative weight first exceeds `target` (0 <= target <= total, with
 * `total` the row's sum in the same order). Zero weights leave the running sum unchanged, so they are
 * never chosen; if rounding leaves target at the very top (target = total), the last positive weight is.
 */
export function inverseCdf(
  w: ArrayLike<number>, off: number, stride: number, n: number, target: number, scale: number,
): number {
  let sum = 0, last = -1;
  for (let j = 0, p = off; j < n; j++, p += stride) {
    const v = w[p] * scale;
    if (v === 0) continue;
    sum += v;
    if (sum > target) return j;
    last = j;
  }
  return last;
}

/** The row's sum of `w[p] * scale`, in the order inverseCdf adds them. */
export function rowTotal(w: ArrayLike<number>, off: number, stride: number, n: number, scale: number): number {
  let sum = 0;
  for (let j = 0, p = off; j < n; j++, p += stride) sum += w[p] * scale;
  return sum;
}
