// Panel 1: logits in, probabilities out. The editor (logitEditor.ts) changes the logits; this draws
// softmax and logSoftmax at the current temperature as bars, the entropy, and a table of the numbers.
import * as Plot from "@observablehq/plot";
import { entropy, logSoftmax, softmax } from "softmax";
import { drawChart } from "../chart.js";
import { primary, secondary } from "../colors.js";
import { byId, dataTable } from "../dom.js";
import { dataJson, formatNumber, formatProbability } from "../format.js";
import { temperatureOf, type Store } from "../store.js";
import { describeTemperature } from "../temperatureScale.js";
import { mountLogitEditor } from "./logitEditor.js";

export function mountLogits(store: Store, defaults: readonly number[]): void {
  mountLogitEditor(store, defaults);
  const probBox = byId("prob-chart");
  const logProbBox = byId("logprob-chart");
  const entropyText = byId("entropy");
  const tableBox = byId("logits-table");

  store.subscribe((state) => {
    const logits = [...state.logits];
    const T = temperatureOf(state);
    const probs = softmax(logits, { temperature: T });
    const logProbs = logSoftmax(logits, { temperature: T });
    const names = logits.map((_, i) => `class ${i + 1}`);
    const rows = logits.map((z, i) => ({ name: names[i], z, p: probs[i], logp: logProbs[i] }));
    const at = describeTemperature(T);
    const barHeight = 40 + 26 * logits.length;

    probBox.dataset.probs = dataJson(probs);
    drawChart(probBox, {
      height: barHeight,
      marginLeft: 64,
      marginRight: 16,
      x: { domain: [0, 1], label: "probability", grid: true },
      y: { domain: names, label: null },
      marks: [
        Plot.barX(rows, { x: "p", y: "name", fill: primary }),
        Plot.text(rows.filter((r) => r.p <= 0.75), { x: "p", y: "name", text: (r) => formatProbability(r.p), textAnchor: "start", dx: 4 }),
        Plot.text(rows.filter((r) => r.p > 0.75), { x: "p", y: "name", text: (r) => formatProbability(r.p), textAnchor: "end", dx: -4, fill: "white" }),
        Plot.ruleX([0]),
      ],
    }, { label: `Probabilities at ${at}: ${rows.map((r) => `${r.name} ${formatProbability(r.p)}`).join(", ")}.` });

    const finite = logProbs.filter(Number.isFinite);
    const lowest = Math.min(-1, ...finite);
    logProbBox.dataset.logprobs = dataJson(logProbs);
    drawChart(logProbBox, {
      height: barHeight,
      marginLeft: 64,
      marginRight: 56,
      x: { domain: [lowest * 1.05, 0], label: "log-probability (−∞ where p = 0)", grid: true },
      y: { domain: names, label: null },
      marks: [
        Plot.barX(rows.filter((r) => Number.isFinite(r.logp)), { x: "logp", y: "name", fill: secondary }),
        Plot.text(rows, { x: 0, y: "name", text: (r) => formatNumber(r.logp), textAnchor: "start", dx: 4 }),
        Plot.ruleX([0]),
      ],
    }, { label: `Log-probabilities at ${at}: ${rows.map((r) => `${r.name} ${formatNumber(r.logp)}`).join(", ")}.` });

    const H = entropy(probs);
    const sum = probs.reduce((a, b) => a + b, 0);
    entropyText.dataset.entropy = String(H);
    entropyText.dataset.sum = String(sum);
    entropyText.textContent =
      `Entropy H = ${formatNumber(H)} nats (${formatNumber(H / Math.LN2)} bits); the most it can be is ln ${logits.length} = ` +
      `${formatNumber(Math.log(logits.length))} nats, at T = ∞. Perplexity e^H = ${formatNumber(Math.exp(H))} ` +
      `of ${logits.length} classes. Sum of the probabilities: ${formatNumber(sum, 12)}.`;

    tableBox.replaceChildren(dataTable(
      `Logits, probabilities and log-probabilities at ${at}`,
      ["class", "logit z", "probability p", "log p"],
      rows.map((r) => [r.name, formatNumber(r.z, 4), formatProbability(r.p), formatNumber(r.logp, 4)]),
      true,
    ));
  });
}
