import { describe, rangeError, typeError } from "./core/describe.js";
import { floatKindOf } from "./core/floatArrays.js";
import type { DD } from "./kernels/js/doubleDouble.js";
import { logSumExpOf, mergeStates, normalizeFinite, pushValues, type OnlineState } from "./kernels/js/onlineState.js";
import type { FloatArray } from "./types.js";

/** The state of an {@link OnlineSoftmax} as a plain object: what `toJSON` returns. */
export interface OnlineSoftmaxState {
  /** The largest value pushed (-0 as +0): -Infinity when there is none (or all are -Infinity), NaN after a NaN. */
  max: number;
  /** sum_j exp(x_j - max), rounded to double: >= 1 for a finite max, k for k values +Infinity, 0 or NaN. */
  sum: number;
  /** How many values were pushed, every one counted (-Infinity and NaN too). */
  count: number;
}

/**
 * What `fromJSON` accepts: an {@link OnlineSoftmaxState}, or one through JSON.stringify and JSON.parse,
 * which write a non-finite number as null (see {@link OnlineSoftmax.fromJSON}).
 */
export interface OnlineSoftmaxJSON {
  readonly max: number | null;
  readonly sum: number | null;
  readonly count: number;
}

/**
 * A streaming, mergeable softmax normaliser: values are pushed in chunks of any size, states built
 * apart (in workers, on other machines) are merged, and the result is the log-sum-exp of everything
 * pushed, against which `normalize` gives softmax probabilities.
 *
 * ```ts
 * const s = new OnlineSoftmax().push([1, 2]).push(new Float32Array([3]));
 * s.logSumExp;            // 3.40760596444438 (= logSumExp([1, 2, 3]))
 * s.normalize([1, 2, 3]); // Float64Array [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
 * const part = OnlineSoftmax.fromJSON(JSON.parse(JSON.stringify(new OnlineSoftmax().push([4]))));
 * s.merge(part).count;    // 4
 * ```
 *
 * State: `max`, the largest value pushed; `sum` = sum_j exp(x_j - max), held in double-double
 * (hi + lo, about 106 bits); and `count`, the number of values pushed. A push finds its chunk's
 * maximum first; if it rises, the old sum is rescaled once, by exp(oldMax - newMax) in double-double;
 * then each term exp(x_j - max) is computed with the shift made exact (two-sum, about 0.52 ulp a term)
 * and added by a compensated sum (Sum2) into the double-double. `merge` rescales the side with the
 * smaller max the same way and adds: it is commutative bit for bit, associative up to double-double
 * rounding (about 2^-100 of the sum), and the empty state is its identity. So chunking and merge
 * order add essentially no error: what is left is the rounding of each term.
 *
 * Accuracy: `logSumExp` = max + log(sum), the log taken with an exact correction in double-double,
 * is within 4 ulp of the one-shot `logSumExp` of all the values, or within 2^-52 in absolute
 * terms where max and log(sum) cancel (a result near 0, as for log-probabilities whose total is near
 * 1): the state keeps only the sum, whose terms are rounded (at most 0.52 * 2^-52 of it in all), and
 * that is the absolute error of its log, however small the result. `normalize` is within 4 ulp of the
 * one-shot `softmax` entry by entry.
 *
 * Special values follow API.md §2: -Infinity values contribute 0; nothing pushed, or nothing but
 * -Infinity, gives logSumExp -Infinity; k values +Infinity give +Infinity (and probability 1/k on
 * each of them); a NaN gives NaN, and the state stays NaN through further pushes and merges.
 */
export class OnlineSoftmax {
  private readonly state: OnlineState = { max: -Infinity, hi: 0, lo: 0, count: 0 };
  /** max + log(sum) in double-double, valid while `cached`. */
  private readonly lse: DD = { hi: -Infinity, lo: 0 };
  private cached = true;

