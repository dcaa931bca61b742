// Builds the package: the wasm kernels (scripts/build-wasm.mjs), then ES modules in dist/esm, CommonJS in dist/cjs (both with .d.ts),
// and marks the CLI entry executable. Run by `npm install` (prepare), `npm test` and `npm start`.
import { execFileSync } from "node:child_process";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, ["scripts/build-wasm.mjs"], { stdio: "inherit" });
rmSync("dist", { recursive: true, force: true });
for (const project of ["tsconfig.esm.json", "tsconfig.cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
}
// dist/cjs sits inside a "type": "module" package: this marks its .js and .d.ts as CommonJS.
writeFileSync("dist/cjs/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
chmodSync("dist/esm/cli/main.js", 0o755);
