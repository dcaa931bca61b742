// Prints the accuracy table of the README, for each backend (js, wasm-simd): max and median distance in ulps to the correctly rounded
// mpmath references of test/fixtures (see test/fixtures/generate.py), per function and precision.
// Run by `npm run accuracy`, which builds first: the functions measured are those of dist/esm.
//
//   node scripts/accuracy.mjs            the markdown table
//   node scripts/accuracy.mjs --details  the table, then every vector over the bound
//   node --experimental-wasm-relaxed-simd scripts/accuracy.mjs   the same with the relaxed-SIMD (FMA) binary
//
// The fixture loader and the ulp helpers are the test suite's own (test/support/*.ts), transpiled
// here with the TypeScript compiler so the numbers are the ones `vitest` checks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { backend, logSoftmax, logSumExp, setBackend, softmax } from "../dist/esm/index.js";
import { thresholds } from "../dist/esm/kernels/wasm/dispatch.js";
import { wasmVariant } from "../dist/esm/kernels/wasm/instance.js";

const BOUND = 4;
const root = fileURLToPath(new URL("..", import.meta.url));
const ts = createRequire(import.meta.url)("typescript");

async function importSupport() {
  const dir = mkdtempSync(join(tmpdir(), "softmax-accuracy-"));
  try {
    for (const name of ["ulp", "fixtures"]) {
      const source = readFileSync(join(root, "test", "support", `${name}.ts`), "utf8");
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2020 },
      });
      writeFileSync(join(dir, `${name}.js`), outputText);
    }
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    return await import(pathToFileURL(join(dir, "fixtures.js")).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const support = await importSupport();
const cases = support.loadFixtures(join(root, "test", "fixtures"));
const broken = cases.filter((c) => c.checksumProblems.length > 0);
if (broken.length > 0) {
  console.error(`Long vectors not rebuilt bit for bit: ${broken.map((c) => c.id).join(", ")}`);
  process.exit(2);
}

const library = { softmax, logSoftmax, logSumExp };
const labels = {
  softmax: "softmax",
  logSoftmax: "logSoftmax",
  logSumExp: "logSumExp",
  weightedLogSumExp: "logSumExp (weights)",
};
const rows = [];
const failures = [];
const backends = ["js", "wasm-simd"];
for (const name of backends) {
setBackend(name);
if (backend() !== name) throw new Error(`backend ${name} did not load`);
// every row through the wasm kernels, however short (dispatch would give short rows to the JS kernels)
thresholds.minElements = thresholds.minRow = 1;
for (const fn of support.FUNCTIONS) {
  for (const precision of support.PRECISIONS) {
    const subject = cases.filter((c) => c.precision === precision && support.applies(c, fn));
    if (subject.length === 0) continue;
    const ulps = [];
    let masked = 0;
    for (const c of subject) {
      const m = support.measure(library, c, fn);
      for (const u of m.ulps) ulps.push(u);
      masked += m.maskedWrong.length;
      if (!support.passes(m, BOUND)) failures.push(...support.describeFailure(m, BOUND).map((f) => `${name}: ${f}`));
    }
    ulps.sort((a, b) => a - b);
    const median = ulps.length % 2 ? ulps[(ulps.length - 1) / 2] : (ulps[ulps.length / 2 - 1] + ulps[ulps.length / 2]) / 2;
    const max = ulps[ulps.length - 1];
    const exact = ulps.filter((u) => u === 0).length;
    const within = ulps.filter((u) => u <= BOUND).length;
    rows.push({ backend: name, fn, precision, vectors: subject.length, values: ulps.length, max, median, exact, within, masked });
  }
}
}
setBackend("auto");

const count = (n) => n.toLocaleString("en-US");
const percent = (k, n) => `${((100 * k) / n).toFixed(k === n ? 0 : 2)}%`;
const lengths = cases.map((c) => c.n);
console.log(`wasm-simd binary: ${wasmVariant()} (node --experimental-wasm-relaxed-simd selects the relaxed-simd one on Node 20)\n`);
console.log(
  `Accuracy against mpmath (256-bit, correctly rounded references): ${count(cases.length)} vectors of ` +
    `lengths ${Math.min(...lengths)} to ${count(Math.max(...lengths))}; ulps of the output's precision ` +
    `(float32 ulps for Float32Array inputs).\n`,
);
console.log("| Backend | Function | Input | Vectors | Values checked | Max ulp | Median ulp | Correctly rounded | Within 4 ulp |");
console.log("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${labels[r.fn]} | ${r.precision} | ${count(r.vectors)} | ${count(r.values)} | ${r.max} | ${r.median} | ` +
      `${percent(r.exact, r.values)} | ${percent(r.within, r.values)} |`,
  );
}
const maskedWrong = rows.reduce((a, r) => a + r.masked, 0);
if (maskedWrong > 0) console.log(`\n${maskedWrong} masked entries are not exactly 0 / -Infinity.`);
if (failures.length > 0) {
  console.log(`\n${failures.length} vector(s) exceed ${BOUND} ulp${process.argv.includes("--details") ? ":" : " (--details lists them)."}`);
  if (process.argv.includes("--details")) for (const f of failures) console.log(`- ${f}`);
  process.exitCode = 1;
}
