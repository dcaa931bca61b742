// Scaled dot-product attention for one batch entry, the way FlashAttention (Dao et al. 2022) does it,
// on a CPU: queries in blocks, and for each query block the keys and values in blocks. Each query row
// keeps a running maximum score m, a running sum l of exp(s - m) and a running output acc; a key block
// first raises m if it holds a larger score (and rescales l and acc by exp(m_old - m_new): the online
// softmax of Milakov & Gimelshein 2018), then adds its own terms. Nothing of size Tq x Tk is made.
//
// Precision: every score is a double-double s = hi + lo, and exp(s - m) takes s - m as a pair
// (exp.ts, as softmax does with x - max), so a rounded score does not cost |s| ulps of its weight.
// float32 inputs are exact in float64 and their products too, so a plain float64 dot product is far
// inside float32 precision. float64 outputs use Dot2 (Ogita, Rump & Oishi 2005: Dekker's exact
// products, compensated sum) for the scores and a compensated sum for the output.
//
// A query row whose visible scores are not all finite (an Infinity or NaN in the query or keys, or an
// overflowing dot product) is redone on its own by the softmax row kernel, which has every edge case of
// API.md §2: +Infinity scores share the weight, a NaN makes the row NaN.
import type { FloatArray } from "../../types.js";
import { SPLITTER, sumError } from "./doubleDouble.js";
import { expNonPositive } from "./exp.js";
import { softmaxRow64 } from "./softmaxRows.js";

/** Above this magnitude Veltkamp's split overflows; such entries are used as they are (their row is an edge row or nearly so). */
const SPLIT_LIMIT = 1e290;
const TEMPERATURE_1 = { T: 1, parts: null };

export interface AttentionDims {
  Tq: number;
  Tk: number;
  d: number;
  dv: number;
  scale: number;
  causal: boolean;
  /** float64 output: Dot2 scores and a compensated output sum. */
  precise: boolean;
}

/** One batch entry: each array with the element where this entry's matrix starts. */
export interface AttentionEntry {
  q: FloatArray; qStart: number;
  k: FloatArray; kStart: number;
  v: FloatArray; vStart: number;
  /** maskRowStride: Tk, or 0 for one mask row shared by every query (a key-padding mask). */
  mask: Uint8Array | null; maskStart: number; maskRowStride: number;
  out: FloatArray; outStart: number;
  weights: FloatArray | null; weightsStart: number;
}

/** Per-call working memory: a query block, a key and value block, and each query row's running state. */
export class AttentionWork {
  readonly dims: AttentionDims;
  readonly rowsPerBlock: number;
  readonly keysPerBlock: number;
  /** Query block; in precise mode the high halves of Veltkamp's split, the low halves in qLo. */
  readonly qHi: Float64Array;
  readonly qLo: Float64Array;
  readonly kHi: Float64Array;
  readonly kLo: Float64Array;
  readonly vBlock: Float64Array;
  /** Running output per query row of the block (and its compensation, precise mode). */
  readonly acc: Float64Array;
  readonly accLo: Float64Array;
  /** Running maximum score (hi, lo) and sum of exp(s - m) (sum, compensation) per query row. */
  readonly mHi: Float64Array;
  readonly mLo: Float64Array;
  readonly lHi: Float64Array;
  readonly lLo: Float64Array;
  /** The current key block's scores for one query row; -Infinity marks a key that is not attended. */
  readonly sHi: Float64Array;
  readonly sLo: Float64Array;
  /** The current block's non-zero terms exp(s - m) and which keys of the block they belong to. */
  readonly terms: Float64Array;
  readonly kept: Int32Array;
  /** 1 for a query row that goes to the edge path. */
  readonly edge: Uint8Array;
  /** The scale split for exact products (precise mode). */
  readonly scaleHi: number;
  readonly scaleLo: number;
  /** With returnWeights: the scores (hi, lo) of every query row of the block against every key; -Infinity = masked. */
  readonly keptScores: { hi: Float64Array; lo: Float64Array } | null;
  /** A whole row of scores, probabilities and visibility, for edge rows only (made when first needed). */
  private edgeRow: { scores: Float64Array; probs: Float64Array; visible: Uint8Array } | null = null;

