// The explorer's build: `npm run explore` (dev server) and `npm run build:site` (static files in site/dist).
// The page imports "softmax", which resolves to the package's own build (dist/esm, written by `npm run build`),
// so what the page shows is what the published package computes.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./", // relative URLs: the built site works from any folder of any static file server
  publicDir: false,
  resolve: {
    alias: { softmax: here("../dist/esm/index.js") },
  },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1000,
  },
  server: { host: "localhost", port: 5173 },
  preview: { host: "localhost", port: 4173 },
});
