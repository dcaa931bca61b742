// Panel 5: sampling a token from a vocabulary of a few thousand logits. The filters (temperature, top-k,
// top-p, min-p, in sampleLogits' order) give the filtered distribution q; seeded draws with sampleLogits
// are counted and set against n * q.
import * as Plot from "@observablehq/plot";
import { createRng, filterMinP, filterTopK, filterTopP, logSoftmax, sampleLogits, softmax } from "softmax";
import { drawChart } from "../chart.js";
import { ink, muted, primary } from "../colors.js";
import { byId, dataTable } from "../dom.js";
import { dataJson, formatNumber, formatProbability } from "../format.js";
import { makeVocabulary, tokenName, VOCABULARY_SEED, VOCABULARY_SIZE } from "../sampling/vocabulary.js";
import { describeTemperature, formatTemperature, positionOf, temperatureAt } from "../temperatureScale.js";
import { bindTemperatureSlider } from "./temperature.js";

/** Log-axis ticks as 0.1, 0.01, 1e-3 ... rather than SI prefixes (100m would read as 100 metres). */
const logTick = (p: number) => (p >= 0.01 ? String(p) : p.toExponential(0));

/** Tick values for a log axis over these probabilities: powers of ten, at most about seven. */
function powersOfTen(points: { p: number }[]): number[] {
  const ps = points.map((d) => d.p);
  const highest = Math.floor(Math.log10(Math.max(...ps)));
  const lowest = Math.floor(Math.log10(Math.min(...ps)));
  const every = Math.max(1, Math.ceil((highest - lowest) / 7));
  const ticks = [];
  for (let k = highest; k >= lowest; k -= every) ticks.push(10 ** k);
  return ticks;
}

const SHOWN = 20; // kept tokens drawn one bar each in the histogram; the rest share one bar

export interface SamplingSettings {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  draws: number;
  seed: number;
}

/** The filters' result: what sampleLogits draws from, and what it started from. */
export interface Filtered {
  /** The filtered distribution q: softmax of the logits after temperature, top-k, top-p and min-p. */
  q: Float64Array;
  /** softmax(logits / T), before the filters. */
  pT: Float64Array;
  /** How many tokens the filters keep: they are the first `kept` of the tokens in decreasing order. */
  kept: number;
}

/** The filter chain of sampleLogits, step by step with the public filters (each renormalises). */
export function filterVocabulary(logits: Float64Array, order: readonly number[], s: SamplingSettings): Filtered {
  let filtered = logSoftmax(logits, { temperature: s.temperature });
  if (s.topK > 0) filtered = filterTopK(filtered, s.topK);
  if (s.topP < 1) filtered = filterTopP(filtered, s.topP);
  if (s.minP > 0) filtered = filterMinP(filtered, s.minP);
  const kept = order.filter((i) => filtered[i] > -Infinity).length;
  return { q: softmax(filtered), pT: softmax(logits, { temperature: s.temperature }), kept };
}

/**
 * Draws s.draws tokens with sampleLogits and one generator seeded with s.seed, in slices of a few
 * milliseconds so that the page stays responsive; calls done(counts) at the end unless cancelled.
 */
function drawInSlices(logits: Float64Array, s: SamplingSettings, progress: (drawn: number) => void, done: (counts: Uint32Array) => void): () => void {
  const rng = createRng(s.seed);
  const counts = new Uint32Array(logits.length);
  const options = { temperature: s.temperature, topK: s.topK, topP: s.topP, minP: s.minP, rng };
  let drawn = 0;
  let timer = 0;
  const slice = () => {
    const until = performance.now() + 12;
    while (drawn < s.draws && (drawn % 64 !== 0 || performance.now() < until)) {
      counts[sampleLogits(logits, options)]++;
      drawn++;
    }
    if (drawn < s.draws) {
      progress(drawn);
      timer = window.setTimeout(slice, 0);
    } else {
      done(counts);
    }
  };
  slice();
  return () => window.clearTimeout(timer);
}

