// The help text is the command line's specification: what it prints is what the tests check.
import { readFileSync } from "node:fs";

export const HELP = `Usage: softmax [options] [numbers...]

Turns numbers (logits) into probabilities: softmax(x)_i = exp(x_i / T) / sum_j exp(x_j / T).
The numbers given as arguments make one row. With none, rows are read from standard input, one
per line: numbers split by commas and/or spaces, or a JSON array like [1, 2.5, -3]. A blank line
is an empty row, so output lines stay in step with input lines (csv: an empty line, json: [],
logsumexp: -Infinity). Negative numbers work as arguments (softmax -1 2 -3.5); so do inf, -inf,
infinity and nan, in any case.

Options
  -t, --temperature T  compute on x / T; T >= 0, and 0 and inf give the limits (default 1)
  --log                json and csv print log-probabilities (the table shows both)
  --lse                print the log-sum-exp of each row, log(sum_j exp(x_j / T)), one number
  --sparsemax          print sparsemax(x / T) instead: the Euclidean projection onto the
                       simplex, whose small entries are exactly 0
  --entmax15           print 1.5-entmax(x / T): sparse like sparsemax, smoother in between
  --mask LIST          0/1 or true/false per entry, e.g. 1,1,0; applies to every row, whose
                       length must match; 0 leaves the entry out (probability 0, log -Infinity)
  --format F           table (default), json or csv
  --precision N        significant digits, 1 to 17 (default 4 in the table, whose --lse line
                       and json and csv print every digit needed to read the exact double back)
  -h, --help           print this help
  -v, --version        print the version

Output
  table  per entry: index, logit, probability, log-probability (not with --sparsemax or
         --entmax15) and a bar; each row read from standard input is headed "row N" (N is
         its line number); --lse: "logsumexp = X"
  json   one JSON value per row and line (JSON Lines): an array, or a number with --lse.
         JSON has no Infinity or NaN: they print as the strings "Infinity" and "-Infinity",
         and null. JSON input rows may use the same.
  csv    one line per row, values separated by commas; Infinity, -Infinity and NaN as words

Input is streamed: memory stays flat however many rows come in. A bad input line or argument
prints one line naming it (for input, the line and column) and exits with status 2; output
already printed stays. Exit status 0 means success.

Examples
  softmax 2 1 0.1
  softmax -t 0.5 -- -1 2
  softmax --lse --mask 1,0,1 2 1 0.1
  softmax --sparsemax 1.5 1 0.1
  printf '1,2,3\\n[0, -1]\\n' | softmax --format json --log
`;

/** The version in package.json, which sits three directories above this file, dist/esm/cli/help.js. */
export function version(): string {
  const path = new URL("../../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}
