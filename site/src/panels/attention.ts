// Panel 6: the attention weights of a small sentence as a heat map, with a causal mask and a padding
// mask: attention(q, k, v, { causal, mask, returnWeights: true }).
import * as Plot from "@observablehq/plot";
import { attention, createRng } from "softmax";
import { chartWidth, drawChart } from "../chart.js";
import { byId, dataTable } from "../dom.js";
import { dataJson, formatNumber } from "../format.js";

const TOKENS = ["The", "cat", "sat", "on", "the", "mat", "<pad>", "<pad>"];
const D = 4; // query and key width
const DV = 2; // value width

/** A weight as the heat map prints it: "0" only for an exact zero. */
const cellText = (w: number) => (w === 0 ? "0" : w < 0.005 ? "<0.01" : w.toFixed(2));

/** Seeded Gaussian rows (Box-Muller), so the example is the same on every visit. */
function gaussianRows(seed: number, rows: number, columns: number, scale: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () =>
    Array.from({ length: columns }, () => scale * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())),
  );
}

export function mountAttention(): { redraw(): void } {
  const causal = byId<HTMLInputElement>("causal");
  const padding = byId<HTMLInputElement>("padding");
  const box = byId("attention-chart");
  const readout = byId("attention-readout");

  const query = gaussianRows(1, TOKENS.length, D, 1.4);
  const key = gaussianRows(2, TOKENS.length, D, 1.4);
  const value = gaussianRows(3, TOKENS.length, DV, 1);
  const isPad = TOKENS.map((t) => t === "<pad>");
  const labels = TOKENS.map((t, i) => `${i + 1} ${t}`);

  const draw = () => {
    // The padding mask is [Tq, Tk]: every query may attend to every key that is not padding.
    const mask = padding.checked ? TOKENS.map(() => isPad.map((pad) => (pad ? 0 : 1))) : undefined;
    const { weights } = attention(query, key, value, { causal: causal.checked, mask, returnWeights: true });
    const cells = weights.flatMap((row, i) => row.map((w, j) => ({ q: labels[i], k: labels[j], w })));
    const zeros = cells.filter((c) => c.w === 0).length;
    const width = Math.min(chartWidth(box), 560);
    const fontSize = width < 400 ? 9 : 11;

    box.dataset.weights = dataJson(weights);
    box.dataset.causal = String(causal.checked);
    box.dataset.padding = String(padding.checked);
    box.dataset.padColumns = dataJson(isPad.flatMap((pad, j) => (pad ? [j] : [])));
    drawChart(box, {
      width,
      height: Math.round(width * 0.85) + 60,
      marginLeft: 70,
      marginTop: 70,
      padding: 0.04,
      x: { domain: labels, axis: "top", tickRotate: -45, label: "key (attended to)" },
      y: { domain: labels, label: "query" },
      color: { type: "linear", scheme: "Blues", domain: [0, 1], legend: true, label: "weight" },
      marks: [
        Plot.cell(cells, { x: "k", y: "q", fill: "w", inset: 0.5 }),
        // Every cell prints its weight; exact zeros print "0" on a white cell with a grey outline.
        Plot.cell(cells.filter((c) => c.w === 0), { x: "k", y: "q", fill: "white", stroke: "#8c959f", strokeDasharray: "2,2", inset: 1.5 }),
        Plot.text(cells.filter((c) => c.w <= 0.55), { x: "k", y: "q", text: (c) => cellText(c.w), fill: "black", fontSize }),
        Plot.text(cells.filter((c) => c.w > 0.55), { x: "k", y: "q", text: (c) => cellText(c.w), fill: "white", fontSize }),
      ],
    }, {
      label: `Heat map of ${TOKENS.length} by ${TOKENS.length} attention weights, causal mask ${causal.checked ? "on" : "off"}, ` +
        `padding mask ${padding.checked ? "on" : "off"}; ${zeros} weights are exactly 0. The numbers follow in a table.`,
      table: dataTable(
        "Attention weights: one row per query token, one column per key token",
        ["query \\ key", ...labels],
        weights.map((row, i) => [labels[i], ...row.map((w) => formatNumber(w, 3))]),
      ),
    });
    const sums = weights.map((row) => row.reduce((a, b) => a + b, 0));
    readout.textContent =
      `${zeros} of ${cells.length} weights are exactly 0` +
      `${causal.checked ? "; the causal mask zeroes everything above the diagonal" : ""}` +
      `${padding.checked ? "; the padding mask zeroes the <pad> columns" : ""}. ` +
      `Row sums: ${sums.map((s) => formatNumber(s, 6)).join(", ")}.`;
  };

  causal.addEventListener("change", draw);
  padding.addEventListener("change", draw);
  draw();
  return { redraw: draw };
}
