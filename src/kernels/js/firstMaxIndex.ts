// argmax of one strided row, NumPy's way: the first index of the maximum, and a NaN beats every
// number (the first NaN wins). Masked entries are not candidates.

/**
 * The position j in 0..n-1 (entry j at off + j * stride) of the row's first maximum, or -1 when the
 * row has no candidate (n = 0, or every entry masked). -0 and 0 tie (the first wins); -Infinity is a
 * candidate like any number.
 */
export function firstMaxIndex(
  x: ArrayLike<number>, off: number, stride: number, n: number, mask: Uint8Array | null,
): number {
  let best = -1, max = -Infinity;
  for (let j = 0, p = off; j < n; j++, p += stride) {
    if (mask !== null && mask[p] === 0) continue;
    const v = x[p];
    if (v !== v) return j;
    if (best < 0 || v > max) {
      best = j;
      max = v;
    }
  }
  return best;
}
