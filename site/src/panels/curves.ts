// Panel 3: the two-class curve p1(d; T) = softmax([d, 0] / T)[0] for several temperatures, and the
// softmax Jacobian at the current logits and temperature as a heat map.
import * as Plot from "@observablehq/plot";
import { softmax, softmaxJacobian } from "softmax";
import { chartWidth, drawChart } from "../chart.js";
import { ink, muted, primary, secondary } from "../colors.js";
import { byId, dataTable, el } from "../dom.js";
import { dataJson, formatNumber, formatProbability } from "../format.js";
import { temperatureOf, type Store } from "../store.js";
import { describeTemperature, formatTemperature } from "../temperatureScale.js";

// The fixed curves: each its own dash pattern and shade, named in the legend (not by colour alone).
const CURVES = [
  { T: 0.25, dash: "2,3", stroke: muted },
  { T: 0.5, dash: "6,3", stroke: muted },
  { T: 1, dash: "none", stroke: ink },
  { T: 2, dash: "10,3,2,3", stroke: muted },
  { T: 4, dash: "1,2", stroke: ink },
];
const D = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);

const p1 = (d: number, T: number) => softmax([d, 0], { temperature: T })[0];
const curve = (T: number) => D.map((d) => ({ d, p: p1(d, T) }));

function legendItem(label: string, dash: string, stroke: string, width: number): HTMLLIElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", "32");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
  Object.entries({ x1: "0", y1: "5", x2: "32", y2: "5", stroke, "stroke-width": String(width), "stroke-dasharray": dash }).forEach(([k, v]) => line.setAttribute(k, v));
  svg.append(line);
  return el("li", {}, svg, ` ${label}`);
}

export function mountCurves(store: Store): void {
  const curveBox = byId("curve-chart");
  const curveReadout = byId("curve-readout");
  const legend = byId("curve-legend");
  const jacobianBox = byId("jacobian-chart");
  const jacobianReadout = byId("jacobian-readout");

  const fixed = CURVES.map((c) => ({ ...c, points: curve(c.T) })); // these do not change: computed once
  legend.replaceChildren(
    ...CURVES.map((c) => legendItem(`T = ${c.T}`, c.dash, c.stroke, 1.5)),
    legendItem("current T (thick)", "none", primary, 3.5),
  );

  store.subscribe((state) => {
    const T = temperatureOf(state);
    const [z1, z2] = state.logits;
    const d = z1 - z2;
    const here = { d: Math.max(-8, Math.min(8, d)), p: p1(d, T) };
    const current = curve(T);

    curveBox.dataset.d = String(d);
    curveBox.dataset.p1 = String(here.p);
    drawChart(curveBox, {
      height: 260,
      marginLeft: 44,
      x: { domain: [-8, 8], label: "d = z₁ − z₂", grid: true },
      y: { domain: [0, 1], label: "p₁", grid: true },
      marks: [
        ...fixed.map((c) => Plot.line(c.points, { x: "d", y: "p", stroke: c.stroke, strokeWidth: 1.5, strokeDasharray: c.dash })),
        Plot.line(current, { x: "d", y: "p", stroke: primary, strokeWidth: 3.5, strokeOpacity: 0.85 }),
        Plot.dot([here], { x: "d", y: "p", r: 6, fill: secondary, stroke: "white", symbol: "diamond" }),
        Plot.text([here], { x: "d", y: "p", text: () => `your z₁, z₂`, dx: 8, dy: -10, textAnchor: here.d > 4 ? "end" : "start" }),
      ],
    }, {
      label:
        `Sigmoid-shaped curves of p1 against d from −8 to 8 for T = 0.25, 0.5, 1, 2 and 4 (steeper for smaller T) and ` +
        `for the current ${describeTemperature(T)}. Your first two logits give d = ${formatNumber(d)} and p1 = ${formatProbability(here.p)}.`,
    });
    curveReadout.textContent =
      `Your first two logits: d = ${formatNumber(d)}, so p₁ = ${formatProbability(here.p)} at T = ${formatTemperature(T)} ` +
      `(softmax over classes 1 and 2 alone). At T = 0 the curve is a step; at T = ∞ it is flat at ½.`;

    const logits = [...state.logits];
    const J = softmaxJacobian(logits, { temperature: T });
    const K = logits.length;
    const cells = J.flatMap((row, i) => row.map((v, j) => ({ i: `p${i + 1}`, j: `z${j + 1}`, v })));
    const largest = Math.max(1e-12, ...cells.map((c) => Math.abs(c.v)));
    const width = Math.min(chartWidth(jacobianBox), 440);
    const fontSize = K > 6 ? 9 : 11;
    jacobianBox.dataset.matrix = dataJson(J);
    drawChart(jacobianBox, {
      width,
      height: Math.round(width * 0.9) + 40,
      marginLeft: 40,
      marginTop: 28,
      padding: 0.04,
      x: { domain: cells.slice(0, K).map((c) => c.j), axis: "top", label: "with respect to logit" },
      y: { domain: J.map((_, i) => `p${i + 1}`), label: "probability" },
      color: { type: "diverging", scheme: "PuOr", domain: [-largest, largest], legend: true, label: "∂pᵢ/∂zⱼ" },
      marks: [
        Plot.cell(cells, { x: "j", y: "i", fill: "v", inset: 0.5 }),
        // Values printed in every cell: white on the dark ends of the scale, black elsewhere.
        Plot.text(cells.filter((c) => Math.abs(c.v) > 0.55 * largest), { x: "j", y: "i", text: (c) => formatNumber(c.v, 2), fill: "white", fontSize }),
        Plot.text(cells.filter((c) => Math.abs(c.v) <= 0.55 * largest), { x: "j", y: "i", text: (c) => formatNumber(c.v, 2), fill: "black", fontSize }),
      ],
    }, {
      label: `Heat map of the ${K} by ${K} softmax Jacobian at ${describeTemperature(T)}; the numbers are in the table that follows.`,
      table: dataTable(
        `Softmax Jacobian at ${describeTemperature(T)}: row i, column j is the derivative of p i with respect to z j`,
        ["p \\ z", ...logits.map((_, j) => `z${j + 1}`)],
        J.map((row, i) => [`p${i + 1}`, ...row.map((v) => formatNumber(v, 4))]),
      ),
    });
    const diag = J.map((row, i) => row[i]);
    jacobianReadout.textContent = T === 0 || T === Infinity
      ? `At T = ${formatTemperature(T)} the probabilities no longer respond to small changes of the logits: the Jacobian is 0.`
      : `Largest response: ∂p${diag.indexOf(Math.max(...diag)) + 1}/∂z${diag.indexOf(Math.max(...diag)) + 1} = ${formatNumber(Math.max(...diag))}. ` +
        `It is largest where p is near ½ and vanishes as p approaches 0 or 1.`;
  });
}