  /**
   * Folds `values` (any array-like of numbers: number[], Float64Array, Float32Array, ...) into the
   * state and returns it. An empty chunk changes nothing. An entry that is not a number is a
   * TypeError, and then nothing of the chunk is taken in.
   */
  push(values: ArrayLike<number>): this {
    const n = checkNumbers("OnlineSoftmax.push", values);
    if (n === 0) return this;
    pushValues(this.state, values, n);
    this.cached = false;
    return this;
  }

  /**
   * Folds another state into this one (as if its values had been pushed here) and returns this.
   * Commutative and associative; merging an empty state changes nothing; `s.merge(s)` counts every
   * value twice. `other` is not changed.
   */
  merge(other: OnlineSoftmax): this {
    if (!(other instanceof OnlineSoftmax)) {
      throw typeError("OnlineSoftmax.merge", "other must be an OnlineSoftmax", other);
    }
    mergeStates(this.state, other.state, this.state);
    this.cached = false;
    return this;
  }

  /** How many values were pushed (merged states included), -Infinity and NaN counted too. */
  get count(): number {
    return this.state.count;
  }

  /**
   * log(sum_j exp(x_j)) over every value pushed: -Infinity when there is none or all are -Infinity,
   * +Infinity after a +Infinity, NaN after a NaN.
   */
  get logSumExp(): number {
    return this.lseDD().hi;
  }

