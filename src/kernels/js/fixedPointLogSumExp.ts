// log-sum-exp in 192-bit fixed point (BigInt), for the rows where the result is zero to within 2^-44:
// log-probabilities of a whole distribution are the everyday case. There the result is a tiny number
// made of the rounding errors of the inputs, and 4 ulp of it is an absolute error near 2^-110 —
// below what double-double arithmetic reaches on terms of size 1. Fixed point makes the arithmetic
// exact but for truncations near 2^-190: the inputs convert exactly, exp is table-driven (Tang's
// method again: 2^(j/1024) from a table, a Horner polynomial for the rest), and the result is rounded
// to double once, at the end. A few microseconds an entry, so only the rows that need it come here.

const F = 192n; // fraction bits
const ONE = 1n << F;
const GUARD = 32n; // extra bits for the constants, so that k * (ln2 / 1024) stays exact to 2^-F
const TABLE_BITS = 10n;
const TABLE_SIZE = 1 << Number(TABLE_BITS);
const DEGREE = 14; // |r| <= ln2 / 2048: the first term left out, r^15 / 15!, is below 2^-200

interface Constants {
  /** ln2 / 1024 * 2^(F + GUARD) */
  step: bigint;
  /** 2^(j / 1024) * 2^F */
  table: bigint[];
  /** 1 / i! * 2^F */
  inverseFactorials: bigint[];
}
let constants: Constants | undefined;

/** exp(a) * 2^scale for |a| < 1 given at that scale, by its Taylor series (set-up only). */
function expSeries(a: bigint, scale: bigint): bigint {
  const one = 1n << scale;
  let sum = one, term = one;
  for (let i = 1n; term !== 0n; i++) {
    term = ((term * a) >> scale) / i;
    sum += term;
  }
  return sum;
}

function build(): Constants {
  const scale = F + GUARD;
  const one = 1n << scale;
  // ln 2 = 2 atanh(1/3) = sum 2 / ((2k + 1) 3^(2k + 1))
  let ln2 = 0n;
  for (let k = 0n, power = one / 3n; power !== 0n; k++, power /= 9n) ln2 += (2n * power) / (2n * k + 1n);
  const step = ln2 >> TABLE_BITS;
  // 2^(j/1024) = 2^(hi/32) * 2^(lo/1024), j = 32 hi + lo: two short series tables, then products
  const coarse = Array.from({ length: 32 }, (_, hi) => expSeries((BigInt(hi) * ln2) >> 5n, scale));
  const fine = Array.from({ length: 32 }, (_, lo) => expSeries(BigInt(lo) * step, scale));
  const table = Array.from({ length: TABLE_SIZE }, (_, j) => (coarse[j >> 5] * fine[j & 31]) >> (scale + GUARD));
  const inverseFactorials: bigint[] = [];
  for (let i = 0, f = ONE; i <= DEGREE; i++) {
    if (i > 0) f /= BigInt(i);
    inverseFactorials.push(f);
  }
  return { step, table, inverseFactorials };
}

/** exp(z) * 2^F for z <= about 40 given in fixed point (and roughly, as the double zApprox); below 2^-F it is 0. */
function expFixed(z: bigint, zApprox: number, c: Constants): bigint {
  const kf = Math.round(zApprox * (TABLE_SIZE / Math.LN2));
  const k = BigInt(kf);
  const r = z - ((k * c.step) >> GUARD); // |r| <= ln2 / 2048 (and a little)
  const q = c.inverseFactorials;
  let p = q[DEGREE];
  for (let i = DEGREE - 1; i >= 0; i--) p = q[i] + ((p * r) >> F);
  const j = ((kf % TABLE_SIZE) + TABLE_SIZE) % TABLE_SIZE;
  const value = (c.table[j] * p) >> F;
  const power = BigInt((kf - j) / TABLE_SIZE);
  return power >= 0n ? value << power : value >> -power;
}

const view = new DataView(new ArrayBuffer(8));

/** v as an integer m and power e with v = m * 2^e exactly (m carries the sign). */
function decompose(v: number): { m: bigint; e: bigint } {
  view.setFloat64(0, v);
  const high = view.getUint32(0), low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let m = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased !== 0) m |= 1n << 52n;
  const e = BigInt((biased === 0 ? 1 : biased) - 1075);
  return { m: high >>> 31 ? -m : m, e };
}

/** m * 2^shift, as an integer (floored; exact whenever shift >= 0). */
function shifted(m: bigint, shift: bigint): bigint {
  return shift >= 0n ? m << shift : m >> -shift;
}

/** round(v * 2^F): exact when |v| >= 2^-139 (v * 2^F is then a whole number), else within half a unit. */
function toFixed(v: number): bigint {
  return BigInt(Math.round(v * 2 ** 192));
}

/** (v / T) * 2^F, to within one unit, for |v / T| < 2^800. */
function quotientFixed(v: number, T: number): bigint {
  if (T === 1) return toFixed(v);
  const a = decompose(v), t = decompose(T);
  // (v / T) 2^F = (a.m / t.m) 2^s: the power of two goes into the dividend or the divisor, whole.
  const s = a.e - t.e + F;
  return s >= 0n ? (a.m << s) / t.m : a.m / (t.m << -s);
}

/** log1p(g) * 2^F for |g| < 2^-20 given in fixed point: the alternating series g - g^2/2 + g^3/3 ... */
function log1pFixed(g: bigint): bigint {
  let sum = 0n, power = g;
  for (let i = 1n; power !== 0n; i++) {
    sum += (i & 1n ? power : -power) / i;
    power = (power * g) >> F;
  }
  return sum;
}

/**
 * log(sum_j w_j exp(x_j / T)) over the row's kept entries, correctly rounded but for truncations
 * near 2^-180 absolute, given a first estimate r0 (-infinite and NaN estimates are not refined).
 * `kept(p)` says whether flat index p takes part; weights are 1 when null.
 */
export function fixedPointLogSumExp(
  x: ArrayLike<number>, off: number, stride: number, n: number, kept: (p: number) => boolean,
  weights: Float64Array | null, T: number, r0: number,
): number {
  const c = (constants ??= build());
  const end = off + n * stride;
  let r = toFixed(r0);
  // Newton on sum_j w_j exp(x_j / T - r) = 1. One step lands within 2^-180 when r0 is right to 2^-40
  // (as the double-double step leaves it); the loop is there for a first estimate that is further off.
  for (let step = 0; step < 4; step++) {
    const rApprox = Number(r) / 2 ** 192;
    let total = 0n;
    for (let p = off; p !== end; p += stride) {
      const v = x[p];
      const zApprox = v / T - rApprox;
      if (!kept(p) || !(zApprox > -200)) continue; // exp below 2^-288: nothing at this precision
      const e = expFixed(quotientFixed(v, T) - r, zApprox, c);
      if (weights === null) {
        total += e;
      } else {
        const w = decompose(weights[p]);
        total += shifted(e * w.m, w.e);
      }
    }
    const g = total - ONE; // exp(lse - r) - 1
    if (g <= -ONE) return NaN; // the weighted total is not positive
    if (g < ONE >> 20n && g > -(ONE >> 20n)) {
      r += log1pFixed(g);
      break;
    }
    r += toFixed(Math.log1p(Number(g) / 2 ** 192));
  }
  return Number(r) / 2 ** 192;
}
