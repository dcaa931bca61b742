// The attention section of the benchmark (`node bench/run.mjs --filter attention --skip-peers`):
// the library's attention(query, key, value, { causal }) against the three-step attention a user
// writes by hand, on float32 [heads, T, 64] tensors. Also the seeded inputs and the three-step
// baseline used by bench/attentionMemory.mjs (which measures the peak memory of one call).
//
// This module does not load the library itself (bench/cases.mjs does, and loads TensorFlow.js with
// it): attentionCases takes the loaded module, so that attentionMemory.mjs's child processes can
// import the inputs and the baseline without tfjs in their memory.
import { normals } from "./prng.mjs";

/** The shapes of the section: [heads, T, d], T query positions = T key positions, d = dv. */
export const ATTENTION_SHAPES = [[8, 512, 64], [8, 2048, 64]];

/**
 * Seeded query, key and value tensors { data, shape } of shape [B, T, d] (d = dv), N(0, 1) entries,
 * each with its own seed, so that every run (and every child process) uses the same numbers.
 */
export function attentionInputs(shape, Type = Float32Array) {
  const [B, T, d] = shape, n = B * T * d;
  return {
    q: { data: normals(Type, n, 1001), shape: [B, T, d] },
    k: { data: normals(Type, n, 2002), shape: [B, T, d] },
    v: { data: normals(Type, n, 3003), shape: [B, T, d] },
  };
}

/**
 * Attention written plainly, the way a user would port it: for each batch/head entry, the scores
 * Q K^T * scale into a new Float32Array(Tq * Tk) (a plain triple loop, each dot product summed in a
 * JS number); causal: the keys after the query (j > i + Tk - Tq) set to -Infinity afterwards, the
 * way masked_fill does it; softmax of each row in place (max, Math.exp(s - max) stored and summed,
 * divide); then weights times V (a plain triple loop, each output row summed in a Float64Array). Tensors
 * [B, Tq, d], [B, Tk, d], [B, Tk, dv] (no broadcasting); returns the float32 output { data, shape }.
 */
export function threeStepAttention(query, key, value, { causal = false, scale } = {}) {
  const [B, Tq, d] = query.shape, Tk = key.shape[1], dv = value.shape[2];
  const s = scale ?? 1 / Math.sqrt(d);
  const Q = query.data, K = key.data, V = value.data;
  const out = new Float32Array(B * Tq * dv), acc = new Float64Array(dv);
  for (let b = 0; b < B; b++) {
    const qo = b * Tq * d, ko = b * Tk * d, vo = b * Tk * dv, oo = b * Tq * dv;
    // 1. scores = Q K^T * scale
    const scores = new Float32Array(Tq * Tk);
    for (let i = 0; i < Tq; i++) {
      for (let j = 0; j < Tk; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += Q[qo + i * d + c] * K[ko + j * d + c];
        scores[i * Tk + j] = dot * s;
      }
    }
    if (causal) {
      for (let i = 0; i < Tq; i++) {
        for (let j = Math.max(0, i + Tk - Tq + 1); j < Tk; j++) scores[i * Tk + j] = -Infinity;
      }
    }
    // 2. softmax of each row
    for (let i = 0; i < Tq; i++) {
      const r = i * Tk;
      let max = -Infinity;
      for (let j = 0; j < Tk; j++) if (scores[r + j] > max) max = scores[r + j];
      if (max === -Infinity) { // nothing visible (Tq > Tk, causal): a row of zeros, as the spec says
        scores.fill(0, r, r + Tk);
        continue;
      }
      let sum = 0;
      for (let j = 0; j < Tk; j++) {
        const e = Math.exp(scores[r + j] - max);
        scores[r + j] = e;
        sum += e;
      }
      for (let j = 0; j < Tk; j++) scores[r + j] /= sum;
    }
    // 3. output = weights V (j before c, so that V is read row by row; the other order, each output
    // entry summed over the keys, is 1.1-1.4x slower here)
    for (let i = 0; i < Tq; i++) {
      acc.fill(0);
      for (let j = 0; j < Tk; j++) {
        const w = scores[i * Tk + j];
        for (let c = 0; c < dv; c++) acc[c] += w * V[vo + j * dv + c];
      }
      for (let c = 0; c < dv; c++) out[oo + i * dv + c] = acc[c];
    }
  }
  return { data: out, shape: [B, Tq, dv] };
}

