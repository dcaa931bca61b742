// One row of numbers -> the text printed for it, in the chosen format. The math is the library's.
import { entmax15, logSoftmax, logSumExp, softmax, sparsemax } from "../index.js";
import type { Settings } from "./args.js";
import { csvNumber, jsonNumber, tableNumber } from "./formatNumber.js";
import { table } from "./table.js";

const TABLE_PRECISION = 4;
const MAPS = { softmax, logSoftmax, sparsemax, entmax15 };

/**
 * Returns a function that renders successive rows. `label` ("row 3") heads a table; tables after
 * the first are set off by a blank line. json and csv print exactly one line per row.
 */
export function rowRenderer(settings: Settings): (x: number[], label?: string) => string {
  const { format, output, precision } = settings;
  const options = { temperature: settings.temperature, mask: settings.mask };
  let first = true;
  return (x, label) => {
    if (format === "table") {
      if (output === "logSumExp") {
        // one number: every digit unless asked otherwise (4 significant digits would print 1002.4076 as 1002)
        const lse = logSumExp(x, options);
        return `${label ? label + ": " : ""}logsumexp = ${precision === undefined ? String(lse) : tableNumber(lse, precision)}\n`;
      }
      const digits = precision ?? TABLE_PRECISION;
      // softmax and --log show both columns; a sparse map's log-probabilities are mostly -Infinity
      const sparse = output === "sparsemax" || output === "entmax15";
      const probs = MAPS[sparse ? output : "softmax"](x, options);
      const text = (first ? "" : "\n") + (label ? label + "\n" : "") + table(x, probs, sparse ? null : logSoftmax(x, options), digits);
      first = false;
      return text;
    }
    const print = format === "json" ? jsonNumber : csvNumber;
    if (output === "logSumExp") return print(logSumExp(x, options), precision) + "\n";
    const values = MAPS[output](x, options);
    const text = values.map((v) => print(v, precision)).join(",");
    return (format === "json" ? `[${text}]` : text) + "\n";
  };
}