  constructor(dims: AttentionDims, returnWeights: boolean) {
    this.dims = dims;
    const width = Math.max(dims.d, dims.dv, 1);
    this.rowsPerBlock = Math.max(1, Math.min(64, dims.Tq));
    this.keysPerBlock = Math.max(1, Math.min(Math.max(8, Math.min(256, Math.floor(8192 / width))), dims.Tk));
    const bq = this.rowsPerBlock, bk = this.keysPerBlock;
    const loSize = (n: number): number => (dims.precise ? n : 0);
    this.qHi = new Float64Array(bq * dims.d);
    this.qLo = new Float64Array(loSize(bq * dims.d));
    this.kHi = new Float64Array(bk * dims.d);
    this.kLo = new Float64Array(loSize(bk * dims.d));
    this.vBlock = new Float64Array(bk * dims.dv);
    this.acc = new Float64Array(bq * dims.dv);
    this.accLo = new Float64Array(loSize(bq * dims.dv));
    this.mHi = new Float64Array(bq);
    this.mLo = new Float64Array(bq);
    this.lHi = new Float64Array(bq);
    this.lLo = new Float64Array(bq);
    this.sHi = new Float64Array(bk);
    this.sLo = new Float64Array(bk);
    this.terms = new Float64Array(bk);
    this.kept = new Int32Array(bk);
    this.edge = new Uint8Array(bq);
    this.keptScores = returnWeights ? { hi: new Float64Array(bq * dims.Tk), lo: new Float64Array(bq * dims.Tk) } : null;
    const c = SPLITTER * dims.scale;
    this.scaleHi = Math.abs(dims.scale) > SPLIT_LIMIT ? dims.scale : c - (c - dims.scale);
    this.scaleLo = dims.scale - this.scaleHi;
  }

  edgeScratch(): { scores: Float64Array; probs: Float64Array; visible: Uint8Array } {
    const Tk = this.dims.Tk;
    this.edgeRow ??= { scores: new Float64Array(Tk), probs: new Float64Array(Tk), visible: new Uint8Array(Tk) };
    return this.edgeRow;
  }
}

/** How many keys query row i may see: keys j < visibleKeys(i); causal aligns the last query with the last key. */
function visibleKeys(dims: AttentionDims, i: number): number {
  return dims.causal ? Math.max(0, Math.min(dims.Tk, i + dims.Tk - dims.Tq + 1)) : dims.Tk;
}

/** Attention for one batch entry: out[Tq, dv] and, when asked, weights[Tq, Tk]. */
export function attendEntry(w: AttentionWork, e: AttentionEntry): void {
  const { Tq } = w.dims;
  for (let i0 = 0; i0 < Tq; i0 += w.rowsPerBlock) {
    const i1 = Math.min(Tq, i0 + w.rowsPerBlock);
    attendQueryBlock(w, e, i0, i1);
  }
}

function attendQueryBlock(w: AttentionWork, e: AttentionEntry, i0: number, i1: number): void {
  const { d, dv, precise } = w.dims;
  const rows = i1 - i0;
  loadBlock(e.q, e.qStart + i0 * d, rows * d, w.qHi, precise ? w.qLo : null);
  w.acc.fill(0, 0, rows * dv);
  if (precise) w.accLo.fill(0, 0, rows * dv);
  w.mHi.fill(-Infinity, 0, rows);
  w.mLo.fill(0, 0, rows);
  w.lHi.fill(0, 0, rows);
  w.lLo.fill(0, 0, rows);
  w.edge.fill(0, 0, rows);
  const keyEnd = visibleKeys(w.dims, i1 - 1); // the last row of the block sees the most keys
  for (let j0 = 0; j0 < keyEnd; j0 += w.keysPerBlock) {
    const j1 = Math.min(keyEnd, j0 + w.keysPerBlock);
    loadBlock(e.k, e.kStart + j0 * d, (j1 - j0) * d, w.kHi, precise ? w.kLo : null);
    w.vBlock.set(e.v.subarray(e.vStart + j0 * dv, e.vStart + j1 * dv));
    for (let r = 0; r < rows; r++) {
      if (w.edge[r] !== 0) continue;
      const lim = Math.min(j1, visibleKeys(w.dims, i0 + r));
      if (lim > j0) foldKeyBlock(w, e, r, i0 + r, j0, lim);
    }
  }
  for (let r = 0; r < rows; r++) {
    if (w.edge[r] === 0 && writeRow(w, e, r, i0 + r)) {
      if (e.weights !== null) writeWeights(w, e, r, i0 + r);
    } else {
      edgeRow(w, e, i0 + r);
    }
  }
}

