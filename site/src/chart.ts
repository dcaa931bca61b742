// Draws an Observable Plot chart into a container as an image with a text alternative: an aria-label
// that summarises it and, when given, a visually hidden table of the numbers behind it.
import * as Plot from "@observablehq/plot";

export interface ChartText {
  /** One or two sentences that say what the chart shows now (read by screen readers). */
  label: string;
  /** Optional: a table of the data, visually hidden. */
  table?: HTMLElement;
}

/** The width a chart in this container should have (its content box, at least 260 px). */
export function chartWidth(container: HTMLElement): number {
  return Math.max(260, Math.floor(container.clientWidth || 600));
}

export function drawChart(container: HTMLElement, options: Plot.PlotOptions, text: ChartText): void {
  // An <svg>, or a <figure> holding the svg and its legend when the options ask for one.
  const chart = Plot.plot({ style: { fontSize: "12px" }, ...options, width: options.width ?? chartWidth(container) });
  // The chart is one image with one text alternative: the labels Plot puts on its inner groups would be
  // ARIA on elements without a role (and unread inside an image), so they go.
  for (const inner of chart.querySelectorAll("[aria-label], [aria-description]")) {
    inner.removeAttribute("aria-label");
    inner.removeAttribute("aria-description");
  }
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", text.label);
  chart.classList.add("chart");
  container.replaceChildren(chart, ...(text.table ? [text.table] : []));
}
