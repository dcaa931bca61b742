// sparsemax, entmax15, entmax and their VJPs (API.md §6): against test/fixtures/sparse.json (mpmath,
// correctly rounded; written by test/fixtures/sparse.py), their properties (fast-check), the edge
// semantics of API.md §2, and the argument errors.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { sparseMapAlongAxis } from "../src/core/sparseAlongAxis.js";
import { entmax } from "../src/entmax.js";
import { entmax15 } from "../src/entmax15.js";
import { entmax15Vjp } from "../src/entmax15Vjp.js";
import { softmax } from "../src/softmax.js";
import { sparsemax } from "../src/sparsemax.js";
import { sparsemaxVjp } from "../src/sparsemaxVjp.js";
import { flat } from "./support/lossFixtures.js";
import { ulpDistance32, ulpDistance64 } from "./support/ulp.js";
import { accurateSum } from "./support/sums.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fixture = Record<string, any>;
type Fn = (x: unknown, options?: unknown) => unknown;
type VjpFn = (probs: unknown, g: unknown, options?: unknown) => unknown;

const revive = (_key: string, v: unknown) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
const fixtures: Record<string, Fixture[]> = JSON.parse(readFileSync(new URL("./fixtures/sparse.json", import.meta.url), "utf8"), revive);

const worst: Record<string, number> = {};
const note = (key: string, e: number) => { worst[key] = Math.max(worst[key] ?? 0, e); return e; };
afterAll(() => console.log(`sparse maps: worst ulp per entry vs mpmath: ${JSON.stringify(worst)}`));

/** Per-entry ulp bound; `ULP_BOUND + kappa 2^-51` for the entries the fixture lists as within ~2^-40 of the threshold. */
const ULP_BOUND = 4;

const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

/** The entmax map forced onto the bisection path (alpha 1.5 and 2 otherwise take the exact ones). */
const bisection = (x: unknown, options: Record<string, unknown>) => sparseMapAlongAxis("entmax", x, options, true);

/** The case's input as a typed array (rank 1) or a tensor (rank > 1) of its dtype. */
function typedInput(c: Fixture, key: string) {
  const data = c.dtype === "float32" ? Float32Array.from(flat(c[key])) : Float64Array.from(flat(c[key]));
  const shape = shapeOf(c[key]);
  return shape.length === 1 ? data : { data, shape };
}

/**
 * Checks a forward result against the fixture entry by entry and notes the worst ulp: strictly (4 ulp)
 * for every entry but those listed in c.kappa (entries so near the threshold that a threshold carried
 * in double-double, to ~2^-104, moves them by about kappa 2^-51 ulp), noted apart.
 */
function checkForward(got: unknown, c: Fixture, label: string): void {
  const a = flat(got), b = flat(c.exact);
  expect(a.length).toBe(b.length);
  const kappa = new Map<number, number>((c.kappa ?? []) as [number, number][]);
  for (let i = 0; i < a.length; i++) {
    const e = ulpDistance64(a[i], b[i]);
    const k = kappa.get(i);
    if (k === undefined) expect(note(`${label}`, e), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(ULP_BOUND);
    else expect(note(`${label}, entries within 2^-40 of the threshold`, e)).toBeLessThanOrEqual(ULP_BOUND + k * 2 ** -51);
  }
}

function maxUlp32(got: unknown, want: unknown): number {
  const a = flat(got), b = flat(want);
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.map((v, i) => ulpDistance32(v, b[i])));
}

const maps: [string, Fn][] = [["sparsemax", sparsemax as Fn], ["entmax15", entmax15 as Fn], ["entmax", entmax as Fn]];