/** Copies n entries from x[start...] into hi (float64); with lo, splits each into hi + lo halves. */
function loadBlock(x: FloatArray, start: number, n: number, hi: Float64Array, lo: Float64Array | null): void {
  hi.set(x.subarray(start, start + n));
  if (lo === null) return;
  for (let t = 0; t < n; t++) {
    const a = hi[t];
    if (Math.abs(a) > SPLIT_LIMIT || a !== a) {
      lo[t] = 0;
      continue;
    }
    const c = SPLITTER * a;
    const h = c - (c - a);
    hi[t] = h;
    lo[t] = a - h;
  }
}

/** Where scoreOf leaves a score: hi + lo. */
const score = { hi: 0, lo: 0 };

/** The score of query row r of the block against key t of the block, scale * q.k, into `score` (Dot2; precise mode). */
function scoreOf(w: AttentionWork, r: number, t: number): void {
  const d = w.dims.d;
  const qh = w.qHi, kh = w.kHi, ql = w.qLo, kl = w.kLo;
  const a = r * d, b = t * d;
  // Dot2: each product exact as p + pe (the operands come split), each sum's error by two-sum.
  let s = 0, err = 0;
  for (let c = 0; c < d; c++) {
    const ah = qh[a + c], al = ql[a + c], bh = kh[b + c], bl = kl[b + c];
    const p = (ah + al) * (bh + bl);
    const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    const t2 = s + p, z = t2 - s;
    err += ((s - (t2 - z)) + (p - z)) + pe;
    s = t2;
  }
  // (s + err) * scale as a pair: s * scale exactly, plus err * scale.
  const scale = w.dims.scale;
  const p = s * scale;
  let pe = err * scale;
  if (Math.abs(s) <= SPLIT_LIMIT) {
    const c = SPLITTER * s;
    const sh = c - (c - s), sl = s - sh;
    pe += ((sh * w.scaleHi - p) + sh * w.scaleLo + sl * w.scaleHi) + sl * w.scaleLo;
  }
  const hi = p + pe;
  const lo = pe - (hi - p);
  score.hi = hi;
  score.lo = lo === lo ? lo : 0; // NaN only beside a non-finite hi, whose row takes the edge path
}

/** Folds keys j0 <= j < lim (of the loaded key block) into query row r of the block (row i of the entry). */
function foldKeyBlock(w: AttentionWork, e: AttentionEntry, r: number, i: number, j0: number, lim: number): void {
  const { Tk, precise } = w.dims;
  const sHi = w.sHi, sLo = w.sLo, mask = e.mask;
  const maskRow = e.maskStart + i * e.maskRowStride;
  const n = lim - j0;
  // The block's scores and their maximum; -Infinity marks the keys not attended.
  if (precise) {
    for (let t = 0; t < n; t++) {
      if (mask !== null && mask[maskRow + j0 + t] === 0) continue;
      scoreOf(w, r, t);
      sHi[t] = score.hi;
      sLo[t] = score.lo;
    }
  } else {
    plainScores(w, r, n);
  }
  let bHi = -Infinity, bLo = 0;
  for (let t = 0; t < n; t++) {
    if (mask !== null && mask[maskRow + j0 + t] === 0) {
      sHi[t] = -Infinity;
      continue;
    }
    const h = sHi[t], l = sLo[t];
    if (h - h !== 0) { // NaN or ±Infinity: the whole row is redone by the edge path
      w.edge[r] = 1;
      return;
    }
    if (h > bHi || (h === bHi && l > bLo)) {
      bHi = h;
      bLo = l;
    }
  }
  if (w.keptScores !== null) { // for the weights, once the row's final maximum and sum are known
    w.keptScores.hi.set(sHi.subarray(0, n), r * Tk + j0);
    w.keptScores.lo.set(sLo.subarray(0, n), r * Tk + j0);
  }
  if (bHi === -Infinity) return; // nothing attended in this block
  // Online softmax: a larger maximum rescales what the row holds by exp(m_old - m_new).
  let mHi = w.mHi[r], mLo = w.mLo[r];
  if (bHi > mHi || (bHi === mHi && bLo > mLo)) {
    if (mHi !== -Infinity) {
      const s = mHi - bHi;
      rescaleRow(w, r, expNonPositive(s, sumError(mHi, -bHi, s) + (mLo - bLo)));
    }
    mHi = w.mHi[r] = bHi;
    mLo = w.mLo[r] = bLo;
  }
  // This block's terms exp(s - m) into the row's sum; the keys with a non-zero term listed for the
  // output (a weight of 0 reads nothing: NaN or Infinity in a masked value row cannot leak).
  const terms = w.terms, kept = w.kept;
  let count = 0, sum = w.lHi[r], comp = w.lLo[r];
  for (let t = 0; t < n; t++) {
    const h = sHi[t];
    if (h === -Infinity) continue;
    const s = h - mHi;
    const term = expNonPositive(s, sumError(h, -mHi, s) + (sLo[t] - mLo));
    if (term === 0) continue;
    const next = sum + term, bb = next - sum;
    comp += (sum - (next - bb)) + (term - bb);
    sum = next;
    terms[count] = term;
    kept[count++] = t;
  }
  w.lHi[r] = sum;
  w.lLo[r] = comp;
  if (precise) addValuesPrecise(w, r, count);
  else addValues(w, r, count);
}

