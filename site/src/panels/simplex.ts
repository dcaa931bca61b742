// Panel 2: three probabilities as a point in the triangle (the probability simplex), its path as the
// temperature sweeps from 0 (a corner) to Infinity (the centre), and the shift that does not move it.
import * as Plot from "@observablehq/plot";
import { softmax } from "softmax";
import { chartWidth, drawChart } from "../chart.js";
import { ink, muted, primary, secondary } from "../colors.js";
import { byId } from "../dom.js";
import { dataJson, formatNumber, formatProbability, formatVector } from "../format.js";
import { temperatureOf, type Store } from "../store.js";
import { describeTemperature, formatTemperature, LAST, temperatureAt } from "../temperatureScale.js";

// Corners: class 1 at the top, class 2 bottom left, class 3 bottom right (unit side).
const CORNERS = [[0.5, Math.sqrt(3) / 2], [0, 0], [1, 0]] as const;
const MARKED = [0.5, 1, 2, 5]; // temperatures labelled along the path

/** The point of the triangle with barycentric coordinates p. */
export function simplexPoint(p: readonly number[]): { x: number; y: number } {
  return {
    x: p[0] * CORNERS[0][0] + p[1] * CORNERS[1][0] + p[2] * CORNERS[2][0],
    y: p[0] * CORNERS[0][1] + p[1] * CORNERS[1][1] + p[2] * CORNERS[2][1],
  };
}

export function mountSimplex(store: Store): void {
  const box = byId("simplex-chart");
  const readout = byId("simplex-readout");
  const shiftInput = byId<HTMLInputElement>("shift");
  const shiftValue = byId("shift-value");
  const shiftReadout = byId("shift-readout");

  shiftInput.addEventListener("input", () => store.set({ shift: shiftInput.valueAsNumber }));

  store.subscribe((state) => {
    const { shift } = state;
    if (shiftInput.valueAsNumber !== shift) shiftInput.value = String(shift);
    shiftValue.textContent = `c = ${formatNumber(shift)}`;
    if (state.logits.length < 3) {
      box.replaceChildren();
      delete box.dataset.x;
      readout.textContent = "The simplex needs three classes: add a class in panel 1.";
      shiftReadout.textContent = "";
      return;
    }
    const logits = state.logits.slice(0, 3);
    const shifted = logits.map((z) => z + shift);
    const T = temperatureOf(state);
    const p = softmax(shifted, { temperature: T });
    const p0 = softmax(logits, { temperature: T });
    const point = simplexPoint(p);
    const unshifted = simplexPoint(p0);
    const moved = Math.hypot(point.x - unshifted.x, point.y - unshifted.y);

    const path = [];
    for (let position = 0; position <= LAST; position += position < 4 || position > LAST - 4 ? 1 : 3) {
      path.push({ T: temperatureAt(position), ...simplexPoint(softmax(shifted, { temperature: temperatureAt(position) })) });
    }
    const last = temperatureAt(LAST);
    if (path[path.length - 1].T !== last) path.push({ T: last, ...simplexPoint(softmax(shifted, { temperature: last })) });
    const marked = MARKED.map((t) => ({ T: t, ...simplexPoint(softmax(shifted, { temperature: t })) }));
    const triangle = [...CORNERS, CORNERS[0]].map(([x, y]) => ({ x, y }));
    const corners = CORNERS.map(([x, y], i) => ({ x, y, label: `class ${i + 1} (z = ${formatNumber(shifted[i])})`, top: i === 0 }));
    const start = path[0], end = path[path.length - 1];

    box.dataset.x = String(point.x);
    box.dataset.y = String(point.y);
    box.dataset.probs = dataJson(p);
    box.dataset.unshiftedX = String(unshifted.x);
    box.dataset.unshiftedY = String(unshifted.y);
    box.dataset.shift = String(shift);
    drawChart(box, {
      width: Math.min(chartWidth(box), 520),
      aspectRatio: 1,
      margin: 28,
      x: { domain: [-0.16, 1.16], axis: null },
      y: { domain: [-0.1, 0.94], axis: null },
      marks: [
        Plot.line(triangle, { x: "x", y: "y", stroke: ink }),
        Plot.dot([{ x: 0.5, y: Math.sqrt(3) / 6 }], { x: "x", y: "y", r: 2, fill: muted }),
        Plot.text([{ x: 0.5, y: Math.sqrt(3) / 6 }], { x: "x", y: "y", text: () => "uniform", dy: 10, fill: muted, fontSize: 11 }),
        Plot.text(corners.filter((c) => c.top), { x: "x", y: "y", text: "label", dy: -12, fontSize: 12 }),
        Plot.text(corners.filter((c) => !c.top), { x: "x", y: "y", text: "label", dy: 14, fontSize: 12 }),
        Plot.line(path, { x: "x", y: "y", stroke: primary, strokeWidth: 2 }),
        Plot.dot(marked, { x: "x", y: "y", r: 3, fill: primary }),
        Plot.text(marked, { x: "x", y: "y", text: (d) => `T = ${d.T}`, dx: 14, textAnchor: "start", fontSize: 11, fill: primary }),
        Plot.text([start], { x: "x", y: "y", text: () => "T = 0", dx: -10, textAnchor: "end", fontSize: 11 }),
        Plot.text([end], { x: "x", y: "y", text: () => "T = ∞", dx: -8, textAnchor: "end", fontSize: 11 }),
        Plot.dot([unshifted], { x: "x", y: "y", r: 11, stroke: ink, strokeWidth: 1.5, strokeDasharray: "3,2" }),
        Plot.dot([point], { x: "x", y: "y", r: 6, fill: secondary, stroke: "white", strokeWidth: 1.5, symbol: "diamond" }),
      ],
    }, {
      label:
        `Triangle with corners class 1 (top), class 2 (bottom left) and class 3 (bottom right). The current point, ` +
        `p = ${formatVector(p, formatProbability)} at ${describeTemperature(T)}, lies on a path that starts at ` +
        `${formatVector(softmax(shifted, { temperature: 0 }), formatProbability)} for T = 0 and ends at the centre for T = infinity.`,
    });

    readout.textContent =
      `At T = ${formatTemperature(T)} the point (diamond) is p = ${formatVector(p, formatProbability)}. ` +
      `As T falls it moves along the curve to the corner of the largest logit; as T grows, to the centre.`;
    shiftReadout.dataset.moved = String(moved);
    shiftReadout.textContent =
      `Logits + c = ${formatVector(shifted)}. The point is ${moved === 0 ? "exactly 0" : `${formatNumber(moved)} (rounding only)`} ` +
      `away from where it was with c = 0 (the dashed ring): softmax(z + c) = softmax(z).`;
  });
}
