// The relaxed-SIMD binary (fused multiply-adds in the exps) is what current browsers load; Node 20
// loads it only with --experimental-wasm-relaxed-simd. This runs the accuracy table on the built
// package in such a process: every wasm-simd value of the mpmath fixtures within 4 ulp, as with the
// plain SIMD binary that the rest of the suite tests. (`npm test` builds dist first.)
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";

test("the relaxed-SIMD binary holds the 4-ulp bound on every fixture (scripts/accuracy.mjs exits 0)", () => {
  const root = join(__dirname, "..");
  const output = execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", join(root, "scripts", "accuracy.mjs"), "--details"], {
    cwd: root, encoding: "utf8",
  }); // throws, with the script's output, if it exits 1 (a vector over the bound)
  expect(output).toContain("wasm-simd binary: relaxed-simd");
  expect(output).toMatch(/\| wasm-simd \| softmax \| float32 \| 383 \|/);
  expect(output).not.toContain("exceed");
  expect(output).not.toContain("not exactly");
}, 120_000);
