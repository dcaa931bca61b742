// The table format: one line per entry with its index, logit, probability, log-probability (when
// given) and a bar proportional to the probability. Columns are right-aligned within a row.
import { tableNumber } from "./formatNumber.js";

const HEADER = ["i", "logit", "prob", "log prob"];
const SHORT_HEADER = HEADER.slice(0, 3);
const BAR_WIDTH = 40; // characters for probability 1
const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

export function table(x: readonly number[], probs: readonly number[], logProbs: readonly number[] | null, precision: number): string {
  if (x.length === 0) return "(empty row)\n";
  const header = logProbs ? HEADER : SHORT_HEADER;
  const entry = (xi: number, i: number) => [String(i), String(xi), tableNumber(probs[i], precision)]
    .concat(logProbs ? [tableNumber(logProbs[i], precision)] : []);
  const rows = [header, ...x.map(entry)];
  const widths = header.map((_, c) => Math.max(...rows.map((cells) => cells[c].length)));
  return rows
    .map((cells, r) => {
      const line = cells.map((cell, c) => cell.padStart(widths[c])).join("  ");
      return (r === 0 ? line : `${line}  ${bar(probs[r - 1])}`).trimEnd() + "\n";
    })
    .join("");
}

/** Unicode blocks in eighths of a character: BAR_WIDTH full blocks for probability 1. */
function bar(p: number): string {
  if (!(p > 0)) return "";
  const eighths = Math.round(Math.min(p, 1) * BAR_WIDTH * 8);
  return "█".repeat(eighths >> 3) + EIGHTHS[eighths & 7];
}
