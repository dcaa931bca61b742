// Small DOM helpers: find an element the page's HTML must have, and build elements.

/** The element with this id; throws if index.html lacks it (a broken page should fail loudly in the tests). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`explorer: index.html has no element #${id}`);
  return element as T;
}

type Attributes = Record<string, string | number | boolean | undefined>;

/** document.createElement with attributes (false and undefined are left out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children);
  return element;
}

/** A table with a caption, a header row and data rows; unless `visible`, wrapped in a visually hidden box. */
export function dataTable(caption: string, head: string[], rows: (string | number)[][], visible = false): HTMLElement {
  const table = el(
    "table",
    { class: "data-table" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map((cell, i) => (i === 0 ? el("th", { scope: "row" }, String(cell)) : el("td", {}, String(cell))))))),
  );
  // Tables ignore overflow clipping, so the hidden one sits in a clipped box.
  return visible ? table : el("div", { class: "visually-hidden" }, table);
}
