// The temperature slider's scale: logarithmic from 0.01 to 100, with the two limits at its ends.
// Position 0 is T = 0 (argmax), position LAST is T = Infinity (uniform); positions 1 .. LAST - 1 are
// T = 10^(-2 + (position - 1) / 50), so position 101 is T = 1.

export const LAST = 202;
const PER_DECADE = 50;
const LOWEST = -2; // log10 of the smallest finite temperature on the slider

export function temperatureAt(position: number): number {
  if (position <= 0) return 0;
  if (position >= LAST) return Infinity;
  return 10 ** (LOWEST + (position - 1) / PER_DECADE);
}

/** The slider position nearest to temperature T (T >= 0). */
export function positionOf(T: number): number {
  if (T <= 0) return 0;
  if (T === Infinity) return LAST;
  const position = Math.round((Math.log10(T) - LOWEST) * PER_DECADE) + 1;
  return Math.min(LAST - 1, Math.max(1, position));
}

/** "0", "∞", or T with three significant digits. */
export function formatTemperature(T: number): string {
  if (T === 0) return "0";
  if (T === Infinity) return "∞";
  return T >= 10 ? T.toFixed(1) : T.toPrecision(3);
}

/** What a screen reader says for the slider: the temperature and what it means at the ends. */
export function describeTemperature(T: number): string {
  if (T === 0) return "T = 0, the argmax limit";
  if (T === Infinity) return "T = infinity, the uniform limit";
  return `T = ${formatTemperature(T)}`;
}