describe("fixtures: each entry within 4 ulp of mpmath", () => {
  for (const [section, fn] of maps) {
    for (const c of fixtures[section]) {
      const label = section === "entmax" ? `entmax alpha ${c.alpha}` : section;
      test(`${section}(x${section === "entmax" ? `, { alpha: ${c.alpha} }` : ""}) matches mpmath: ${c.name}`, () => {
        const options = { axis: c.axis, temperature: c.temperature, mask: c.mask, alpha: c.alpha };
        const nested = fn(c.x, options);
        expect(shapeOf(nested)).toEqual(shapeOf(c.x));
        checkForward(nested, c, label);
        const typed = fn(typedInput(c, "x"), options);
        if (c.dtype === "float32") {
          expect(note(`${label} float32`, maxUlp32(typed, c.exact32))).toBeLessThanOrEqual(1);
        } else {
          expect(flat(typed)).toEqual(flat(nested));
        }
        if (section === "entmax" && (c.alpha === 1.5 || c.alpha === 2)) checkForward(bisection(c.x, options), c, `${label} by bisection`);
      });
    }
  }
  for (const [section, fn] of [["sparsemaxVjp", sparsemaxVjp], ["entmax15Vjp", entmax15Vjp]] as [string, VjpFn][]) {
    for (const c of fixtures[section]) {
      test(`${section}(probs, g) matches J^T g in mpmath: ${c.name}`, () => {
        const options = { axis: c.axis, temperature: c.temperature, mask: c.mask };
        const nested = fn(c.probs, c.cotangent, options);
        expect(shapeOf(nested)).toEqual(shapeOf(c.probs));
        checkForward(nested, c, section);
        const typed = fn(typedInput(c, "probs"), flat(c.cotangent), options);
        if (c.dtype === "float32") expect(note(`${section} float32`, maxUlp32(typed, c.exact32))).toBeLessThanOrEqual(1);
        else expect(flat(typed)).toEqual(flat(nested));
      });
    }
  }
});

// ------------------------------------------------------------------------------------------------
// Properties

const RUNS = { numRuns: 300 };
const u = 2 ** -53;

/** Logits: random doubles, and small dyadic values that tie often. */
const logit = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.integer({ min: -12, max: 12 }).map((k) => k / 4),
);
const row = fc.array(logit, { minLength: 1, maxLength: 20 });
const alphaArb = fc.oneof(fc.double({ min: 1.05, max: 6, noNaN: true }), fc.constantFrom(1.25, 1.5, 1.75, 2, 3));
const temperatureArb = fc.constantFrom(1, 0.5, 3);

/** A map by name, with its alpha: "sparsemax" (2), "entmax15" (1.5), or entmax at alpha. */
function mapAt(alpha: number): (x: number[], options?: Record<string, unknown>) => number[] {
  if (alpha === 2) return (x, o) => sparsemax(x, o);
  if (alpha === 1.5) return (x, o) => entmax15(x, o);
  return (x, o) => entmax(x, { ...o, alpha });
}
const support = (p: number[]) => p.filter((v) => v > 0).length;

