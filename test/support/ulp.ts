// Distances in units in the last place: how many representable numbers of a format lie between two
// values, counted on their bit patterns. For finite values of one sign the patterns are ordered like
// the values; a negative value's pattern is mapped to minus its magnitude's, so that the distance runs
// through zero (+0 and -0 both map to 0: they are the same point, distance 0).
//
// Special values are decided explicitly, not by bit arithmetic:
//   - NaN and NaN are at distance 0; NaN and anything else at Infinity;
//   - equal values (Infinity and Infinity, -Infinity and -Infinity, 0 and -0) are at distance 0;
//   - an infinity and any other value are at Infinity (even the largest finite one: a result that
//     overflows is never "one ulp" off a finite reference).

const view = new DataView(new ArrayBuffer(8));

/** The position of a finite double on the ordered line of doubles (-0 and +0 both at 0). */
export function ordinal64(x: number): bigint {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const magnitude = bits & 0x7fff_ffff_ffff_ffffn;
  return bits >> 63n ? -magnitude : magnitude;
}

/** The position of a finite float32 value on the ordered line of float32 values. */
export function ordinal32(x: number): number {
  view.setFloat32(0, x);
  const bits = view.getUint32(0);
  const magnitude = bits & 0x7fff_ffff;
  return bits >>> 31 ? -magnitude : magnitude;
}

function special(a: number, b: number): number | undefined {
  const nanA = Number.isNaN(a), nanB = Number.isNaN(b);
  if (nanA || nanB) return nanA && nanB ? 0 : Infinity;
  if (a === b) return 0; // also +0 / -0 and equal infinities
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return undefined;
}

/** Number of float64 steps from a to b (0 when equal, 1 for neighbours). */
export function ulpDistance64(a: number, b: number): number {
  const s = special(a, b);
  if (s !== undefined) return s;
  const d = ordinal64(a) - ordinal64(b);
  return Number(d < 0n ? -d : d);
}

/**
 * Number of float32 steps from a to b. Both must be float32 values (Math.fround(v) === v): a double
 * that is not one has no place on the float32 line, and is a RangeError rather than a silent guess.
 */
export function ulpDistance32(a: number, b: number): number {
  const s = special(a, b);
  if (s !== undefined) return s;
  for (const v of [a, b]) {
    if (Math.fround(v) !== v) throw new RangeError(`ulpDistance32: ${v} is not a float32 value`);
  }
  return Math.abs(ordinal32(a) - ordinal32(b));
}

/** ulpDistance64 or ulpDistance32 by name. */
export function ulpDistance(precision: "float64" | "float32", a: number, b: number): number {
  return precision === "float64" ? ulpDistance64(a, b) : ulpDistance32(a, b);
}