  /**
   * exp(x - logSumExp) for each entry of `values`: their probabilities under the softmax of everything
   * pushed (with all of it, the same as one-shot `softmax`). Into `out` (a Float32Array or Float64Array
   * of the same length, which may be `values` itself) or a new Float64Array. After a NaN every entry
   * is NaN; with k values +Infinity, entries +Infinity get 1/k and the others 0; -Infinity entries
   * get 0. An entry that cannot have been pushed into this state (above its max, or NaN while the
   * state is not) is a RangeError: it is normalised against the wrong state.
   */
  normalize(values: ArrayLike<number>): Float64Array;
  normalize<T extends FloatArray>(values: ArrayLike<number>, out: T): T;
  normalize(values: ArrayLike<number>, out?: FloatArray): Float64Array | FloatArray;
  normalize(values: ArrayLike<number>, out?: FloatArray): Float64Array | FloatArray {
    const fn = "OnlineSoftmax.normalize";
    const n = checkNumbers(fn, values);
    if (out !== undefined) {
      if (floatKindOf(out) === undefined) {
        throw typeError(fn, "out must be a Float32Array or Float64Array", out);
      }
      if (out.length !== n) throw rangeError(fn, `out must have the length of values (${n})`, out);
    }
    const { max, hi } = this.state;
    if (max === max) {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!(v <= max)) {
          throw rangeError(
            fn, `values[${i}] cannot have been pushed into this state (max ${describe(max)}): entries must be <= max and not NaN`, v,
          );
        }
      }
    }
    const result = out ?? new Float64Array(n);
    if (max !== max) {
      result.fill(NaN);
    } else if (max === Infinity) {
      const share = 1 / hi;
      for (let i = 0; i < n; i++) result[i] = values[i] === Infinity ? share : 0;
    } else if (max === -Infinity) {
      result.fill(0); // every entry is -Infinity (checked above)
    } else {
      const lse = this.lseDD();
      normalizeFinite(values, n, lse.hi, lse.lo, result);
    }
    return result;
  }

  /**
   * The state as a plain object { max, sum, count }, sum rounded to the nearest double. JSON.stringify
   * writes a non-finite max or sum as null; {@link OnlineSoftmax.fromJSON} reads that back.
   */
  toJSON(): OnlineSoftmaxState {
    const { max, hi, lo, count } = this.state;
    return { max, sum: hi + lo, count };
  }

  /**
   * The state `toJSON` gave, as an OnlineSoftmax (its sum is a double now: about 2^-53 of it is lost,
   * like one more rounded term). Also reads a state through JSON.parse, where a non-finite max is null:
   * it is decoded from the sum, which tells the cases apart (sum 0: max -Infinity; sum null: NaN;
   * sum k >= 1: k values +Infinity).
   *
   * Checks: max and sum numbers (or null), count a number (TypeError otherwise); count a non-negative
   * integer, and the three consistent (RangeError naming the field): count 0 has max -Infinity and
   * sum 0; max -Infinity has sum 0; a finite max has 1 <= sum <= count; max +Infinity has sum an
   * integer k in [1, count]; max NaN has sum NaN (and count >= 1).
   */
  static fromJSON(state: OnlineSoftmaxJSON): OnlineSoftmax {
    const fn = "OnlineSoftmax.fromJSON";
    if (typeof state !== "object" || state === null) {
      throw typeError(fn, "state must be an object { max, sum, count }", state);
    }
    const { count } = state;
    let { max, sum } = state;
    if (max !== null && typeof max !== "number") {
      throw typeError(fn, "state.max must be a number (or null, JSON's non-finite number)", max);
    }
    if (sum !== null && typeof sum !== "number") {
      throw typeError(fn, "state.sum must be a number (or null, JSON's non-finite number)", sum);
    }
    if (typeof count !== "number") throw typeError(fn, "state.count must be a number", count);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw rangeError(fn, "state.count must be a non-negative integer", count);
    }
    if (max === null) {
      if (sum === null) max = NaN;
      else if (sum === 0) max = -Infinity;
      else if (sum >= 1 && Number.isInteger(sum)) max = Infinity;
      else {
        throw rangeError(
          fn, "with state.max null (a non-finite max through JSON), state.sum must be 0 (-Infinity), null (NaN) or an integer k >= 1 (+Infinity)", sum,
        );
      }
    }
    if (sum === null) {
      if (max === max) throw rangeError(fn, `state.sum must be a number when state.max is ${describe(max)}`, sum);
      sum = NaN;
    }
    if (count === 0 && max !== -Infinity) {
      throw rangeError(fn, "state.max must be -Infinity when state.count is 0 (nothing pushed)", max);
    }
    if (max !== max) {
      if (sum === sum) throw rangeError(fn, "state.sum must be NaN (or null) when state.max is NaN", sum);
    } else if (!(sum >= 0)) {
      throw rangeError(fn, "state.sum must be >= 0", sum);
    } else if (max === -Infinity) {
      if (sum !== 0) throw rangeError(fn, "state.sum must be 0 when state.max is -Infinity", sum);
    } else if (max === Infinity) {
      if (!Number.isInteger(sum) || sum < 1 || sum > count) {
        throw rangeError(fn, `state.sum must be an integer from 1 to state.count (${count}) when state.max is Infinity`, sum);
      }
    } else if (!(sum >= 1 && sum <= count)) {
      throw rangeError(fn, `state.sum must be from 1 to state.count (${count}) when state.max is finite`, sum);
    }
    const s = new OnlineSoftmax();
    s.state.max = max + 0; // never -0
    s.state.hi = sum + 0; // never -0
    s.state.lo = 0;
    s.state.count = count;
    s.cached = false;
    return s;
  }

  /** max + log(sum) in double-double, computed once per state. */
  private lseDD(): DD {
    const lse = this.lse;
    if (!this.cached) {
      const { max, hi, lo } = this.state;
      if (max - max === 0) { // finite
        logSumExpOf(max, hi, lo, lse);
      } else {
        lse.hi = max; // NaN, +Infinity or -Infinity
        lse.lo = 0;
      }
      this.cached = true;
    }
    return lse;
  }
}

/** Checks that `values` is an array-like of numbers and returns its length. */
function checkNumbers(fn: string, values: ArrayLike<number>): number {
  if (typeof values !== "object" || values === null) throw notArrayLike(fn, values);
  const n = (values as { length?: unknown }).length;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw notArrayLike(fn, values);
  if (floatKindOf(values) !== undefined) return n; // by tag, so arrays from another realm count too
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number") throw typeError(fn, `values[${i}] must be a number`, v);
  }
  return n;
}

function notArrayLike(fn: string, values: unknown): TypeError {
  return typeError(fn, "values must be an array-like of numbers (number[], Float64Array, Float32Array, ...)", values);
}
