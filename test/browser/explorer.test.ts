// The explorer (site/) in a real browser: builds the static site, serves site/dist from a subfolder of a
// localhost server, and drives Debian's Chromium with playwright-core. The page exposes what it computed
// in data-* attributes and text, which these tests read; screenshots of every panel go to test-output/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import axe from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRng, logSumExp, sampleLogits } from "../../dist/esm/index.js";
import { makeVocabulary, VOCABULARY_SEED } from "../../site/src/sampling/vocabulary.js";
import { serveDirectory } from "./staticServer.js";

const root = resolve(__dirname, "..", "..");
const screenshots = join(root, "test-output");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const LAST = 202; // the temperature slider's last position (T = Infinity), site/src/temperatureScale.ts
const TOP_CORNER = { x: 0.5, y: Math.sqrt(3) / 2 }; // class 1's corner of the simplex

let browser: Browser;
let page: Page;
let server: { url: string; close(): Promise<void> };
const problems: string[] = []; // console errors, page errors and failed requests, over the whole session

/** JSON from a data-* attribute; the page writes non-finite numbers as the strings "NaN", "Infinity". */
function parse(text: string | null): any {
  expect(text).not.toBeNull();
  return JSON.parse(text!, (_key, v) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v));
}
const attribute = (selector: string, name: string) => page.locator(selector).getAttribute(`data-${name}`);
const dataOf = async (selector: string, name: string) => parse(await attribute(selector, name));
const numberOf = async (selector: string, name: string) => Number(await attribute(selector, name));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function setTemperaturePosition(position: number): Promise<void> {
  await page.locator("#temperature").fill(String(position));
  await expect.poll(() => attribute("#temperature-value", "position")).toBe(String(position));
}

/** Screenshots with the sticky toolbar made static, so that it does not cover the panel being shot. */
async function shoot(selector: string, file: string): Promise<void> {
  await page.addStyleTag({ content: ".toolbar { position: static !important; }" });
  await page.locator(selector).screenshot({ path: join(screenshots, file), animations: "disabled" });
}

