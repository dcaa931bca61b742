// The sweep behind the dispatch thresholds of src/kernels/wasm/dispatch.ts: softmax of small inputs on
// the js and the wasm-simd backends (one row of n, and rows of n), median ns per call of each.
// Run after a build: `node bench/dispatch.mjs`.
import os from "node:os";
import { setBackend, softmax } from "../dist/esm/index.js";

function medianNs(fn) {
  for (let i = 0; i < 3000; i++) fn();
  const samples = [];
  for (let k = 0; k < 9; k++) {
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) fn();
    samples.push(((performance.now() - t0) / 2000) * 1e6);
  }
  return samples.sort((a, b) => a - b)[4];
}

console.log(`${os.cpus()[0].model}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log("| input | shape | js ns | wasm-simd ns | js / wasm |\n| --- | --- | ---: | ---: | ---: |");
for (const Type of [Float32Array, Float64Array]) {
  for (const [rows, n] of [[1, 2], [1, 4], [1, 8], [1, 16], [1, 32], [1, 64], [1, 256], [64, 2], [32, 3], [32, 4], [16, 8], [8, 32]]) {
    const x = new Type(rows * n), out = new Type(rows * n);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
    const tensor = { data: x, shape: [rows, n] };
    setBackend("js");
    const js = medianNs(() => softmax(tensor, { out }));
    setBackend("wasm-simd");
    const wasm = medianNs(() => softmax(tensor, { out }));
    console.log(`| ${Type.name} | [${rows}, ${n}] | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(js / wasm).toFixed(2)} |`);
  }
}
setBackend("auto");
