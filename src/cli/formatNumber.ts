// How numbers are printed. With a precision, to that many significant digits (toPrecision: exponent
// form where needed, so 1e-30 never prints as 0.0000); without one, in full (String(x) is the
// shortest text that reads back as the same double).

/** Table cells: keep toPrecision's trailing zeros so that columns line up; -Infinity, NaN as words. */
export function tableNumber(x: number, precision: number): string {
  return Number.isFinite(x) ? x.toPrecision(precision) : String(x);
}

/** csv: plain numbers; Infinity, -Infinity and NaN as those words. */
export function csvNumber(x: number, precision: number | undefined): string {
  return precision === undefined || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(precision)));
}

/** JSON has no Infinity or NaN: ±Infinity become the strings "Infinity" and "-Infinity", NaN null. */
export function jsonNumber(x: number, precision: number | undefined): string {
  if (Number.isNaN(x)) return "null";
  return Number.isFinite(x) ? csvNumber(x, precision) : `"${x}"`;
}
