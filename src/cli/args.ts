// Command-line arguments -> what to do. node:util parseArgs reads the options; before it runs, a
// pre-scan takes out the numbers (so that "-1" and "-inf" are numbers, not options) and joins each
// value-taking option to its value ("-t -1" -> "--temperature=-1", so the value may start with "-").
import { parseArgs } from "node:util";
import { UsageError, quote } from "./errors.js";
import { parseNumber } from "./parseNumber.js";

export type Format = "table" | "json" | "csv";
export type Output = "softmax" | "logSoftmax" | "logSumExp" | "sparsemax" | "entmax15";

export interface Settings {
  temperature: number;
  /** One entry per column of every row; false leaves the entry out. */
  mask: boolean[] | undefined;
  /**
   * What is printed: probabilities, log-probabilities, one log-sum-exp per row, or the sparse maps'
   * probabilities (the table shows probabilities and log-probabilities for softmax and --log).
   */
  output: Output;
  format: Format;
  /** Significant digits; undefined prints json and csv numbers in full (shortest round-trip). */
  precision: number | undefined;
}

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  /** numbers: the row given as arguments, or undefined to read rows from standard input. */
  | { kind: "run"; settings: Settings; numbers: number[] | undefined };

const OPTIONS = {
  temperature: { type: "string", short: "t" },
  log: { type: "boolean" },
  lse: { type: "boolean" },
  sparsemax: { type: "boolean" },
  entmax15: { type: "boolean" },
  mask: { type: "string" },
  format: { type: "string" },
  precision: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** The flags that choose what is printed (at most one may be given). */
const OUTPUT_FLAGS = [["log", "logSoftmax"], ["lse", "logSumExp"], ["sparsemax", "sparsemax"], ["entmax15", "entmax15"]] as const;

export function parseArguments(argv: readonly string[]): Command {
  const { options, positionals } = separate(argv);
  let values;
  try {
    values = parseArgs({ args: options, options: OPTIONS, allowPositionals: true, strict: true }).values;
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const outputs = OUTPUT_FLAGS.filter(([flag]) => values[flag]);
  if (outputs.length > 1) {
    const flags = outputs.map(([flag]) => `--${flag}`);
    throw new UsageError(`${flags.slice(0, -1).join(", ")} and ${flags[flags.length - 1]} cannot be used together`);
  }
  const settings: Settings = {
    temperature: values.temperature === undefined ? 1 : readTemperature(values.temperature),
    mask: values.mask === undefined ? undefined : readMask(values.mask),
    output: outputs.length === 1 ? outputs[0][1] : "softmax",
    format: readFormat(values.format ?? "table"),
    precision: values.precision === undefined ? undefined : readPrecision(values.precision),
  };
  const numbers = positionals.map(({ text, index }) => {
    const value = parseNumber(text);
    if (value === undefined) throw new UsageError(`argument ${index + 1}: expected a number, got ${quote(text)}`);
    return value;
  });
  return { kind: "run", settings, numbers: numbers.length > 0 ? numbers : undefined };
}

const VALUE_OPTIONS = new Set(Object.keys(OPTIONS).filter((name) => OPTIONS[name as keyof typeof OPTIONS].type === "string"));
const SHORT_VALUE_OPTIONS = new Map<string, string>([["t", "temperature"]]);

/** Splits argv into option tokens for parseArgs (values joined as --name=value) and positionals. */
function separate(argv: readonly string[]) {
  const options: string[] = [];
  const positionals: { text: string; index: number }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === "--") {
      for (let j = i + 1; j < argv.length; j++) positionals.push({ text: argv[j], index: j });
      break;
    }
    if (!token.startsWith("-") || token === "-" || parseNumber(token) !== undefined) {
      positionals.push({ text: token, index: i });
    } else if (token.startsWith("--")) {
      const name = token.slice(2);
      options.push(VALUE_OPTIONS.has(name) && i + 1 < argv.length ? `--${name}=${argv[++i]}` : token);
    } else {
      // A group of short options ("-t0.5", "-ht"): a value-taking one ends it and takes the rest,
      // or the next argument.
      const at = [...token.slice(1)].findIndex((c) => SHORT_VALUE_OPTIONS.has(c)) + 1;
      if (at === 0) {
        options.push(token);
        continue;
      }
      if (at > 1) options.push(token.slice(0, at));
      const name = SHORT_VALUE_OPTIONS.get(token[at])!;
      const rest = token.slice(at + 1);
      if (rest !== "") options.push(`--${name}=${rest}`);
      else options.push(i + 1 < argv.length ? `--${name}=${argv[++i]}` : `--${name}`);
    }
  }
  return { options, positionals };
}

/** parseArgs' errors in this command's words, on one line. */
function parseArgsMessage(error: unknown): string {
  const { code, message = "" } = error as { code?: string; message?: string };
  // The option as parseArgs quotes it ('-t, --temperature <value>'): its long name, or its only one.
  const option = (/'([^']*)'/.exec(message)?.[1] ?? "").split(/[ ,]+/).filter((word) => word.startsWith("-")).pop();
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option} (see softmax --help)`;
  if (message.includes("argument missing")) return `${option} needs a value`;
  if (message.includes("does not take an argument")) return `${option} takes no value`;
  return message.split("\n")[0];
}

function readTemperature(text: string): number {
  const value = parseNumber(text);
  if (value === undefined || !(value >= 0)) {
    throw new UsageError(`--temperature must be a number >= 0 (0 and inf give the limits), got ${quote(text)}`);
  }
  return value;
}

const MASK_WORDS = new Map([["1", true], ["true", true], ["0", false], ["false", false]]);

function readMask(text: string): boolean[] {
  const entries = text.trim() === "" ? [] : text.trim().split(/\s*,\s*|\s+/);
  if (entries.length === 0) throw new UsageError(`--mask must list 0, 1, true or false per entry, got ${quote(text)}`);
  return entries.map((entry) => {
    const keep = MASK_WORDS.get(entry.toLowerCase());
    if (keep === undefined) throw new UsageError(`--mask entries must be 0, 1, true or false, got ${quote(entry)}`);
    return keep;
  });
}

function readFormat(text: string): Format {
  if (text === "table" || text === "json" || text === "csv") return text;
  throw new UsageError(`--format must be table, json or csv, got ${quote(text)}`);
}

function readPrecision(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 17)) throw new UsageError(`--precision must be an integer from 1 to 17, got ${quote(text)}`);
  return value;
}