describe("properties", () => {
  test("sparsemax, entmax15 and entmax lie on the simplex: entries >= 0 (never -0) summing to 1 within 4 ulp", () => {
    fc.assert(fc.property(row, alphaArb, temperatureArb, (x, alpha, T) => {
      for (const p of [sparsemax(x, { temperature: T }), entmax15(x, { temperature: T }), entmax(x, { alpha, temperature: T })]) {
        for (const v of p) expect(v >= 0 && !Object.is(v, -0)).toBe(true);
        expect(Math.abs(accurateSum(p) - 1)).toBeLessThanOrEqual(4 * 2 * u);
      }
    }), RUNS);
  });

  test("entries below the threshold are exactly 0, entries above it positive, and p is monotone in x", () => {
    fc.assert(fc.property(row, alphaArb, temperatureArb, (x, alpha, T) => {
      const p = mapAt(alpha)(x, { temperature: T });
      const a = alpha - 1, z = x.map((v) => v / T), top = Math.max(...z);
      const tau = -(Math.max(...p) ** a); // the maximum has w = 0: p_max = (-tau)^(1/a)
      z.forEach((zi, i) => {
        const w = a * (zi - top);
        if (w < tau - 1e-9) expect(Object.is(p[i], 0)).toBe(true);
        if (w > tau + 1e-6 && (w - tau) ** (1 / a) > 1e-200) expect(p[i]).toBeGreaterThan(0);
        z.forEach((zj, j) => { if (zi > zj) expect(p[i]).toBeGreaterThanOrEqual(p[j]); });
      });
    }), RUNS);
  });

  // Entry i is in the support iff sum_j ((alpha - 1)(z_j - z_i))_+^(1/(alpha-1)) < 1, which needs each
  // (alpha - 1)(z_j - z_i) < 1; there every term grows with alpha, so the supports are nested.
  test("the supports are nested as alpha grows: supp entmax(x, a2) is inside supp entmax(x, a1) for 1 <= a1 < a2", () => {
    fc.assert(fc.property(row, fc.oneof(alphaArb, fc.constant(1)), alphaArb, temperatureArb, (x, a1, a2, T) => {
      fc.pre(a1 !== a2);
      const [lo, hi] = a1 < a2 ? [a1, a2] : [a2, a1];
      const wide = entmax(x, { alpha: lo, temperature: T }), narrow = entmax(x, { alpha: hi, temperature: T });
      narrow.forEach((v, i) => { if (v > 0) expect(wide[i]).toBeGreaterThan(0); });
      expect(support(narrow)).toBeLessThanOrEqual(support(wide));
    }), { numRuns: 1000 });
  });

  test("permuting x permutes the result, bit for bit", () => {
    fc.assert(fc.property(row, alphaArb, fc.integer({ min: 0, max: 1000 }), (x, alpha, seed) => {
      const order = x.map((_, i) => i).sort((i, j) => ((i * 7919 + seed) % 101) - ((j * 7919 + seed) % 101) || i - j);
      for (const f of [mapAt(2), mapAt(1.5), mapAt(alpha)]) {
        const p = f(x), q = f(order.map((i) => x[i]));
        order.forEach((i, k) => expect(Object.is(q[k], p[i])).toBe(true));
      }
    }), RUNS);
  });

  test("an exact shift of x (dyadic values) leaves the result unchanged, bit for bit", () => {
    const dyadic = fc.integer({ min: -64 * 40, max: 64 * 40 }).map((k) => k / 64);
    fc.assert(fc.property(fc.array(dyadic, { minLength: 1, maxLength: 20 }), fc.integer({ min: -1e6, max: 1e6 }), alphaArb, (x, c, alpha) => {
      const y = x.map((v) => v + c);
      for (const f of [mapAt(2), mapAt(1.5), mapAt(alpha)]) expect(f(y)).toEqual(f(x));
    }), RUNS);
  });

  test("a rounded shift of x moves each entry by at most a few ulps of the shifted inputs (alpha <= 2: J is 2-Lipschitz)", () => {
    fc.assert(fc.property(row, fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1.05, max: 2, noNaN: true }), (x, c, alpha) => {
      const y = x.map((v) => v + c);
      const tol = 4 * 2 * u * (Math.max(...x.map(Math.abs)) + Math.abs(c)) + 8 * u;
      for (const f of [mapAt(2), mapAt(1.5), mapAt(alpha)]) {
        const p = f(x), q = f(y);
        p.forEach((v, i) => expect(Math.abs(q[i] - v)).toBeLessThanOrEqual(tol));
      }
    }), RUNS);
  });

  test("entmax by bisection at alpha 2 and 1.5 is within 4 ulp per entry of sparsemax and entmax15, or within 2^-100 of the row's scale", () => {
    fc.assert(fc.property(row, temperatureArb, (x, T) => {
      const scale = 1 + Math.max(...x.map(Math.abs)) / T;
      for (const [alpha, exact] of [[2, sparsemax(x, { temperature: T })], [1.5, entmax15(x, { temperature: T })]] as const) {
        const b = bisection(x, { alpha, temperature: T }) as number[];
        // An entry just above the threshold is a difference of numbers of the row's scale, known to
        // the threshold's double-double precision: the two paths agree to about 2^-104 of that scale
        // there (the fixtures' "4 + condition number * 2^-51 ulp"), and to 4 ulp everywhere else.
        b.forEach((v, i) => expect(ulpDistance64(v, exact[i]) <= 4 || Math.abs(v - exact[i]) <= 2 ** -100 * scale).toBe(true));
      }
    }), { ...RUNS, examples: [[[0, -2.9438994757925532e-28, 0, -1], 3]] });
  });

  test("entmax(x, { alpha: 1 }) is softmax(x), bit for bit, with temperature and mask, nested and typed", () => {
    fc.assert(fc.property(row, temperatureArb, (x, T) => {
      const mask = x.map((_, i) => i % 3 !== 1);
      expect(entmax(x, { alpha: 1, temperature: T, mask })).toEqual(softmax(x, { temperature: T, mask }));
      const f = Float32Array.from(x);
      expect(entmax(f, { alpha: 1, temperature: T })).toEqual(softmax(f, { temperature: T }));
    }), RUNS);
  });

  test("entmax tends to softmax as alpha -> 1 and to the maximum's indicator as alpha grows", () => {
    const x = [0.3, -0.2, 1.1, 0.9];
    const s = softmax(x);
    entmax(x, { alpha: 1 + 1e-9 }).forEach((v, i) => expect(Math.abs(v - s[i])).toBeLessThan(1e-8));
    expect(entmax(x, { alpha: 60 })).toEqual([0, 0, 1, 0]);
    expect(entmax([2, 2, 1], { alpha: 1000 })).toEqual([0.5, 0.5, 0]);
  });

  test("entmax with iterations: 1 stops early and still returns a distribution; the default converges", () => {
    const x = [0.3, -0.2, 1.1, 0.9, 0.95];
    const rough = entmax(x, { alpha: 1.75, iterations: 1 });
    expect(Math.abs(accurateSum(rough) - 1)).toBeLessThanOrEqual(4 * 2 * u);
    expect(rough.every((v) => v >= 0)).toBe(true);
    const fine = entmax(x, { alpha: 1.75 });
    expect(rough).not.toEqual(fine);
    expect(entmax(x, { alpha: 1.75, iterations: 2000 })).toEqual(fine);
  });

  test("extreme alpha and temperature still give a distribution: never NaN, summing to 1", () => {
    const extremes = fc.constantFrom(1 + 2 ** -52, 1 + 1e-9, 1.001, 60, 1e6, 1e300, Number.MAX_VALUE);
    const temperatures = fc.constantFrom(1, 1e-300, 5e-324, 1e300, Number.MAX_VALUE);
    fc.assert(fc.property(row, extremes, temperatures, (x, alpha, T) => {
      const p = entmax(x, { alpha, temperature: T });
      expect(p.every((v) => v >= 0)).toBe(true);
      expect(Math.abs(accurateSum(p) - 1)).toBeLessThanOrEqual(8 * 2 * u);
    }), RUNS);
    expect(sparsemax([1e308, -1e308])).toEqual([1, 0]);
    expect(entmax15([1.5e308, -1.5e308, 1.5e308], { temperature: 1e308 })).toEqual([0.5, 0, 0.5]);
  });

  test("the simplex and monotonicity hold at the lengths around the SIMD widths and at n = 1000", () => {
    for (const n of [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000]) {
      const x = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 2);
      const order = x.map((_, i) => i).sort((i, j) => x[i] - x[j]);
      for (const p of [sparsemax(x), entmax15(x), entmax(x, { alpha: 1.3 }), entmax(x, { alpha: 4 })]) {
        expect(Math.abs(accurateSum(p) - 1)).toBeLessThanOrEqual(4 * 2 * u);
        expect(order.every((i, k) => k === 0 || p[i] >= p[order[k - 1]])).toBe(true);
      }
    }
  });
});

