// The sum of an array with each addition's rounding error recovered (two-sum) and added at the end:
// Ogita, Rump & Oishi's Sum2 ("Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005).
import { sumError } from "./doubleDouble.js";

export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0, comp = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const next = sum + v;
    comp += sumError(sum, v, next);
    sum = next;
  }
  return Number.isFinite(sum) ? sum + comp : sum; // an infinite term leaves comp NaN
}
