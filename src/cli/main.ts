#!/usr/bin/env node
// The softmax command line (API.md §10). help.ts holds its specification; the math is the library's.
// Errors print one line, "softmax: ...", never a stack trace: status 2 for a bad argument or input
// line, 1 for anything unexpected. A reader that stops early (softmax ... | head) ends it quietly.
import { createInterface } from "node:readline";
import { parseArguments, type Settings } from "./args.js";
import { UsageError } from "./errors.js";
import { HELP, version } from "./help.js";
import { Output } from "./output.js";
import { parseRow } from "./parseRow.js";
import { rowRenderer } from "./renderRow.js";

async function main(argv: readonly string[]): Promise<void> {
  const command = parseArguments(argv);
  if (command.kind === "help") return void process.stdout.write(HELP);
  if (command.kind === "version") return void process.stdout.write(version() + "\n");
  const { settings, numbers } = command;
  const render = rowRenderer(settings);
  const out = new Output(process.stdout);
  try {
    if (numbers) {
      checkMaskLength(numbers, settings, "the arguments give");
      await out.write(render(numbers));
      return;
    }
    if (process.stdin.isTTY) process.stderr.write("softmax: reading rows from standard input; Ctrl-D ends\n");
    let lineNumber = 0;
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      const row = parseRow(line, ++lineNumber);
      checkMaskLength(row, settings, `line ${lineNumber} has`);
      await out.write(render(row, `row ${lineNumber}`));
    }
  } finally {
    await out.flush(); // what was computed before an error is printed before it
  }
}

function checkMaskLength(row: readonly number[], { mask }: Settings, where: string): void {
  if (mask && mask.length !== row.length) {
    throw new UsageError(`${where} ${row.length} numbers but --mask has ${mask.length} entries`);
  }
}

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") process.stderr.write(`softmax: cannot write the output: ${error.message}\n`);
  process.exit(error.code === "EPIPE" ? 0 : 1); // EPIPE: the reader has all it wanted
});

main(process.argv.slice(2)).catch((error: unknown) => {
  // A UsageError, or the library's TypeError / RangeError (whose message names the parameter), is
  // the user's to fix; anything else is ours.
  const usage = error instanceof UsageError || error instanceof TypeError || error instanceof RangeError;
  const message = error instanceof Error ? error.message : String(error);
  fail(usage ? message : `internal error: ${message}`, usage ? 2 : 1);
});

function fail(message: string, status: number): void {
  const text = message.replace(/\s*\n\s*/g, " ").replace(/^softmax: /, ""); // the library's messages name the function too
  process.stderr.write(`softmax: ${text}\n`);
  process.exitCode = status;
  process.stdin.destroy(); // stop reading: what comes after a bad line is not looked at
}