test("the TSDoc examples return exactly the values they show", () => {
  const fns = { sparsemax, entmax15, entmax, sparsemaxVjp, entmax15Vjp };
  let count = 0;
  for (const name of Object.keys(fns)) {
    const source = readFileSync(new URL(`../src/${name}.ts`, import.meta.url), "utf8");
    for (const [, call, shown] of source.matchAll(/^ \* (\w+\(.*\));\s*\/\/ (.*)$/gm)) {
      const got = new Function("fns", `with (fns) { return ${call}; }`)(fns);
      expect(JSON.stringify(got), call).toBe(JSON.stringify(JSON.parse(shown)));
      count++;
    }
  }
  expect(count).toBe(9);
});

// VJPs: the closed-form Jacobians of the papers, and central differences of the forward maps

/** J = diag(s) - s s^T / sum(s) on the support (s = 1 for sparsemax, sqrt p for entmax15), divided by T. */
function explicitJacobian(p: number[], sqrt: boolean, T: number): number[][] {
  const s = p.map((v) => (v > 0 ? (sqrt ? Math.sqrt(v) : 1) : 0));
  const total = s.reduce((a, b) => a + b, 0);
  return s.map((si, i) => s.map((sj, j) => ((i === j ? si : 0) - (si * sj) / total) / T));
}

const vjpCases = fc.integer({ min: 1, max: 10 }).chain((n) => fc.tuple(
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
  fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
));

