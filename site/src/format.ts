// Number formatting shared by the panels.

/** A probability or weight: "0" only for an exact zero, small values in exponent form. */
export function formatProbability(p: number): string {
  if (Number.isNaN(p)) return "NaN";
  if (p === 0) return "0";
  if (p === 1) return "1";
  if (Math.abs(p) < 1e-3) return p.toExponential(1);
  return p.toFixed(3);
}

/** A logit, log-probability or other real number, with -Infinity and NaN spelled out. */
export function formatNumber(x: number, digits = 3): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "−∞";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  const text = abs >= 1e6 || abs < 1e-3 ? x.toExponential(digits - 1) : Number(x.toFixed(digits)).toString();
  return text.replace("-", "−");
}

/** A list of numbers as "[a, b, c]". */
export function formatVector(xs: ArrayLike<number>, format: (x: number) => string = formatNumber): string {
  return `[${Array.from(xs, (x) => format(x)).join(", ")}]`;
}

/** Values for a data-* attribute: JSON, with the non-finite numbers JSON cannot hold as strings. */
export function dataJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}
