// An accurately rounded sum for the tests' own reference computations (Neumaier's compensation:
// the rounding error of each addition kept apart and added at the end).
export function accurateSum(values: ArrayLike<number>): number {
  let s = 0, c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  return s + c;
}