describe("VJP properties", () => {
  const pairs = [["sparsemaxVjp", sparsemax, sparsemaxVjp, false], ["entmax15Vjp", entmax15, entmax15Vjp, true]] as const;
  for (const [name, forward, vjp, sqrt] of pairs) {
    test(`${name}(p, g) equals g^T J with the explicit Jacobian of the paper`, () => {
      fc.assert(fc.property(vjpCases, temperatureArb, ([x, g], T) => {
        const p = forward(x, { temperature: T });
        const J = explicitJacobian(p, sqrt, T);
        const v = vjp(p, g, { temperature: T });
        const scale = g.reduce((m, gi) => Math.max(m, Math.abs(gi)), 0);
        v.forEach((vi, j) => {
          const want = J.reduce((s, row, i) => s + row[j] * g[i], 0);
          expect(Math.abs(vi - want)).toBeLessThanOrEqual(1e-14 * (1 + scale) / T);
        });
      }), RUNS);
    });

    test(`${name}(p, g) matches central differences of g . ${forward.name}(x / T) away from support changes`, () => {
      fc.assert(fc.property(vjpCases, temperatureArb, ([x, g], T) => {
        const h = 1e-6;
        const p = forward(x, { temperature: T });
        // skip points where a step of h could change the support (the map is not differentiable there)
        const a = sqrt ? 0.5 : 1, top = Math.max(...x) / T, tau = -(Math.max(...p) ** a);
        fc.pre(x.every((xi) => Math.abs(a * (xi / T - top) - tau) > 1e-4));
        const v = vjp(p, g, { temperature: T });
        const dot = (y: number[]) => accurateSum(forward(y, { temperature: T }).map((pi, i) => pi * g[i]));
        x.forEach((_, i) => {
          const up = x.slice(), down = x.slice();
          up[i] += h;
          down[i] -= h;
          expect(Math.abs((dot(up) - dot(down)) / (2 * h) - v[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v[i])));
        });
      }), RUNS);
    });

    test(`${name}(p, g) sums to 0 over the support and is exactly 0 off it`, () => {
      fc.assert(fc.property(vjpCases, temperatureArb, ([x, g], T) => {
        const p = forward(x, { temperature: T });
        const v = vjp(p, g, { temperature: T });
        const abs = v.reduce((s, vi) => s + Math.abs(vi), 0);
        // the terms' scale: entries that are 0 in exact arithmetic (g constant on the support) come out
        // at the double-double level of s_i g_i, e.g. 1e-32 for x = [0, 0], g = [3 - 2^-51, 3 - 2^-51]
        const scale = p.reduce((s, pi, i) => s + (pi > 0 ? (sqrt ? Math.sqrt(pi) : 1) * Math.abs(g[i]) : 0), 0) / T;
        expect(Math.abs(accurateSum(v))).toBeLessThanOrEqual(8 * u * abs + 2 ** -100 * scale + 1e-300);
        p.forEach((pi, i) => { if (pi === 0) expect(Object.is(v[i], 0)).toBe(true); });
      }), { ...RUNS, examples: [[[[0, 0], [2.9999999999999987, 2.9999999999999987]], 1]] });
    });
  }

  test("a constant cotangent has a zero VJP: exactly for sparsemaxVjp, to double-double precision for entmax15Vjp", () => {
    expect(sparsemaxVjp([0.5, 0.3, 0.2, 0], [0.1, 0.1, 0.1, 0.1])).toEqual([0, 0, 0, 0]);
    for (const v of entmax15Vjp([0.5, 0.3, 0.2, 0], [0.1, 0.1, 0.1, 0.1])) expect(Math.abs(v)).toBeLessThanOrEqual(0.1 * 2 ** -100);
  });
});

// ------------------------------------------------------------------------------------------------
// Edge semantics (API.md §2), for every map

const everyMap: [string, Fn][] = [
  ["sparsemax", sparsemax as Fn],
  ["entmax15", entmax15 as Fn],
  ["entmax alpha 1.25", (x, o) => entmax(x as number[], { ...(o as object), alpha: 1.25 })],
  ["entmax alpha 3", (x, o) => entmax(x as number[], { ...(o as object), alpha: 3 })],
  ["entmax alpha 2 by bisection", (x, o) => bisection(x, { ...(o as object), alpha: 2 })],
];

