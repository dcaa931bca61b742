// The explorer's entry: one store, one module per panel, and the kernels loaded in the background.
import { backend, ready } from "softmax";
import { byId } from "./dom.js";
import { mountAttention } from "./panels/attention.js";
import { mountCurves } from "./panels/curves.js";
import { mountLogits } from "./panels/logits.js";
import { mountPlayer } from "./panels/player.js";
import { mountSampling } from "./panels/sampling.js";
import { mountSimplex } from "./panels/simplex.js";
import { mountSparse } from "./panels/sparse.js";
import { mountStability } from "./panels/stability.js";
import { mountTemperature } from "./panels/temperature.js";
import { createStore } from "./store.js";
import { positionOf } from "./temperatureScale.js";
import "./style.css";

const DEFAULT_LOGITS: readonly number[] = [2, 1, 0.1];

const store = createStore({ logits: DEFAULT_LOGITS, position: positionOf(1), shift: 0 });

mountTemperature(store);
mountPlayer(store);
mountLogits(store, DEFAULT_LOGITS);
mountSimplex(store);
mountCurves(store);
mountSparse(store);
const sampling = mountSampling();
const attentionPanel = mountAttention();
mountStability();

// Charts are drawn at their container's width: redraw when the layout changes width.
let lastWidth = window.innerWidth;
let pending = 0;
window.addEventListener("resize", () => {
  if (window.innerWidth === lastWidth) return;
  lastWidth = window.innerWidth;
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(() => {
    store.set({});
    sampling.redraw();
    attentionPanel.redraw();
  });
});

// Every function works before the WebAssembly kernels have loaded (on the JS kernels); say which ran.
const note = byId("backend-note");
const showBackend = () => {
  note.textContent = `Computed in this browser by the softmax package, on its ${backend() === "wasm-simd" ? "WebAssembly SIMD" : "JavaScript"} kernels.`;
  document.body.dataset.backend = backend();
};
showBackend();
void ready().then(() => {
  showBackend();
  store.set({});
  sampling.redraw();
  document.body.dataset.ready = "true";
});
