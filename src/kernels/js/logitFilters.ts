// The per-row thresholds of the logit filters (filterTopK, filterTopP, filterMinP) and of sampleLogits.
// Every filter keeps the entries of a row at or above a logit value, its threshold, so the filters
// chain by taking the largest threshold, and a kept set never depends on the order of the vocabulary.
//
// Probabilities are the weights w = exp((x - max) / T) of API.md §2 (k entries at +Infinity share the
// mass; T = Infinity is uniform over the entries above -Infinity), computed as the softmax kernels do
// (shiftedExp64, within about an ulp), and added with their rounding errors kept (Sum2), so that a mass
// is compared with p * total exactly in effect (to 2^-52 of the total: see topPThreshold).
//
// Rows are strided (entry j at off + j * stride) and free of NaN (the caller checks with scanRow).
// The scratch buffers are module-level and grow to the longest row seen: no O(n) allocation per call.
import type { FloatArray } from "../../types.js";
import { ddAdd, sumError, twoProd, twoSum, type DD } from "./doubleDouble.js";
import { kthLargest, weightedThreshold } from "./selection.js";
import { shiftedExp64, type Temperature } from "./shiftedExp.js";

let values = new Float64Array(0);
let weights = new Float64Array(0);
let positions = new Int32Array(0);

function reserve(n: number): void {
  if (values.length >= n) return;
  const size = Math.max(n, 2 * values.length);
  values = new Float64Array(size);
  weights = new Float64Array(size);
  positions = new Int32Array(size);
}

export const UNIT_TEMPERATURE: Temperature = { T: 1, parts: null };

/** What scanRow found: flat indices of the first maximum (-1: no entry above -Infinity) and of the first NaN (-1: none). */
export interface RowScan {
  best: number;
  nan: number;
}

export function scanRow(x: FloatArray, off: number, stride: number, n: number, scan: RowScan): void {
  let best = -1, nan = -1, max = -Infinity;
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    const v = x[p];
    if (v > max) {
      max = v;
      best = p;
    } else if (v !== v && nan < 0) {
      nan = p;
    }
  }
  scan.best = best;
  scan.nan = nan;
}

/** The unnormalised probability of v in a row whose maximum is `max` (T > 0). */
function weight(v: number, max: number, t: Temperature): number {
  if (max === Infinity) return v === Infinity ? 1 : 0;
  if (t.T === Infinity) return v > -Infinity ? 1 : 0;
  return shiftedExp64(v, max, t);
}

/** Top-k: the k-th largest entry (ties all reach it); -Infinity (keep all) when k >= n. */
export function topKThreshold(x: FloatArray, off: number, stride: number, n: number, k: number): number {
  if (k >= n) return -Infinity;
  reserve(n);
  for (let j = 0, p = off; j < n; j++, p += stride) values[j] = x[p];
  return kthLargest(values, n, k);
}

const dd: DD = { hi: 0, lo: 0 };
const total: DD = { hi: 0, lo: 0 };

// Long rows: while the weights are computed, their mass is also added up in bins of the gap
// (max - v) / T (1/32 wide, the last bin open), which finds the bin of the crossing token; one more pass
// adds up the mass above that bin exactly and gathers the bin's entries, among which the weighted
// quickselect runs. The bins follow the values, so "above the bin" is a top set whatever the rounding
// of the weights.
const BINS = 2048;
const BIN_SCALE = 32;
const binMass = new Float64Array(BINS);

function binOf(v: number, max: number, scale: number): number {
  const b = (max - v) * scale;
  return b < BINS - 1 ? b | 0 : BINS - 1;
}

/**
 * Gathers the entries >= floor of positive weight into values / weights [0, m); returns m, with their
 * sum in `total` and, when scale > 0, their mass per bin in binMass.
 */
function gatherWeights(
  x: FloatArray, off: number, stride: number, n: number, floor: number, max: number, t: Temperature, scale: number,
): number {
  reserve(n);
  if (scale > 0) binMass.fill(0);
  const vs = values, ws = weights, end = off + n * stride;
  let m = 0, sum = 0, err = 0;
  for (let q = off; q !== end; q += stride) {
    const v = x[q];
    if (v < floor) continue;
    const w = weight(v, max, t);
    if (w === 0) continue;
    vs[m] = v;
    ws[m] = w;
    m++;
    const s = sum + w;
    err += sumError(sum, w, s);
    sum = s;
    if (scale > 0) binMass[binOf(v, max, scale)] += w;
  }
  total.hi = sum;
  total.lo = err;
  return m;
}

/** Rows up to this long run the weighted quickselect on all their entries, without bins. */
const DIRECT = 512;

/**
 * Top-p among the entries at or above `floor` (the distribution renormalised over them): the value of
 * the token whose mass, added to that of the tokens above it, first reaches p. p >= 1 needs every
 * token of positive probability: all of them, or only those at +Infinity when there are some.
 */