/** Plain scores of query row r of the block against the first n keys of the block, four keys at a time. */
function plainScores(w: AttentionWork, r: number, n: number): void {
  const d = w.dims.d, scale = w.dims.scale;
  const q = w.qHi, k = w.kHi, sHi = w.sHi, sLo = w.sLo;
  const a = r * d;
  let t = 0;
  for (; t + 4 <= n; t += 4) {
    const b0 = t * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let c = 0; c < d; c++) {
      const x = q[a + c];
      s0 += x * k[b0 + c];
      s1 += x * k[b1 + c];
      s2 += x * k[b2 + c];
      s3 += x * k[b3 + c];
    }
    sHi[t] = s0 * scale;
    sHi[t + 1] = s1 * scale;
    sHi[t + 2] = s2 * scale;
    sHi[t + 3] = s3 * scale;
  }
  for (; t < n; t++) {
    const b = t * d;
    let s = 0;
    for (let c = 0; c < d; c++) s += q[a + c] * k[b + c];
    sHi[t] = s * scale;
  }
  sLo.fill(0, 0, n);
}

/** acc row r += terms[u] * (value row kept[u]), four value rows at a time. */
function addValues(w: AttentionWork, r: number, count: number): void {
  const dv = w.dims.dv, acc = w.acc, v = w.vBlock, terms = w.terms, kept = w.kept;
  const o = r * dv;
  let u = 0;
  for (; u + 4 <= count; u += 4) {
    const e0 = terms[u], e1 = terms[u + 1], e2 = terms[u + 2], e3 = terms[u + 3];
    const b0 = kept[u] * dv, b1 = kept[u + 1] * dv, b2 = kept[u + 2] * dv, b3 = kept[u + 3] * dv;
    for (let c = 0; c < dv; c++) acc[o + c] += ((e0 * v[b0 + c] + e1 * v[b1 + c]) + (e2 * v[b2 + c] + e3 * v[b3 + c]));
  }
  for (; u < count; u++) {
    const e = terms[u], b = kept[u] * dv;
    for (let c = 0; c < dv; c++) acc[o + c] += e * v[b + c];
  }
}

/** addValues with each addition's rounding error kept apart (two-sum), for float64 outputs. */
function addValuesPrecise(w: AttentionWork, r: number, count: number): void {
  const dv = w.dims.dv, acc = w.acc, accLo = w.accLo, v = w.vBlock, terms = w.terms, kept = w.kept;
  const o = r * dv;
  for (let u = 0; u < count; u++) {
    const e = terms[u], b = kept[u] * dv;
    for (let c = 0; c < dv; c++) {
      const x = acc[o + c], p = e * v[b + c];
      const y = x + p, z = y - x;
      accLo[o + c] += (x - (y - z)) + (p - z);
      acc[o + c] = y;
    }
  }
}