describe("edge cases", () => {
  for (const [name, f] of everyMap) {
    const call = (x: unknown, o?: unknown) => f(x, o) as number[];
    test(`${name}: masked and -Infinity entries get exactly 0, the others what the row without them gets`, () => {
      const base = call([1, 0.8]);
      expect(call([1, 5, 0.8], { mask: [1, 0, 1] })).toEqual([base[0], 0, base[1]]);
      expect(call([1, -Infinity, 0.8])).toEqual([base[0], 0, base[1]]);
      expect(call([1, NaN, Infinity, 0.8], { mask: [1, 0, 0, 1] })).toEqual([base[0], 0, 0, base[1]]);
    });
    test(`${name}: a row with every entry masked or -Infinity is all 0, never NaN`, () => {
      expect(call([1, 2], { mask: [0, 0] })).toEqual([0, 0]);
      expect(call([-Infinity, -Infinity, 3], { mask: [1, 1, 0] })).toEqual([0, 0, 0]);
    });
    test(`${name}: k entries at +Infinity get 1/k each, the rest 0`, () => {
      expect(call([1, Infinity, Infinity, 0])).toEqual([0, 0.5, 0.5, 0]);
      expect(call([Infinity, -Infinity])).toEqual([1, 0]);
    });
    test(`${name}: an unmasked NaN makes the whole row NaN (over +Infinity too), other rows untouched`, () => {
      expect(call([1, NaN, 0]).every(Number.isNaN)).toBe(true);
      expect(call([Infinity, NaN]).every(Number.isNaN)).toBe(true);
      const two = call([[1, NaN], [1, 1]]) as unknown as number[][];
      expect(two[0].every(Number.isNaN)).toBe(true);
      expect(two[1]).toEqual([0.5, 0.5]);
    });
    test(`${name}: an empty axis gives an empty result of the same shape`, () => {
      expect(call([])).toEqual([]);
      expect(call([[], []])).toEqual([[], []]);
      const t = f({ data: new Float32Array(0), shape: [0, 3] }, { axis: 0 }) as { data: Float32Array; shape: number[] };
      expect(t.data).toBeInstanceOf(Float32Array);
      expect(t.shape).toEqual([0, 3]);
    });
    test(`${name}: temperature 0 puts 1/k on the k maxima, temperature Infinity is uniform over the entries left`, () => {
      expect(call([1, 3, 3, 2], { temperature: 0 })).toEqual([0, 0.5, 0.5, 0]);
      expect(call([1, -Infinity, 3, 2], { temperature: Infinity })).toEqual([1 / 3, 0, 1 / 3, 1 / 3]);
      expect(call([1, 3, 2], { temperature: Infinity, mask: [1, 0, 1] })).toEqual([0.5, 0, 0.5]);
    });
    test(`${name}: a length-1 row is [1], an all-equal row uniform, [-1000, 1000] one-hot`, () => {
      expect(call([-7.5])).toEqual([1]);
      expect(call([2, 2, 2, 2])).toEqual([0.25, 0.25, 0.25, 0.25]);
      expect(call([-1000, 1000])).toEqual([0, 1]);
    });
    test(`${name}: nested, typed and tensor inputs keep their kind; float32 stays float32; along any axis`, () => {
      const rows = [[0.5, 0.1, -0.3], [2, 2.2, 0]];
      const nested = call(rows) as unknown as number[][];
      const f64 = f(Float64Array.from(rows[0])) as Float64Array;
      expect(f64).toBeInstanceOf(Float64Array);
      expect(Array.from(f64)).toEqual(nested[0]);
      const f32 = f(Float32Array.from(rows[1])) as Float32Array;
      expect(f32).toBeInstanceOf(Float32Array);
      const wide = call(rows[1].map(Math.fround)); // the same float32 inputs, computed and returned in float64
      f32.forEach((v, i) => expect(ulpDistance32(v, Math.fround(wide[i]))).toBeLessThanOrEqual(1));
      const tensor = f({ data: Float64Array.from(rows.flat()), dims: [2, 3] }) as { data: Float64Array; shape: number[] };
      expect(tensor.shape).toEqual([2, 3]);
      expect(Array.from(tensor.data)).toEqual(nested.flat());
      const columns = f({ data: Float64Array.from([0.5, 2, 0.1, 2.2, -0.3, 0]), shape: [3, 2] }, { axis: 0 }) as { data: Float64Array };
      expect(Array.from(columns.data)).toEqual([nested[0][0], nested[1][0], nested[0][1], nested[1][1], nested[0][2], nested[1][2]]);
      const axis1 = call([[[0.5, 2], [0.1, 2.2], [-0.3, 0]]], { axis: 1 }) as unknown as number[][][];
      expect(axis1[0].map((r) => r[0])).toEqual(nested[0]);
    });
    test(`${name}: out receives the result and may be the input itself; the input is never mutated`, () => {
      const values = [0.4, -0.1, 0.35, 2, 1.9];
      const want = call(values);
      const x = Float64Array.from(values);
      const fresh = f(x) as Float64Array;
      expect(Array.from(x)).toEqual(values);
      expect(Array.from(fresh)).toEqual(want);
      const out = new Float64Array(5);
      expect(f(x, { out })).toBe(out);
      expect(Array.from(out)).toEqual(want);
      expect(f(x, { out: x })).toBe(x);
      expect(Array.from(x)).toEqual(want);
      const nested = [[...values]];
      call(nested, { mask: [[1, 1, 1, 1, 0]] });
      expect(nested).toEqual([values]);
      const y = Float32Array.from(values);
      expect(f(y, { out: y })).toBe(y);
      Array.from(y).forEach((v, i) => expect(ulpDistance32(v, Math.fround(want[i]))).toBeLessThanOrEqual(1));
    });
  }
});