export function topPThreshold(
  x: FloatArray, off: number, stride: number, n: number, p: number, floor: number, max: number, t: Temperature,
): number {
  if (p >= 1) return max === Infinity ? Infinity : -Infinity;
  // scale: bins on long rows of finite weights; kept finite, so that (max - max) * scale is 0
  const scale = n > DIRECT && max < Infinity && t.T < Infinity ? Math.min(BIN_SCALE / t.T, 2 ** 1000) : 0;
  const m = gatherWeights(x, off, stride, n, floor, max, t, scale);
  // need = (p - 2^-52) * total, exact to about 2^-106 (p - 2^-52 is exact for p < 1). The slack of
  // 2^-52 of the total is the accuracy of the probabilities themselves: logits that are the float64
  // logs of dyadic probabilities (Math.log(0.125)) give weights an ulp off, and their masses should
  // still land exactly on p.
  const q = p - 2 ** -52;
  twoProd(q, total.hi, dd);
  twoSum(dd.hi, dd.lo + q * total.lo, dd);
  const needHi = dd.hi, needLo = dd.lo;
  if (needHi <= 0) return max; // p = 0: the maximum and its ties
  if (scale > 0) {
    const found = thresholdInBin(m, needHi, needLo, max, scale);
    if (found === found) return found;
    gatherWeights(x, off, stride, n, floor, max, t, 0);
  }
  return weightedThreshold(values, weights, m, needHi, needLo);
}

/**
 * topPThreshold on values / weights [0, m) and their binMass: NaN (with values / weights spoiled) when
 * the plain per-bin sums put the crossing in the wrong bin, within rounding of a bin edge.
 */
function thresholdInBin(m: number, needHi: number, needLo: number, max: number, scale: number): number {
  let c = 0, cum = binMass[0];
  while (cum < needHi && c < BINS - 1) cum += binMass[++c];
  let k = 0, above = 0, aboveErr = 0, within = 0, withinErr = 0;
  for (let i = 0; i < m; i++) {
    const v = values[i], w = weights[i], b = binOf(v, max, scale);
    if (b < c) {
      const s = above + w;
      aboveErr += sumError(above, w, s);
      above = s;
    } else if (b === c) {
      values[k] = v;
      weights[k] = w;
      k++;
      const s = within + w;
      withinErr += sumError(within, w, s);
      within = s;
    }
  }
  ddAdd(needHi, needLo, -above, -aboveErr, dd); // what bin c has to supply
  const restHi = dd.hi, restLo = dd.lo;
  if (!(restHi > 0)) return NaN;
  ddAdd(within, withinErr, -restHi, -restLo, dd);
  if (dd.hi < 0) return NaN;
  return weightedThreshold(values, weights, k, restHi, restLo);
}

/**
 * Min-p among the entries at or above `floor`: the smallest value with w / w_max = exp((v - max) / T)
 * >= minP (the maximum's weight is 1, whatever was dropped before it). minP = 0 keeps all; minP = 1
 * the maximum and its ties.
 */
export function minPThreshold(
  x: FloatArray, off: number, stride: number, n: number, minP: number, floor: number, max: number, t: Temperature,
): number {
  if (minP <= 0) return -Infinity;
  if (minP >= 1) return max; // ties only: exp(v - max) rounds to 1 for v within an ulp of max
  let lowest = max;
  const end = off + n * stride;
  for (let q = off; q !== end; q += stride) {
    const v = x[q];
    if (v >= floor && v < lowest && weight(v, max, t) >= minP) lowest = v;
  }
  return lowest;
}

/** The threshold of sampleLogits's chain: top-k, then top-p, then min-p, each over what the one before kept. */
export function samplingThreshold(
  x: FloatArray, off: number, stride: number, n: number, max: number, t: Temperature,
  topK: number, topP: number, minP: number,
): number {
  let floor = topKThreshold(x, off, stride, n, topK);
  if (topP < 1) floor = Math.max(floor, topPThreshold(x, off, stride, n, topP, floor, max, t));
  return Math.max(floor, minPThreshold(x, off, stride, n, minP, floor, max, t));
}

/** Sets the entries of the row below `threshold` to -Infinity. */
export function dropBelow(out: FloatArray, off: number, stride: number, n: number, threshold: number): void {
  const end = off + n * stride;
  for (let p = off; p !== end; p += stride) {
    if (out[p] < threshold) out[p] = -Infinity;
  }
}

/**
 * Inverse-CDF draw among the entries at or above `threshold` (<= max, so the maximum is among them),
 * with u uniform in [0, 1): the flat index of the first entry whose cumulative weight exceeds u times
 * the total. Only entries of positive weight can come out: the scan adds the weights in the order the
 * total did, so it ends on the total itself, and fl(u * total) < total for every double u < 1 (the
 * total is at least 1, the maximum's weight), so it always stops on an entry it added weight for.
 */
export function drawIndex(
  x: FloatArray, off: number, stride: number, n: number, threshold: number, max: number, t: Temperature, u: number,
): number {
  reserve(n);
  const end = off + n * stride;
  let m = 0, sum = 0;
  for (let p = off; p !== end; p += stride) {
    const v = x[p];
    if (v < threshold) continue;
    const w = weight(v, max, t);
    if (w === 0) continue;
    weights[m] = w;
    positions[m] = p;
    m++;
    sum += w;
  }
  const target = u * sum;
  let cum = 0;
  for (let i = 0; i < m; i++) {
    cum += weights[i];
    if (cum > target) return positions[i];
  }
  return positions[m - 1]; // not reached (see above)
}
