// The logits editor of panel 1: one row a class, with a number field to type into and a bar to drag
// (a keyboard-operable slider), a remove button, and "add" / "reset" buttons below the list.
import { byId, el } from "../dom.js";
import { formatNumber } from "../format.js";
import type { Store } from "../store.js";

const BAR_MIN = -10;
const BAR_MAX = 10;
export const MIN_CLASSES = 2;
export const MAX_CLASSES = 10;

const clampToBar = (x: number) => Math.min(BAR_MAX, Math.max(BAR_MIN, x));
const roundTenth = (x: number) => Math.round(x * 10) / 10;

interface Row {
  item: HTMLLIElement;
  input: HTMLInputElement;
  bar: HTMLDivElement;
  fill: HTMLDivElement;
  remove: HTMLButtonElement;
}

export function mountLogitEditor(store: Store, defaults: readonly number[]): void {
  const list = byId<HTMLOListElement>("logit-editor");
  const add = byId<HTMLButtonElement>("add-logit");
  const reset = byId<HTMLButtonElement>("reset-logits");
  let rows: Row[] = [];

  const setLogit = (i: number, value: number) => {
    const logits = store.get().logits;
    if (logits[i] === value) return;
    store.set({ logits: logits.map((z, j) => (j === i ? value : z)) });
  };

  const makeRow = (i: number): Row => {
    const name = `class ${i + 1}`;
    const input = el("input", { id: `logit-${i}`, type: "number", step: "0.1", inputmode: "decimal", class: "logit-input" });
    const fill = el("div", { class: "bar-fill" });
    const bar = el(
      "div",
      {
        class: "bar-track",
        role: "slider",
        tabindex: 0,
        "aria-label": `Logit of ${name}, bar`,
        "aria-valuemin": BAR_MIN,
        "aria-valuemax": BAR_MAX,
        "aria-orientation": "horizontal",
        "aria-describedby": "logit-keys",
        "data-index": i,
      },
      el("div", { class: "bar-zero", "aria-hidden": "true" }),
      fill,
    );
    const remove = el("button", { type: "button", class: "remove", "aria-label": `Remove ${name}` }, "×");
    const item = el("li", { class: "logit-row" }, el("label", { for: input.id }, `Class ${i + 1}`), input, bar, remove);

    input.addEventListener("input", () => {
      if (input.value.trim() !== "" && Number.isFinite(input.valueAsNumber)) setLogit(i, input.valueAsNumber);
    });
    input.addEventListener("change", () => {
      input.value = String(store.get().logits[i]); // an empty or invalid field shows the value in use again
    });

    bar.addEventListener("keydown", (event) => {
      const z = store.get().logits[i];
      const steps: Record<string, number> = { ArrowRight: 0.1, ArrowUp: 0.1, ArrowLeft: -0.1, ArrowDown: -0.1, PageUp: 1, PageDown: -1 };
      let next: number | undefined;
      if (event.key in steps) next = clampToBar(roundTenth(clampToBar(z) + steps[event.key]));
      else if (event.key === "Home") next = BAR_MIN;
      else if (event.key === "End") next = BAR_MAX;
      if (next === undefined) return;
      event.preventDefault();
      setLogit(i, next);
    });

    const fromPointer = (event: PointerEvent) => {
      const box = bar.getBoundingClientRect();
      const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      setLogit(i, roundTenth(BAR_MIN + fraction * (BAR_MAX - BAR_MIN)));
    };
    bar.addEventListener("pointerdown", (event) => {
      bar.setPointerCapture(event.pointerId);
      bar.focus();
      fromPointer(event);
    });
    bar.addEventListener("pointermove", (event) => {
      if (bar.hasPointerCapture(event.pointerId)) fromPointer(event);
    });

    remove.addEventListener("click", () => {
      const logits = store.get().logits;
      if (logits.length <= MIN_CLASSES) return;
      store.set({ logits: logits.filter((_, j) => j !== i) });
      // Keep the keyboard focus in the list: on the remove button now in this place, or the one above,
      // or (when no class can be removed any more) on the add button.
      const next = rows[Math.min(i, rows.length - 1)]?.remove;
      (next && !next.disabled ? next : add).focus();
    });
    return { item, input, bar, fill, remove };
  };

  const showRow = (row: Row, z: number, count: number) => {
    if (document.activeElement !== row.input) row.input.value = String(z);
    const shown = clampToBar(z);
    row.bar.setAttribute("aria-valuenow", String(shown));
    row.bar.setAttribute("aria-valuetext", z === shown ? formatNumber(z, 2) : `${formatNumber(z, 4)} (beyond the bar's range)`);
    row.bar.dataset.value = String(z);
    // The fill runs from the zero line to the value: right of the middle for positive, left for negative.
    const zero = (-BAR_MIN / (BAR_MAX - BAR_MIN)) * 100;
    const at = ((shown - BAR_MIN) / (BAR_MAX - BAR_MIN)) * 100;
    row.fill.style.left = `${Math.min(zero, at)}%`;
    row.fill.style.width = `${Math.abs(at - zero)}%`;
    row.fill.classList.toggle("negative", shown < 0);
    row.remove.disabled = count <= MIN_CLASSES;
  };

  add.addEventListener("click", () => {
    const logits = store.get().logits;
    if (logits.length >= MAX_CLASSES) return;
    store.set({ logits: [...logits, 0] });
    if (add.disabled) rows[rows.length - 1].input.focus(); // the add button just became disabled
  });
  reset.addEventListener("click", () => store.set({ logits: defaults }));

  store.subscribe((state, previous) => {
    const { logits } = state;
    if (rows.length !== logits.length) {
      rows = logits.map((_, i) => makeRow(i));
      list.replaceChildren(...rows.map((row) => row.item));
    } else if (logits === previous.logits && list.childElementCount === rows.length) {
      return;
    }
    rows.forEach((row, i) => showRow(row, logits[i], logits.length));
    add.disabled = logits.length >= MAX_CLASSES;
  });
}