describe("VJP edge cases", () => {
  const vjps: [string, VjpFn][] = [["sparsemaxVjp", sparsemaxVjp as VjpFn], ["entmax15Vjp", entmax15Vjp as VjpFn]];
  for (const [name, vjp] of vjps) {
    const call = (p: unknown, g: unknown, o?: unknown) => vjp(p, g, o) as number[];
    test(`${name}: masked entries take no part and get 0; entries off the support get 0 whatever g is`, () => {
      expect(call([0.6, 0.1, 0.4], [1, 50, 0], { mask: [1, 0, 1] })).toEqual(call([0.6, 0.4], [1, 0]).flatMap((v, i) => (i === 0 ? [v, 0] : [v])));
      expect(call([1, 0, 0], [1, Infinity, NaN])).toEqual([0, 0, 0]);
    });
    test(`${name}: temperature 0 gives zeros (never NaN); temperature T divides the result`, () => {
      expect(call([0.6, 0.4], [1, 0], { temperature: 0 })).toEqual([0, 0]);
      const one = call([0.6, 0.4], [1, 0]);
      expect(call([0.6, 0.4], [1, 0], { temperature: 4 })).toEqual(one.map((v) => v / 4));
    });
    test(`${name}: a NaN on the support makes the support NaN`, () => {
      const v = call([0.6, 0.4, 0], [NaN, 0, 1]);
      expect(Number.isNaN(v[0]) && Number.isNaN(v[1])).toBe(true);
      expect(v[2]).toBe(0);
    });
    test(`${name}: kinds are kept, the cotangent may be nested, flat or a tensor, out may be probs itself`, () => {
      const probs = [[0.6, 0.4, 0], [0.2, 0.3, 0.5]], g = [[1, 0, 3], [0.5, -1, 2]];
      const nested = call(probs, g) as unknown as number[][];
      const data = Float64Array.from(probs.flat());
      const tensor = vjp({ data, shape: [2, 3] }, g.flat()) as { data: Float64Array; shape: number[] };
      expect(tensor.shape).toEqual([2, 3]);
      expect(Array.from(tensor.data)).toEqual(nested.flat());
      const gTensor = { data: Float64Array.from(g.flat()), shape: [2, 3] };
      expect(Array.from((vjp({ data, shape: [2, 3] }, gTensor) as { data: Float64Array }).data)).toEqual(nested.flat());
      const f32 = vjp(Float32Array.from(probs[1]), g[1]) as Float32Array;
      expect(f32).toBeInstanceOf(Float32Array);
      f32.forEach((v, i) => expect(ulpDistance32(v, Math.fround(nested[1][i]))).toBeLessThanOrEqual(1));
      expect(Array.from(data)).toEqual(probs.flat());
      const inPlace = Float64Array.from(probs[1]);
      expect(vjp(inPlace, g[1], { out: inPlace })).toBe(inPlace);
      expect(Array.from(inPlace)).toEqual(nested[1]);
    });
  }
});

// ------------------------------------------------------------------------------------------------
// Errors: thrown before any kernel runs, naming the function, the parameter and the value