const label = (shape) => `[${shape.join(",")}]`;

/**
 * The cases of the attention section (see bench/cases.mjs for the case format), for `lib`, the
 * loaded library module: each shape non-causal and causal, ours then the three-step baseline. Both
 * allocate their output on each call (ours cannot be given one). n is the number of scores
 * (heads x Tq x Tk), so a call is one sample (the harness batches calls up to 1e5 elements) and the
 * harness's rounds give 3 samples of a 2048 call (minRounds) and up to 10 of a 512 one.
 */
export function attentionCases(lib) {
  return ATTENTION_SHAPES.flatMap((shape) => [false, true].map((causal) => {
    const [B, T] = shape;
    return {
      section: "attention", fn: "attention", id: `attention f32 ${label(shape)}${causal ? " causal" : ""}`,
      shape, causal, n: B * T * T,
      setup() {
        if (typeof lib.attention !== "function") throw new Error("the library under test has no attention export");
        const { q, k, v } = attentionInputs(shape);
        const ours = () => lib.attention(q, k, v, { causal }).output.data;
        const threeStep = () => threeStepAttention(q, k, v, { causal }).data;
        return {
          impls: [
            { name: "ours", run: () => ours()[0], output: ours },
            { name: "three-step", run: () => threeStep()[0], output: threeStep },
          ],
        };
      },
    };
  }));
}

/** The largest |ours - baseline| the attention table accepts as the same result. */
export const ATTENTION_TOLERANCE = 1e-5;

export const time = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`);

/** The markdown of the attention section's timing table, from the harness's results (section "attention"). */
export function attentionLines(results) {
  const rows = results.filter((r) => r.section === "attention");
  const lines = [];
  if (rows.length > 0) {
    lines.push("### Attention (float32 [heads, T, 64], T queries = T keys, d = dv = 64)", "",
      "Median time per call (lower is better; samples in brackets); the ratio is three-step / ours (> 1: this library is faster). Inputs: seeded N(0, 1) query, key and value tensors `{ data, shape }` made beforehand; each call allocates its output.",
      "- **ours**: `attention(q, k, v, { causal })` (default scale 1/√64, no weights).",
      "- **three-step**: attention written plainly in JS (bench/attention.mjs): per head, scores Q Kᵀ · scale into a new Float32Array(T·T) (triple loop), causal: the upper triangle set to -Infinity afterwards, softmax of each row (max, Math.exp, divide), then weights · V (triple loop). It does the full T·T work when causal.",
      `- **max |diff|**: ours against three-step, one untimed call each; it must be below ${ATTENTION_TOLERANCE.toExponential(0)}.`, "",
      "| shape | causal | ours | three-step | three-step / ours | max \\|diff\\| |", "|---|---|---:|---:|---:|---:|");
    for (const r of rows) {
      const s = r.stats, diff = r.check["three-step"];
      const flag = diff === undefined ? "—" : `${diff.toExponential(1)}${diff < ATTENTION_TOLERANCE ? "" : " **(too large)**"}`;
      lines.push(`| [${r.shape.join(", ")}] | ${r.id.endsWith(" causal") ? "yes" : "no"} | ${time(s.ours.medianMsPerCall)} (${s.ours.samples}) | ${time(s["three-step"].medianMsPerCall)} (${s["three-step"].samples}) | ${r.ratios["three-step"].toFixed(2)}× | ${flag} |`);
    }
    lines.push("");
  }
  return lines;
}
