// Reads one number written as text: decimal notation as JavaScript and JSON write it (2, -3.5, .5,
// 1e-30), and inf, infinity and nan in any case, with an optional sign. Nothing else (no hex, no "").

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const lower = text.toLowerCase();
  const signed = lower.startsWith("-") || lower.startsWith("+");
  const word = signed ? lower.slice(1) : lower;
  if (word === "inf" || word === "infinity") return lower.startsWith("-") ? -Infinity : Infinity;
  if (word === "nan") return NaN;
  return undefined;
}