/** Multiplies query row r's running sum and output by alpha (exactly, as pairs, in precise mode). */
function rescaleRow(w: AttentionWork, r: number, alpha: number): void {
  const dv = w.dims.dv, acc = w.acc, o = r * dv;
  w.lHi[r] *= alpha;
  w.lLo[r] *= alpha;
  if (!w.dims.precise) {
    for (let c = 0; c < dv; c++) acc[o + c] *= alpha;
    return;
  }
  const accLo = w.accLo;
  const ca = SPLITTER * alpha;
  const ah = ca - (ca - alpha), al = alpha - ah;
  for (let c = 0; c < dv; c++) {
    const x = acc[o + c], p = x * alpha;
    let pe = 0;
    if (Math.abs(x) <= SPLIT_LIMIT) {
      const cx = SPLITTER * x;
      const xh = cx - (cx - x), xl = x - xh;
      pe = ((xh * ah - p) + xh * al + xl * ah) + xl * al;
    }
    accLo[o + c] = accLo[o + c] * alpha + pe;
    acc[o + c] = p;
  }
}

/**
 * out row i = acc / l; a row that attended to nothing is all 0. Returns false, writing nothing, when
 * an entry is not finite: acc (a sum of e_j v_j, each e_j <= 1) can overflow where the weighted mean
 * itself does not, and an infinite value makes its compensation NaN; such rows take the edge path.
 */
function writeRow(w: AttentionWork, e: AttentionEntry, r: number, i: number): boolean {
  const dv = w.dims.dv, out = e.out, at = e.outStart + i * dv, o = r * dv;
  const acc = w.acc, accLo = w.accLo, precise = w.dims.precise;
  const total = w.lHi[r] + w.lLo[r];
  if (total === 0) {
    out.fill(0, at, at + dv);
    return true;
  }
  for (let c = 0; c < dv; c++) {
    const x = precise ? acc[o + c] + accLo[o + c] : acc[o + c];
    if (x - x !== 0) return false;
  }
  for (let c = 0; c < dv; c++) out[at + c] = (precise ? acc[o + c] + accLo[o + c] : acc[o + c]) / total;
  return true;
}

/** weights row i = exp(s - m) / l, from the scores the fold kept and the row's final m and l. */
function writeWeights(w: AttentionWork, e: AttentionEntry, r: number, i: number): void {
  const Tk = w.dims.Tk;
  const weights = e.weights!, at = e.weightsStart + i * Tk;
  weights.fill(0, at, at + Tk);
  const total = w.lHi[r] + w.lLo[r];
  if (total === 0) return;
  const lim = visibleKeys(w.dims, i), mHi = w.mHi[r], mLo = w.mLo[r];
  const kept = w.keptScores!, hi = kept.hi, lo = kept.lo, row = r * Tk;
  for (let j = 0; j < lim; j++) {
    const h = hi[row + j];
    if (h === -Infinity) continue; // masked
    const s = h - mHi;
    weights[at + j] = expNonPositive(s, sumError(h, -mHi, s) + (lo[row + j] - mLo)) / total;
  }
}

/**
 * A row with a non-finite visible score or output entry: the scores in plain float64, then the softmax
 * row kernel (API.md §2), then the weighted sum of the value rows whose weight is not 0 (a sum of
 * p_j v_j with the p_j summing to 1, which overflows only where the result does).
 */
function edgeRow(w: AttentionWork, e: AttentionEntry, i: number): void {
  const { Tk, d, dv, scale } = w.dims;
  const { scores, probs, visible } = w.edgeScratch();
  const lim = visibleKeys(w.dims, i);
  const q = e.q, k = e.k, v = e.v, mask = e.mask;
  const qRow = e.qStart + i * d;
  for (let j = 0; j < Tk; j++) {
    visible[j] = j < lim && (mask === null || mask[e.maskStart + i * e.maskRowStride + j] !== 0) ? 1 : 0;
    let s = 0;
    if (visible[j] !== 0) {
      for (let c = 0; c < d; c++) s += q[qRow + c] * k[e.kStart + j * d + c];
    }
    scores[j] = s * scale;
  }
  softmaxRow64(scores, probs, 0, 1, Tk, visible, TEMPERATURE_1);
  const out = e.out, at = e.outStart + i * dv;
  for (let c = 0; c < dv; c++) {
    let sum = 0;
    for (let j = 0; j < Tk; j++) {
      const p = probs[j];
      if (p !== 0) sum += p * v[e.vStart + j * dv + c];
    }
    out[at + c] = sum;
  }
  if (e.weights !== null) e.weights.set(probs, e.weightsStart + i * Tk);
}
