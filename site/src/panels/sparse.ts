// Panel 4: softmax, sparsemax and entmax-1.5 on the same logits and temperature, with the exact zeros
// of the sparse maps labelled "0 exactly" (and drawn as an x on the zero line).
import * as Plot from "@observablehq/plot";
import { entmax15, softmax, sparsemax } from "softmax";
import { chartWidth, drawChart } from "../chart.js";
import { ink, primary } from "../colors.js";
import { byId, dataTable } from "../dom.js";
import { dataJson, formatProbability } from "../format.js";
import { temperatureOf, type Store } from "../store.js";
import { describeTemperature } from "../temperatureScale.js";

const METHODS = [
  { key: "softmax", name: "softmax", map: softmax },
  { key: "sparsemax", name: "sparsemax", map: sparsemax },
  { key: "entmax15", name: "entmax-1.5", map: entmax15 },
] as const;

const label = (v: number) => (v === 0 ? "0 exactly" : formatProbability(v));

export function mountSparse(store: Store): void {
  const box = byId("sparse-chart");
  const readout = byId("sparse-readout");
  const tableBox = byId("sparse-table");

  store.subscribe((state) => {
    const logits = [...state.logits];
    const T = temperatureOf(state);
    const names = logits.map((_, i) => `class ${i + 1}`);
    const results = METHODS.map((m) => ({ ...m, values: m.map(logits, { temperature: T }) as number[] }));
    const rows = results.flatMap((r) => r.values.map((v, i) => ({ method: r.name, name: names[i], v })));
    const zeros = rows.filter((r) => r.v === 0);

    box.dataset.values = dataJson(Object.fromEntries(results.map((r) => [r.key, r.values])));
    const right = chartWidth(box) < 500 ? 76 : 96; // room for the facet names on the right
    drawChart(box, {
      height: 3 * (26 * logits.length + 24) + 40,
      marginLeft: 64,
      marginRight: right,
      x: { domain: [0, 1], label: "probability", grid: true },
      y: { domain: names, label: null },
      fy: { domain: results.map((r) => r.name), label: null },
      facet: { marginRight: right },
      marks: [
        Plot.frame({ stroke: "#d0d7de" }),
        Plot.barX(rows, { x: "v", y: "name", fy: "method", fill: primary }),
        Plot.dot(zeros, { x: 0, y: "name", fy: "method", symbol: "times", r: 5, stroke: ink, strokeWidth: 2 }),
        Plot.text(rows.filter((r) => r.v <= 0.7), { x: "v", y: "name", fy: "method", text: (r) => label(r.v), textAnchor: "start", dx: 8 }),
        Plot.text(rows.filter((r) => r.v > 0.7), { x: "v", y: "name", fy: "method", text: (r) => label(r.v), textAnchor: "end", dx: -4, fill: "white" }),
      ],
    }, {
      label: `Three bar charts, one per map, of the probabilities at ${describeTemperature(T)}. ` +
        results.map((r) => `${r.name}: ${r.values.map(label).join(", ")}`).join("; ") + ".",
    });

    readout.textContent = results
      .map((r) => `${r.name}: ${r.values.filter((v) => v === 0).length} of ${logits.length} entries exactly 0`)
      .join("; ") + ".";
    tableBox.replaceChildren(dataTable(
      `Softmax, sparsemax and entmax-1.5 of the logits at ${describeTemperature(T)}`,
      ["class", ...results.map((r) => r.name)],
      names.map((n, i) => [n, ...results.map((r) => label(r.values[i]))]),
      true,
    ));
  });
}
