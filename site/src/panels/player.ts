// Panel 8: play, step and speed controls that animate the temperature sweep. Play moves the shared
// temperature slider one position at a time, back and forth between T = 0 and T = Infinity.
import { byId } from "../dom.js";
import type { Store } from "../store.js";
import { LAST } from "../temperatureScale.js";

const STEPS_PER_SECOND = 24; // at speed 1x: the whole sweep in about 8 seconds

export function mountPlayer(store: Store): void {
  const group = byId("player");
  const play = byId<HTMLButtonElement>("play");
  const back = byId<HTMLButtonElement>("step-back");
  const forward = byId<HTMLButtonElement>("step-forward");
  const speed = byId<HTMLSelectElement>("speed");
  const frame = byId("frame");

  let playing = false;
  let direction = 1;
  let last = 0; // time of the previous animation frame
  let carry = 0; // fractional steps not yet taken
  let request = 0;

  const moveTo = (position: number) => store.set({ position: Math.max(0, Math.min(LAST, position)) });

  const tick = (now: number) => {
    if (!playing) return;
    carry += ((now - last) / 1000) * STEPS_PER_SECOND * Number(speed.value);
    last = now;
    let position = store.get().position;
    while (carry >= 1) {
      carry -= 1;
      if (position + direction > LAST || position + direction < 0) direction = -direction;
      position += direction;
    }
    moveTo(position);
    request = requestAnimationFrame(tick);
  };

  const setPlaying = (on: boolean) => {
    playing = on;
    group.dataset.playing = String(on);
    play.textContent = on ? "❚❚ Pause" : "▶ Play";
    cancelAnimationFrame(request);
    if (on) {
      last = performance.now();
      carry = 0;
      request = requestAnimationFrame(tick);
    }
  };

  play.addEventListener("click", () => setPlaying(!playing));
  back.addEventListener("click", () => moveTo(store.get().position - 1));
  forward.addEventListener("click", () => moveTo(store.get().position + 1));

  store.subscribe((state) => {
    // The step buttons stay enabled at the ends (a disabled button would drop the keyboard focus); they clamp.
    frame.textContent = `step ${state.position} of ${LAST}`;
  });
}
