// The worked examples of the reference texts in ../shared/seeds, each as a named test. The seeds print
// rounded values (and round their intermediate sums), so each check allows one unit in the seed's
// last printed digit; the value printed is passed as a string to carry that precision.
import { describe, expect, test } from "vitest";
import { logSoftmax, logSumExp, softmax } from "../src/index.js";

/** |actual - printed| <= one unit in the last decimal the seed printed. */
function agrees(actual: number, printed: string): void {
  const decimals = printed.includes(".") ? printed.split(".")[1].length : 0;
  const unit = 10 ** -decimals;
  expect(Math.abs(actual - Number(printed)), `${actual} vs the seed's ${printed}`).toBeLessThanOrEqual(unit * 1.0000001);
}
const agreesAll = (actual: ArrayLike<number>, printed: string[]) => {
  expect(actual.length).toBe(printed.length);
  printed.forEach((p, i) => agrees(actual[i], p));
};
const entropy = (x: number[]) => {
  const p = softmax(x), lp = logSoftmax(x);
  return -p.reduce((h, pi, i) => h + (pi > 0 ? pi * lp[i] : 0), 0);
};

describe("seed 002 (plain-English softmax)", () => {
  test("softmax([2, 1, 0.1]) is [0.659, 0.242, 0.099]", () => agreesAll(softmax([2, 1, 0.1]), ["0.659", "0.242", "0.099"]));
  test("softmax([1000, 1001, 1002]) is [0.090, 0.245, 0.665] where the naive formula overflows", () => {
    agreesAll(softmax([1000, 1001, 1002]), ["0.090", "0.245", "0.665"]);
  });
  test("softmax([2, 1, 0.1]) sums to 1", () => expect(softmax([2, 1, 0.1]).reduce((a, b) => a + b)).toBeCloseTo(1, 15));
});

describe("seed 001 (the softmax function, worked examples)", () => {
  test("Example 1: softmax([2, 1, 0.5]) is about [0.6286, 0.2313, 0.1402]", () => {
    agreesAll(softmax([2, 1, 0.5]), ["0.6286", "0.2313", "0.1402"]);
  });
  test("Example 2: logSumExp([1000, 1001, 1002]) is 1002 + log of the shifted sum 0.1353 + 0.3679 + 1 = 1.5032", () => {
    agrees(Math.exp(logSumExp([1000, 1001, 1002]) - 1002), "1.5032");
  });
  test("Example 3: softmax([3, 1, 0], { temperature: 0.5 }) is about [0.9796, 0.0179, 0.0024]", () => {
    agreesAll(softmax([3, 1, 0], { temperature: 0.5 }), ["0.9796", "0.0179", "0.0024"]);
  });
  test("Example 3: softmax([3, 1, 0]) is about [0.8438, 0.1142, 0.0420]", () => {
    agreesAll(softmax([3, 1, 0]), ["0.8438", "0.1142", "0.0420"]);
  });
  test("Example 3: softmax([3, 1, 0], { temperature: 2 }) is about [0.6285, 0.2313, 0.1402]", () => {
    agreesAll(softmax([3, 1, 0], { temperature: 2 }), ["0.6285", "0.2313", "0.1402"]);
  });
  test("Example 3: as the temperature rises the distribution flattens (entropy grows)", () => {
    const h = [0.5, 1, 2].map((t) => -softmax([3, 1, 0], { temperature: t }).reduce((s, p) => s + p * Math.log(p), 0));
    expect(h[0]).toBeLessThan(h[1]);
    expect(h[1]).toBeLessThan(h[2]);
  });
  test("Problem 4: the entropy of softmax([2, 2, 2]) is log 3, about 1.099 nats", () => agrees(entropy([2, 2, 2]), "1.099"));
  // The seed prints 0.9934 for the first entry; e^5 / (e^5 + 1 + e^-5) = 0.99326, which rounds to 0.9933.
  test("Problem 4: softmax([5, 0, -5]) is about [0.9933, 0.0067, 0.0000] with entropy about 0.040 nats", () => {
    agreesAll(softmax([5, 0, -5]), ["0.9933", "0.0067", "0.0000"]);
    agrees(entropy([5, 0, -5]), "0.040");
  });
  test("Section 2: two-class softmax is the sigmoid of the difference", () => {
    const [p1] = softmax([1.5, -0.25]);
    agrees(p1, (1 / (1 + Math.exp(-1.75))).toFixed(15));
  });
});

describe("seed 003 (softmax function, tech tree)", () => {
  test("softmax([2, 1, 0]) is about (0.665, 0.245, 0.090)", () => agreesAll(softmax([2, 1, 0]), ["0.665", "0.245", "0.090"]));
  test("softmax([1000, 1001, 999]) is about (0.2447, 0.6652, 0.0900)", () => {
    agreesAll(softmax([1000, 1001, 999]), ["0.2447", "0.6652", "0.0900"]);
  });
  test("softmax([2, 1, 0], { temperature: 2 }) is about (0.506, 0.307, 0.186)", () => {
    agreesAll(softmax([2, 1, 0], { temperature: 2 }), ["0.506", "0.307", "0.186"]);
  });
  test("softmax([2, 1, 0], { temperature: 0.5 }) is about (0.867, 0.117, 0.016)", () => {
    agreesAll(softmax([2, 1, 0], { temperature: 0.5 }), ["0.867", "0.117", "0.016"]);
  });
  test("softmax([0, 0, 0, 0]) is uniform, 1/4 each", () => expect(softmax([0, 0, 0, 0])).toEqual([0.25, 0.25, 0.25, 0.25]));
  test("softmax([12, 11, 10]) is the same point as softmax([2, 1, 0]) (shift invariance)", () => {
    const a = softmax([12, 11, 10]), b = softmax([2, 1, 0]);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(4 * Number.EPSILON * b[i]));
  });
  test("Practice: softmax([3, 1, -1]) is about (0.867, 0.117, 0.016) and at temperature 2 about (0.665, 0.245, 0.090)", () => {
    agreesAll(softmax([3, 1, -1]), ["0.867", "0.117", "0.016"]);
    agreesAll(softmax([3, 1, -1], { temperature: 2 }), ["0.665", "0.245", "0.090"]);
  });
});

describe("seed 004 (softmax function, encyclopaedia)", () => {
  const z = [1, 2, 3, 4, 1, 2, 3];
  test("softmax([1, 2, 3, 4, 1, 2, 3]) is about (0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175)", () => {
    agreesAll(softmax(z), ["0.024", "0.064", "0.175", "0.475", "0.024", "0.064", "0.175"]);
  });
  test("softmax([1, 2, 3, 4, 1, 2, 3]) matches NumPy's printout to 8 decimals", () => {
    agreesAll(softmax(z), ["0.02364054", "0.06426166", "0.17468130", "0.47483300", "0.02364054", "0.06426166", "0.17468130"]);
  });
  test("softmax([1, 2, 3, 4, 1, 2, 3], { temperature: 10 }) is about (0.125, 0.138, 0.153, 0.169, 0.125, 0.138, 0.153)", () => {
    agreesAll(softmax(z, { temperature: 10 }), ["0.125", "0.138", "0.153", "0.169", "0.125", "0.138", "0.153"]);
  });
  test("the limit temperature -> 0 splits the probability between tied maxima: softmax([1, 4, 2, 4], { temperature: 0 })", () => {
    expect(softmax([1, 4, 2, 4], { temperature: 0 })).toEqual([0, 0.5, 0, 0.5]);
  });
});
