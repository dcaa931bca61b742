// The shared temperature slider (logarithmic, with T = 0 and T = Infinity at its ends) and its readout.
import { byId } from "../dom.js";
import type { Store } from "../store.js";
import { describeTemperature, formatTemperature, LAST, temperatureAt } from "../temperatureScale.js";

/** Binds a range input (0 .. LAST) to a temperature: its aria-valuetext and readout say T, not the position. */
export function bindTemperatureSlider(input: HTMLInputElement, readout: HTMLElement, onChange: (position: number) => void): (position: number) => void {
  input.min = "0";
  input.max = String(LAST);
  input.step = "1";
  const show = (position: number) => {
    const T = temperatureAt(position);
    if (input.valueAsNumber !== position) input.value = String(position);
    input.setAttribute("aria-valuetext", describeTemperature(T));
    readout.textContent = `T = ${formatTemperature(T)}`;
    readout.dataset.temperature = String(T);
    readout.dataset.position = String(position);
  };
  input.addEventListener("input", () => onChange(input.valueAsNumber));
  return show;
}

export function mountTemperature(store: Store): void {
  const show = bindTemperatureSlider(byId<HTMLInputElement>("temperature"), byId("temperature-value"), (position) => store.set({ position }));
  store.subscribe((state) => show(state.position));
}