async function axeViolations(): Promise<axe.Result[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  // `npm test` has just built the package; run on its own, this test builds it if it is missing.
  if (!existsSync(join(root, "dist", "esm", "index.js"))) {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  }
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  execFileSync(process.execPath, [vite, "build", "--config", "site/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  server = await serveDirectory(join(root, "site", "dist"), "/some/folder/");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the softmax explorer, in Chromium", () => {
  test("loads from a subfolder of a static server, with every panel drawn by the package", async () => {
    expect(await page.title()).toBe("The softmax explorer");
    for (const id of ["prob-chart", "logprob-chart", "simplex-chart", "curve-chart", "jacobian-chart", "sparse-chart", "rank-chart", "histogram-chart", "attention-chart"]) {
      await expect.poll(() => page.locator(`#${id} svg`).count(), { message: id }).toBeGreaterThan(0);
    }
    expect(await page.locator("body").getAttribute("data-backend")).toMatch(/^(wasm-simd|js)$/);
    expect(await page.locator("#prob-chart [role=img]").getAttribute("aria-label")).toContain("class 1 0.659");
  });

  test("the temperature slider keeps the probabilities summing to 1, one-hot at T = 0 and uniform at T = Infinity", async () => {
    for (const position of [LAST - 1, 160, 101, 40, 1]) {
      await setTemperaturePosition(position);
      const probs: number[] = await dataOf("#prob-chart", "probs");
      expect(probs).toHaveLength(3);
      expect(Math.abs(sum(probs) - 1)).toBeLessThan(1e-12);
      expect(Number(await attribute("#entropy", "sum"))).toBeCloseTo(1, 12);
    }
    // The keyboard reaches the ends: Home is T = 0, End is T = Infinity.
    await page.locator("#temperature").focus();
    await page.keyboard.press("Home");
    await expect.poll(() => attribute("#temperature-value", "temperature")).toBe("0");
    expect(await dataOf("#prob-chart", "probs")).toEqual([1, 0, 0]);
    expect(await dataOf("#logprob-chart", "logprobs")).toEqual([0, -Infinity, -Infinity]);
    expect(await numberOf("#entropy", "entropy")).toBe(0);
    expect(await page.locator("#temperature").getAttribute("aria-valuetext")).toBe("T = 0, the argmax limit");
    await shoot("#panel-logits", "panel-1-logits-T0.png");
    await page.keyboard.press("End");
    await expect.poll(() => attribute("#temperature-value", "temperature")).toBe("Infinity");
    expect(await dataOf("#prob-chart", "probs")).toEqual([1 / 3, 1 / 3, 1 / 3]);
    await setTemperaturePosition(101);
    expect(await attribute("#temperature-value", "temperature")).toBe("1");
    expect(await page.locator("#logits-table").innerText()).toContain("0.659");
  });

  test("the logits editor: typing, the bars by keyboard and by dragging, adding and removing classes", async () => {
    await page.locator("#logit-0").fill("3");
    await expect.poll(() => attribute('.bar-track[data-index="0"]', "value")).toBe("3");
    const bar = page.locator('.bar-track[data-index="0"]');
    await bar.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => attribute('.bar-track[data-index="0"]', "value")).toBe("3.1");
    await page.keyboard.press("PageDown");
    await expect.poll(() => attribute('.bar-track[data-index="0"]', "value")).toBe("2.1");
    expect(await page.locator("#logit-0").inputValue()).toBe("2.1");
    await page.keyboard.press("End");
    await expect.poll(() => attribute('.bar-track[data-index="0"]', "value")).toBe("10");
    // Drag class 2's bar to three quarters of its track: -10 + 0.75 * 20 = 5.
    const box = (await page.locator('.bar-track[data-index="1"]').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => attribute('.bar-track[data-index="1"]', "value")).toBe("5");
    const probs: number[] = await dataOf("#prob-chart", "probs");
    expect(probs[0]).toBeGreaterThan(probs[1]);
    expect(probs[1]).toBeGreaterThan(probs[2]);

    await page.locator("#add-logit").click();
    await expect.poll(() => page.locator(".logit-row").count()).toBe(4);
    expect(await dataOf("#prob-chart", "probs")).toHaveLength(4);
    expect(await dataOf("#jacobian-chart", "matrix")).toHaveLength(4);
    await page.getByRole("button", { name: "Remove class 4" }).click();
    await expect.poll(() => page.locator(".logit-row").count()).toBe(3);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.id)).toMatch(/Remove class 3|add-logit/);
    await page.locator("#reset-logits").click();
    await expect.poll(() => dataOf("#prob-chart", "probs")).toEqual([0.6590011388859679, 0.24243297070471392, 0.09856589040931818]);
  });

  test("the simplex point moves toward the corner of the largest logit as T falls, and a shift does not move it", async () => {
    let previous = Infinity;
    for (const position of [LAST, 180, 140, 101, 70, 50, 40]) {
      await setTemperaturePosition(position);
      const x = await numberOf("#simplex-chart", "x");
      const y = await numberOf("#simplex-chart", "y");
      const distance = Math.hypot(x - TOP_CORNER.x, y - TOP_CORNER.y);
      expect(distance, `position ${position}`).toBeLessThan(previous);
      previous = distance;
    }
    // Below T = 0.05 the distance rounds to 0 (1 - exp(-20) is 1 in float64); at T = 0 it is exactly the corner.
    await setTemperaturePosition(0);
    expect(await dataOf("#simplex-chart", "probs")).toEqual([1, 0, 0]);
    expect(await numberOf("#simplex-chart", "x")).toBe(TOP_CORNER.x);
    expect(await numberOf("#simplex-chart", "y")).toBe(TOP_CORNER.y);

    await setTemperaturePosition(101);
    const before = { x: await numberOf("#simplex-chart", "x"), y: await numberOf("#simplex-chart", "y") };
    for (const c of ["25", "-40", "7.5"]) {
      await page.locator("#shift").fill(c);
      await expect.poll(() => attribute("#simplex-chart", "shift")).toBe(c);
      expect(Math.abs((await numberOf("#simplex-chart", "x")) - before.x)).toBeLessThan(1e-12);
      expect(Math.abs((await numberOf("#simplex-chart", "y")) - before.y)).toBeLessThan(1e-12);
      expect(await numberOf("#shift-readout", "moved")).toBeLessThan(1e-12);
    }
    expect(await page.locator("#shift-readout").innerText()).toContain("Logits + c = [9.5, 8.5, 7.6]");
    await shoot("#panel-simplex", "panel-2-simplex-shifted.png");
    await page.locator("#shift").fill("0");
  });

  test("the two-class curve follows sigmoid(d / T) and the Jacobian's rows sum to 0", async () => {
    await setTemperaturePosition(101);
    expect(await numberOf("#curve-chart", "d")).toBe(1);
    expect(await numberOf("#curve-chart", "p1")).toBeCloseTo(1 / (1 + Math.exp(-1)), 14);
    const J: number[][] = await dataOf("#jacobian-chart", "matrix");
    const p = [0.6590011388859679, 0.24243297070471392, 0.09856589040931818];
    J.forEach((row, i) => {
      expect(Math.abs(sum(row))).toBeLessThan(1e-15);
      row.forEach((v, j) => expect(v).toBeCloseTo((i === j ? p[i] : 0) - p[i] * p[j], 14));
    });
  });

  test("sparsemax and entmax-1.5 show exact zeros where softmax has none", async () => {
    await setTemperaturePosition(101);
    const values: Record<string, number[]> = await dataOf("#sparse-chart", "values");
    expect(values.softmax.every((v) => v > 0)).toBe(true);
    expect(values.sparsemax).toEqual([1, 0, 0]);
    expect(values.entmax15[2]).toBe(0);
    expect(values.entmax15[0]).toBeGreaterThan(0);
    expect(Math.abs(sum(values.entmax15) - 1)).toBeLessThan(1e-12);
    expect(await page.locator("#sparse-readout").innerText()).toContain("sparsemax: 2 of 3 entries exactly 0");
    await expect.poll(() => page.locator("#sparse-table td", { hasText: "0 exactly" }).count()).toBe(3);
    // With logits that are close together, sparsemax keeps them all.
    await page.locator("#logit-0").fill("0.2");
    await page.locator("#logit-1").fill("0.1");
    await page.locator("#logit-2").fill("0");
    await expect.poll(async () => (await dataOf("#sparse-chart", "values")).sparsemax.every((v: number) => v > 0)).toBe(true);
    await page.locator("#reset-logits").click();
  });

  test("the sampling histogram with a fixed seed is what sampleLogits gives in Node, and only kept tokens are drawn", async () => {
    await page.locator("#sampling-temperature").fill("111"); // T = 10^0.2
    await page.locator("#top-k").fill("40");
    await page.locator("#top-p").fill("0.8");
    await page.locator("#min-p").fill("0.02");
    await page.locator("#draws").selectOption("2000");
    await page.locator("#seed").fill("7");
    await expect.poll(async () => (await dataOf("#histogram-chart", "settings")).seed).toBe(7);
    const settings = await dataOf("#histogram-chart", "settings");
    expect(settings).toMatchObject({ topK: 40, topP: 0.8, minP: 0.02, draws: 2000, seed: 7 });
    expect(settings.temperature).toBeCloseTo(10 ** 0.2, 12);
    const counts: [number, number][] = await dataOf("#histogram-chart", "counts");
    const kept = new Set<number>(await dataOf("#histogram-chart", "kept"));
    expect(kept.size).toBeGreaterThan(1);
    expect(kept.size).toBeLessThanOrEqual(40);
    expect(sum(counts.map(([, n]) => n))).toBe(2000);
    for (const [token] of counts) expect(kept.has(token), `token ${token}`).toBe(true);
    expect(await attribute("#histogram-chart", "outside")).toBe("0");

    // The same vocabulary and the same seeded draws, computed in Node by the package.
    const logits = makeVocabulary(createRng(VOCABULARY_SEED));
    const rng = createRng(7);
    const expected = new Map<number, number>();
    for (let n = 0; n < 2000; n++) {
      const token = sampleLogits(logits, { temperature: settings.temperature, topK: 40, topP: 0.8, minP: 0.02, rng });
      expected.set(token, (expected.get(token) ?? 0) + 1);
    }
    expect(new Map(counts)).toEqual(expected);
    await shoot("#panel-sampling", "panel-5-sampling.png");
  });

  test("the attention heat map is zero above the diagonal under the causal mask and in the padding columns", async () => {
    const check = async (causal: boolean, padding: boolean) => {
      await page.locator("#causal").setChecked(causal);
      await page.locator("#padding").setChecked(padding);
      await expect.poll(() => attribute("#attention-chart", "causal")).toBe(String(causal));
      await expect.poll(() => attribute("#attention-chart", "padding")).toBe(String(padding));
      const weights: number[][] = await dataOf("#attention-chart", "weights");
      const pads: number[] = await dataOf("#attention-chart", "pad-columns");
      expect(pads).toEqual([6, 7]);
      weights.forEach((row, i) => {
        expect(Math.abs(sum(row) - 1)).toBeLessThan(1e-12);
        row.forEach((w, j) => {
          const hidden = (causal && j > i) || (padding && pads.includes(j));
          if (hidden) expect(w, `weight ${i}, ${j}`).toBe(0);
          else expect(w, `weight ${i}, ${j}`).toBeGreaterThan(0);
        });
      });
      return weights;
    };
    await check(false, false);
    await check(false, true);
    await check(true, false);
    const both = await check(true, true);
    expect(both[0]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]); // the first token sees only itself
    expect(both.map((row) => row.slice(0, 2))).not.toContainEqual([0, 0]);
    await shoot("#panel-attention", "panel-6-attention.png");
  });

  test("naive softmax overflows to NaN at [1000, 1001, 1002]; softmax and logSumExp do not", async () => {
    expect(await dataOf("#stability-table", "naive")).toEqual([NaN, NaN, NaN]);
    expect(await attribute("#stability-table", "naive-log-sum-exp")).toBe("Infinity");
    const stable: number[] = await dataOf("#stability-table", "stable");
    expect(stable).toEqual([0.09003057317038046, 0.24472847105479764, 0.6652409557748218]);
    expect(await numberOf("#stability-table", "log-sum-exp")).toBe(logSumExp([1000, 1001, 1002]));
    expect(await page.locator("#stability-table").innerText()).toContain("1002.4076059644444");
    await page.locator("#stability-input").fill("1, 2, 3");
    await expect.poll(async () => (await dataOf("#stability-table", "naive")).every(Number.isFinite)).toBe(true);
    await page.locator("#stability-input").fill("1, two");
    await expect.poll(() => page.locator("#stability-error").innerText()).toContain('"two" is not a number');
    await page.locator("#stability-input").fill("1000, 1001, 1002");
    await expect.poll(() => page.locator("#stability-error").innerText()).toBe("");
  });

  test("play, step and speed animate the temperature sweep", async () => {
    await setTemperaturePosition(101);
    await page.getByRole("button", { name: "Step forward" }).click();
    await expect.poll(() => attribute("#temperature-value", "position")).toBe("102");
    await page.getByRole("button", { name: "Step back" }).click();
    await page.getByRole("button", { name: "Step back" }).click();
    await expect.poll(() => attribute("#temperature-value", "position")).toBe("100");
    await page.locator("#speed").selectOption("4");
    await page.locator("#play").click();
    expect(await attribute("#player", "playing")).toBe("true");
    await expect.poll(async () => Math.abs((await numberOf("#temperature-value", "position")) - 100), { timeout: 10_000 }).toBeGreaterThan(10);
    // Every panel follows the animation: the probabilities still sum to 1 mid-sweep.
    expect(Math.abs(sum(await dataOf("#prob-chart", "probs")) - 1)).toBeLessThan(1e-12);
    await page.locator("#play").press("Space"); // the keyboard pauses it
    expect(await attribute("#player", "playing")).toBe("false");
    const stopped = await attribute("#temperature-value", "position");
    await page.waitForTimeout(300);
    expect(await attribute("#temperature-value", "position")).toBe(stopped);
    await setTemperaturePosition(101);
    await page.locator("#speed").selectOption("1");
  });

  test("axe-core finds no serious or critical accessibility violations, on a desktop and on a phone", async () => {
    const desktop = await axeViolations();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200); // the charts redraw at the new width
    const phone = await axeViolations();
    const summary = (violations: axe.Result[]) => violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
    writeFileSync(join(screenshots, "axe.json"), JSON.stringify({ desktop: summary(desktop), phone: summary(phone) }, null, 2) + "\n");
    const severe = [...desktop, ...phone].filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(summary(severe)).toEqual([]);
  });

  test("fits a phone-sized screen without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(screenshots, "phone-top.png") });
    await shoot("#panel-logits", "phone-panel-1-logits.png");
    await shoot("#panel-simplex", "phone-panel-2-simplex.png");
    await page.screenshot({ path: join(screenshots, "phone-full-page.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("screenshots of every panel at the default settings", async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.screenshot({ path: join(screenshots, "desktop-top.png") });
    const panels = ["temperature-bar", "panel-logits", "panel-simplex", "panel-curves", "panel-sparse", "panel-sampling", "panel-attention", "panel-stability"];
    for (const [i, id] of panels.entries()) await shoot(`#${id}`, `desktop-${i}-${id}.png`);
  });

  test("no console errors, page errors or failed requests during the whole session", () => {
    expect(problems).toEqual([]);
  });
});
