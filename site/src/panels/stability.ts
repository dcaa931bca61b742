// Panel 7: the textbook formula exp(x) / sum(exp(x)) against the library at [1000, 1001, 1002]:
// the naive exponentials overflow to Infinity and Infinity / Infinity is NaN; softmax and logSumExp do not.
import { logSoftmax, logSumExp, softmax } from "softmax";
import { byId, el } from "../dom.js";
import { dataJson, formatNumber, formatVector } from "../format.js";

/** The textbook computation, step by step, without the max-subtraction. */
export function naiveSoftmax(x: readonly number[]): { exps: number[]; sum: number; probs: number[]; logSumExp: number } {
  const exps = x.map(Math.exp);
  const sum = exps.reduce((a, b) => a + b, 0);
  return { exps, sum, probs: exps.map((e) => e / sum), logSumExp: Math.log(sum) };
}

const four = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : formatNumber(v));

function parse(text: string): number[] | string {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) return "Enter at least one number.";
  const values = parts.map(Number);
  const bad = parts.findIndex((_, i) => Number.isNaN(values[i]));
  return bad >= 0 ? `"${parts[bad]}" is not a number.` : values;
}

export function mountStability(): void {
  const input = byId<HTMLInputElement>("stability-input");
  const error = byId("stability-error");
  const tableBox = byId("stability-table");
  const readout = byId("stability-readout");

  const draw = () => {
    const x = parse(input.value);
    if (typeof x === "string") {
      error.textContent = x;
      input.setAttribute("aria-invalid", "true");
      return;
    }
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    const naive = naiveSoftmax(x);
    const max = Math.max(...x);
    const shifted = x.map((v) => Math.exp(v - max));
    const shiftedSum = shifted.reduce((a, b) => a + b, 0);
    const stable = softmax(x);
    const stableLog = logSoftmax(x);
    const lse = logSumExp(x);

    tableBox.dataset.naive = dataJson(naive.probs);
    tableBox.dataset.naiveLogSumExp = String(naive.logSumExp);
    tableBox.dataset.stable = dataJson(stable);
    tableBox.dataset.logSumExp = String(lse);
    const cell = (v: number, digits = 6) => {
      const bad = !Number.isFinite(v);
      const tag = Number.isNaN(v) ? " ✗ ∞/∞" : " ✗ overflow";
      return el("td", { class: bad ? "bad" : undefined }, formatNumber(v, digits), bad ? el("span", { class: "tag" }, tag) : "");
    };
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const head = ["x", "naive exp(x)", "naive p = exp(x) / Σ", "exp(x − max)", "library softmax(x)", "library logSoftmax(x)"];
    const entries = el(
      "table",
      { class: "data-table" },
      el("caption", {}, "Softmax, entry by entry"),
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
      el(
        "tbody",
        {},
        ...x.map((v, i) =>
          el("tr", {}, el("th", { scope: "row" }, formatNumber(v, 6)), cell(naive.exps[i]), cell(naive.probs[i]), cell(shifted[i]), cell(stable[i]), cell(stableLog[i])),
        ),
        el("tr", { class: "total" }, el("th", { scope: "row" }, "sum"), cell(naive.sum), cell(sum(naive.probs)), cell(shiftedSum), cell(sum(stable)), el("td", {}, "")),
      ),
    );
    const byHand = max + Math.log(shiftedSum);
    const lseRows: [string, number][] = [
      ["naive: log(Σ exp(x))", naive.logSumExp],
      ["by hand: max + log(Σ exp(x − max))", byHand],
      ["library: logSumExp(x)", lse],
    ];
    const totals = el(
      "table",
      { class: "data-table" },
      el("caption", {}, "Log-sum-exp, three ways"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "computation"), el("th", { scope: "col" }, "value"))),
      el("tbody", {}, ...lseRows.map(([name, v]) => el("tr", {}, el("th", { scope: "row" }, name), cell(v, 17)))),
    );
    tableBox.replaceChildren(entries, totals);
    readout.textContent =
      `Naive: Σ exp(x) is ${Number.isFinite(naive.sum) ? formatNumber(naive.sum) : "∞ (overflow)"}, so p is ` +
      `${formatVector(naive.probs, four)} and log Σ exp(x) is ${formatNumber(naive.logSumExp)}. ` +
      `Library: softmax(x) = ${formatVector(stable, four)}, summing to ${formatNumber(sum(stable), 12)}, ` +
      `and logSumExp(x) = ${formatNumber(lse, 17)}.`;
  };

  input.addEventListener("input", draw);
  draw();
}