describe("errors", () => {
  for (const [name, f] of [...everyMap.slice(0, 3), ["entmax alpha 1.25 by bisection", (x: unknown, o?: unknown) => bisection(x, { ...(o as object), alpha: 1.25 })] as [string, Fn]]) {
    test(`${name}: bad x, axis, temperature, mask and out throw TypeError / RangeError naming them`, () => {
      expect(() => f("abc")).toThrow(TypeError);
      expect(() => f("abc")).toThrow(/x must be .*; got string "abc"/);
      expect(() => f(new Int8Array(2))).toThrow(/Float32Array or Float64Array.*Int8Array\(2\)/);
      expect(() => f([1, "2"])).toThrow(/x\[1\] must be a number; got string "2"/);
      expect(() => f([[1, 2], [3]])).toThrow(RangeError);
      expect(() => f([1, 2], { axis: 1 })).toThrow(/axis must be an integer in \[-1, 0\].*got 1/);
      expect(() => f([1, 2], { temperature: -1 })).toThrow(/temperature must be >= 0.*got -1/);
      expect(() => f([1, 2], { temperature: NaN })).toThrow(RangeError);
      expect(() => f([1, 2], { mask: [1] })).toThrow(/mask must have one entry per element.*got Array\(1\)/);
      expect(() => f([1, 2], { out: new Float64Array(2) })).toThrow(/out is only for typed-array and tensor inputs/);
      expect(() => f(new Float64Array(2), { out: new Float32Array(2) })).toThrow(/out must be a Float64Array.*Float32Array\(2\)/);
      expect(() => f(new Float64Array(2), { out: new Float64Array(3) })).toThrow(/out must have length 2.*Float64Array\(3\)/);
    });
  }
  test("sparsemax, entmax15 and entmax with options that are not an object throw TypeError naming options", () => {
    for (const f of [sparsemax, entmax15, entmax] as Fn[]) expect(() => f([1, 2], 5)).toThrow(/options must be an object; got 5/);
  });
  test("entmax without a numeric alpha throws TypeError naming alpha and the value", () => {
    expect(() => entmax([1, 2], {} as never)).toThrow(TypeError);
    expect(() => entmax([1, 2], {} as never)).toThrow(/entmax: alpha must be a finite number >= 1.*got undefined/);
    expect(() => entmax([1, 2], undefined as never)).toThrow(/alpha.*got undefined/);
    expect(() => entmax([1, 2], { alpha: "2" as never })).toThrow(/alpha.*got string "2"/);
  });
  test("entmax with alpha below 1, NaN or Infinity throws RangeError naming alpha and the value", () => {
    for (const alpha of [0.5, 0, -1, NaN, Infinity]) {
      expect(() => entmax([1, 2], { alpha })).toThrow(RangeError);
      expect(() => entmax([1, 2], { alpha })).toThrow(new RegExp(`alpha must be .*; got ${alpha}`));
    }
  });
  test("entmax with iterations that are not a positive integer throws, naming iterations and the value", () => {
    for (const iterations of [0, -3, 1.5, NaN, Infinity]) {
      expect(() => entmax([1, 2], { alpha: 1.3, iterations })).toThrow(RangeError);
      expect(() => entmax([1, 2], { alpha: 1.3, iterations })).toThrow(new RegExp(`iterations must be a positive integer.*; got ${iterations}`));
    }
    expect(() => entmax([1, 2], { alpha: 1.3, iterations: "10" as never })).toThrow(TypeError);
  });
  test("an error leaves the input (and out) untouched: nothing runs before the arguments are checked", () => {
    const x = Float64Array.from([1, 2, 3]);
    expect(() => entmax(x, { alpha: 0.5, out: x })).toThrow(RangeError);
    expect(() => sparsemax(x, { out: x, mask: [1, 1] })).toThrow(RangeError);
    expect(Array.from(x)).toEqual([1, 2, 3]);
  });
  for (const [name, vjp] of [["sparsemaxVjp", sparsemaxVjp], ["entmax15Vjp", entmax15Vjp]] as [string, VjpFn][]) {
    test(`${name}: a missing or misshapen cotangent, bad probs or bad options throw naming them`, () => {
      expect(() => vjp([0.5, 0.5], undefined)).toThrow(TypeError);
      expect(() => vjp([0.5, 0.5], undefined)).toThrow(new RegExp(`${name}: cotangent must be an array`));
      expect(() => vjp([0.5, 0.5], [1, 2, 3])).toThrow(/cotangent must have one entry per element of x \(2/);
      expect(() => vjp([[0.5, 0.5]], [[1], [2]])).toThrow(/cotangent must have the shape of x, \[1, 2\], but has \[2, 1\]/);
      expect(() => vjp("p", [1])).toThrow(/probs must be/);
      expect(() => vjp([0.5, 0.5], [1, 2], { temperature: -2 })).toThrow(/temperature.*got -2/);
      expect(() => vjp([0.5, 0.5], [1, 2], { axis: 2 })).toThrow(/axis.*got 2/);
    });
  }
});
