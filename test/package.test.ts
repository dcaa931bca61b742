// The package as a user installs it: ESM import and CommonJS require from another directory, no
// runtime dependencies, side-effect free. Runs against the build (`npm test` builds first).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const root = resolve(__dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
let consumer: string;

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), "softmax-consumer-"));
  mkdirSync(join(consumer, "node_modules"));
  symlinkSync(root, join(consumer, "node_modules", "softmax"), "dir");
});
afterAll(() => rmSync(consumer, { recursive: true, force: true }));

function runIn(file: string, source: string): string {
  writeFileSync(join(consumer, file), source);
  return execFileSync(process.execPath, [file], { cwd: consumer, encoding: "utf8" }).trim();
}

describe("the installed package", () => {
  test('import { softmax, logSoftmax, logSumExp } from "softmax" works from an ES module', () => {
    const out = runIn("esm.mjs", `
      import { softmax, logSoftmax, logSumExp } from "softmax";
      console.log(JSON.stringify([softmax([0, 0]), logSoftmax([0, 0]), logSumExp([0, 0])]));`);
    expect(JSON.parse(out)).toEqual([[0.5, 0.5], [-Math.LN2, -Math.LN2], Math.LN2]);
  });

  test('require("softmax") works from CommonJS', () => {
    const out = runIn("cjs.cjs", `
      const { softmax, logSoftmax, logSumExp } = require("softmax");
      console.log(JSON.stringify([softmax([0, 0]), logSoftmax([0, 0]), logSumExp([0, 0])]));`);
    expect(JSON.parse(out)).toEqual([[0.5, 0.5], [-Math.LN2, -Math.LN2], Math.LN2]);
  });

  test("has no runtime dependencies and declares itself side-effect free", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.sideEffects).toBe(false);
  });

  test("points every export condition at a file the build made", () => {
    const files = [pkg.main, pkg.module, pkg.types, pkg.exports["."].import.types, pkg.exports["."].import.default,
      pkg.exports["."].require.types, pkg.exports["."].require.default, pkg.bin.softmax];
    for (const file of files) expect(() => readFileSync(join(root, file))).not.toThrow();
  });

  test("the CommonJS build is marked as CommonJS and the ES build as ES modules", () => {
    expect(JSON.parse(readFileSync(join(root, "dist/cjs/package.json"), "utf8")).type).toBe("commonjs");
    expect(pkg.type).toBe("module");
  });
});