export function mountSampling(): { redraw(): void } {
  const logits = makeVocabulary(createRng(VOCABULARY_SEED));
  const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b);
  const temperature = byId<HTMLInputElement>("sampling-temperature");
  const topK = byId<HTMLInputElement>("top-k");
  const topP = byId<HTMLInputElement>("top-p");
  const minP = byId<HTMLInputElement>("min-p");
  const draws = byId<HTMLSelectElement>("draws");
  const seed = byId<HTMLInputElement>("seed");
  const form = byId<HTMLFormElement>("sampling-form");
  const keptReadout = byId("sampling-readout");
  const drawsReadout = byId("draws-readout");
  const rankBox = byId("rank-chart");
  const histogramBox = byId("histogram-chart");
  byId("vocabulary-size").textContent = VOCABULARY_SIZE.toLocaleString("en");
  topK.max = String(VOCABULARY_SIZE);

  let settings: SamplingSettings = { temperature: 1, topK: 50, topP: 0.9, minP: 0, draws: 2000, seed: 42 };
  const showTemperature = bindTemperatureSlider(temperature, byId("sampling-temperature-value"), () => schedule());
  showTemperature(positionOf(1));

  // Reads the form; a field being typed into that holds no valid value yet keeps its previous setting.
  const read = (): SamplingSettings => {
    const integer = (input: HTMLInputElement, fallback: number, max: number) => {
      const v = input.valueAsNumber;
      return Number.isInteger(v) && v >= 0 && v <= max ? v : fallback;
    };
    return {
      temperature: temperatureAt(temperature.valueAsNumber),
      topK: integer(topK, settings.topK, VOCABULARY_SIZE),
      topP: topP.valueAsNumber,
      minP: minP.valueAsNumber,
      draws: Number(draws.value),
      seed: integer(seed, settings.seed, Number.MAX_SAFE_INTEGER),
    };
  };

  let pending = 0;
  let cancelDraws = () => {};
  const schedule = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => event.preventDefault());

  const update = () => {
    settings = read();
    const s = settings;
    showTemperature(temperature.valueAsNumber);
    byId("top-p-value").textContent = s.topP.toFixed(2);
    byId("min-p-value").textContent = s.minP.toFixed(2);
    const filtered = filterVocabulary(logits, order, s);
    drawKept(filtered, s);
    cancelDraws();
    histogramBox.setAttribute("aria-busy", "true");
    cancelDraws = drawInSlices(
      logits,
      s,
      (drawn) => (drawsReadout.textContent = `Drawing: ${drawn.toLocaleString("en")} of ${s.draws.toLocaleString("en")}…`),
      (counts) => {
        drawHistogram(filtered, counts, s);
        histogramBox.removeAttribute("aria-busy");
      },
    );
  };

  /** Which tokens stay: probability at T against rank (log-log), the kept ranks drawn thick. */
  const drawKept = ({ pT, kept }: Filtered, s: SamplingSettings) => {
    const keptMass = order.slice(0, kept).reduce((sum, i) => sum + pT[i], 0);
    const curve = order.map((i, r) => ({ rank: r + 1, p: pT[i], kept: r < kept })).filter((d) => d.p > 0);
    rankBox.dataset.kept = String(kept);
    drawChart(rankBox, {
      height: 260,
      marginLeft: 56,
      x: { type: "log", domain: [1, VOCABULARY_SIZE], label: "rank of the token (log scale)", grid: true },
      y: { type: "log", label: `probability at T = ${formatTemperature(s.temperature)} (log scale)`, grid: true, ticks: powersOfTen(curve), tickFormat: logTick },
      marks: [
        Plot.line(curve, { x: "rank", y: "p", stroke: muted, strokeDasharray: "3,3" }),
        Plot.line(curve.filter((d) => d.kept), { x: "rank", y: "p", stroke: primary, strokeWidth: 4 }),
        Plot.dot(curve.filter((d) => d.kept).slice(0, 1), { x: "rank", y: "p", r: 4, fill: primary }),
        Plot.ruleX([kept + 0.5], { stroke: ink }),
        Plot.text([kept + 0.5], { x: (d: number) => d, frameAnchor: "top", text: () => `← ${kept} kept | ${VOCABULARY_SIZE - kept} dropped →`, dy: 6, fontSize: 12 } as Plot.TextOptions),
      ],
    }, {
      label: `Probability of each of the ${VOCABULARY_SIZE} tokens at ${describeTemperature(s.temperature)} by rank, log-log. The filters keep the ` +
        `${kept} most probable tokens (a thick solid line) and drop the other ${VOCABULARY_SIZE - kept} (a thin dashed line).`,
    });
    keptReadout.textContent =
      `The filters keep ${kept} of ${VOCABULARY_SIZE.toLocaleString("en")} tokens, which held ${(keptMass * 100).toFixed(1)}% ` +
      `of the probability at T = ${formatTemperature(s.temperature)}; the filtered distribution q renormalises them.`;
  };

  /** Draws against n * q for the most probable kept tokens, the rest of the kept tokens in one bar. */
  const drawHistogram = ({ q, kept }: Filtered, counts: Uint32Array, s: SamplingSettings) => {
    const outside = order.slice(kept).reduce((sum, i) => sum + counts[i], 0);
    const tv = 0.5 * order.reduce((sum, i) => sum + Math.abs(counts[i] / s.draws - q[i]), 0);
    const top = order.slice(0, Math.min(kept, SHOWN));
    const bars = top.map((i) => ({ token: tokenName(i), count: counts[i], expected: s.draws * q[i] }));
    if (kept > SHOWN) {
      const rest = order.slice(SHOWN, kept);
      bars.push({
        token: `${kept - SHOWN} others`,
        count: rest.reduce((sum, i) => sum + counts[i], 0),
        expected: s.draws * rest.reduce((sum, i) => sum + q[i], 0),
      });
    }
    histogramBox.dataset.counts = dataJson(order.filter((i) => counts[i] > 0).map((i) => [i, counts[i]]));
    histogramBox.dataset.kept = dataJson(order.slice(0, kept));
    histogramBox.dataset.outside = String(outside);
    histogramBox.dataset.settings = dataJson(s);
    drawChart(histogramBox, {
      height: 50 + 20 * bars.length,
      marginLeft: 84,
      marginRight: 48,
      x: { label: "number of draws", grid: true },
      y: { domain: bars.map((b) => b.token), label: null },
      marks: [
        Plot.barX(bars, { x: "count", y: "token", fill: primary }),
        Plot.tickX(bars, { x: "expected", y: "token", stroke: ink, strokeWidth: 2.5 }),
        Plot.text(bars, { x: (b: { count: number; expected: number }) => Math.max(b.count, b.expected), y: "token", text: (b) => String(b.count), textAnchor: "start", dx: 6 } as Plot.TextOptions),
        Plot.ruleX([0]),
      ],
    }, {
      label: `Histogram of ${s.draws} draws with seed ${s.seed}, one bar for each of the ${top.length} most probable kept tokens` +
        `${kept > SHOWN ? " and one for the other kept tokens" : ""}, each with a tick at its expected count; the numbers follow in a table.`,
      table: dataTable(
        `Draws against the expected count n times q (${s.draws} draws, seed ${s.seed})`,
        ["token", "draws", "expected n·q", "q"],
        bars.map((b) => [b.token, b.count, formatNumber(b.expected, 3), formatProbability(b.expected / s.draws)]),
      ),
    });
    drawsReadout.textContent =
      `${s.draws.toLocaleString("en")} draws with sampleLogits and seed ${s.seed}: ` +
      `${outside === 0 ? "every draw is a kept token" : `${outside} draws outside the kept set`}; the total variation distance ` +
      `between the draw frequencies and q is ${formatNumber(tv)}. Bars: draws of each token; black ticks: the expected count n·q.`;
  };

  update();
  return { redraw: schedule };
}
