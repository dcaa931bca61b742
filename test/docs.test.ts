// The API reference (`npm run docs`, TypeDoc, typedoc.json) builds from src/index.ts without errors, and
// every exported function and class carries a doc comment. Writes only a JSON model to a temporary folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { expect, test } from "vitest";

const root = resolve(__dirname, "..");

interface Reflection {
  name: string;
  kind: number;
  comment?: unknown;
  signatures?: { comment?: unknown }[];
  children?: Reflection[];
}
const FUNCTION = 64, CLASS = 128;

test("typedoc builds the API reference from src/index.ts, with a doc comment on every exported function and class", () => {
  const typedoc = join(dirname(createRequire(import.meta.url).resolve("typedoc/package.json")), "bin", "typedoc");
  const folder = mkdtempSync(join(tmpdir(), "softmax-docs-"));
  try {
    const json = join(folder, "api.json");
    // Throws (non-zero exit) on a TypeScript error or a TypeDoc error.
    execFileSync(process.execPath, [typedoc, "--json", json, "--logLevel", "Error"], { cwd: root, stdio: "pipe" });
    const project: Reflection = JSON.parse(readFileSync(json, "utf8"));
    const exported = project.children ?? [];
    const functions = exported.filter((r) => r.kind === FUNCTION);
    expect(functions.map((f) => f.name)).toEqual(expect.arrayContaining(["softmax", "logSoftmax", "logSumExp", "sampleLogits", "attention"]));
    const undocumented = [
      ...functions.filter((f) => !f.signatures?.some((s) => s.comment)),
      ...exported.filter((r) => r.kind === CLASS && !r.comment),
    ].map((r) => r.name);
    expect(undocumented).toEqual([]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}, 60_000);
