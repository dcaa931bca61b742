// Reads one line of standard input as a row of numbers: numbers separated by commas and/or
// whitespace ("1, 2.5 -3"), or a JSON array ("[1, 2.5, -3]"; null stands for NaN and the strings
// "Infinity" and "-Infinity" for those, as the json output writes them). A blank line is an empty
// row. Anything else is a UsageError naming the line and the 1-based column of the offending token.
import { UsageError, quote } from "./errors.js";
import { parseNumber } from "./parseNumber.js";

export function parseRow(line: string, lineNumber: number): number[] {
  const start = skipSpaces(line, 0);
  return line[start] === "[" ? parseJsonRow(line, start, lineNumber) : parseListRow(line, start, lineNumber);
}

function parseListRow(line: string, i: number, lineNumber: number): number[] {
  const row: number[] = [];
  if (i === line.length) return row;
  for (;;) {
    const start = i;
    while (i < line.length && !isSpace(line.charCodeAt(i)) && line[i] !== ",") i++;
    if (i === start) throw unexpected(line, lineNumber, start, "a number");
    row.push(readNumber(line.slice(start, i), line, lineNumber, start));
    i = skipSpaces(line, i);
    if (i === line.length) return row;
    if (line[i] === ",") i = skipSpaces(line, i + 1); // a field must follow
  }
}

function parseJsonRow(line: string, i: number, lineNumber: number): number[] {
  const row: number[] = [];
  i = skipSpaces(line, i + 1);
  if (line[i] !== "]") {
    for (;;) {
      const start = i;
      if (line[i] === '"') {
        const close = line.indexOf('"', i + 1);
        i = close < 0 ? line.length : close + 1;
        const text = line.slice(start + 1, close < 0 ? i : close);
        const value = close < 0 ? undefined : parseNumber(text);
        if (value === undefined) throw unexpected(line, lineNumber, start, "a number", `the string ${quote(text)}`);
        row.push(value);
      } else {
        i = tokenEnd(line, i);
        if (i === start) throw unexpected(line, lineNumber, start, "a number");
        const token = line.slice(start, i);
        row.push(token === "null" ? NaN : readNumber(token, line, lineNumber, start));
      }
      i = skipSpaces(line, i);
      if (line[i] !== ",") break;
      i = skipSpaces(line, i + 1);
    }
    if (line[i] !== "]") throw unexpected(line, lineNumber, i, '"," or "]"');
  }
  i = skipSpaces(line, i + 1);
  if (i < line.length) throw unexpected(line, lineNumber, i, 'the end of the line after "]"');
  return row;
}

function readNumber(token: string, line: string, lineNumber: number, column: number): number {
  const value = parseNumber(token);
  if (value === undefined) throw unexpected(line, lineNumber, column, "a number", quote(token));
  return value;
}

/** `line 3, column 7: expected a number, got "abc"`; `column` is a 0-based index into the line. */
function unexpected(
  line: string, lineNumber: number, column: number, expected: string, got = describeAt(line, column),
): UsageError {
  return new UsageError(`line ${lineNumber}, column ${column + 1}: expected ${expected}, got ${got}`);
}

/** What stands at `column`: the token there, an empty field (a comma), or the end of the line. */
function describeAt(line: string, column: number): string {
  if (column >= line.length) return "the end of the line";
  if (line[column] === ",") return "an empty field";
  return quote(line.slice(column, Math.max(tokenEnd(line, column), column + 1)));
}

/** The end of the token starting at i: the next whitespace, comma, bracket or quote. */
function tokenEnd(line: string, i: number): number {
  while (i < line.length && !isSpace(line.charCodeAt(i)) && !',[]"'.includes(line[i])) i++;
  return i;
}

function skipSpaces(line: string, i: number): number {
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** Space, tab, and the other ASCII whitespace (\n \v \f \r). */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
