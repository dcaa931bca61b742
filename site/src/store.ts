// The page's shared state: the logits of panel 1, the temperature slider's position, and the shift of panel 2.
// Panels read it with get(), change it with set(), and redraw in subscribe(); nothing else is global.
import { temperatureAt } from "./temperatureScale.js";

export interface State {
  /** The logits being explored (panels 1 to 4). */
  readonly logits: readonly number[];
  /** The temperature slider's position (see temperatureScale.ts); the temperature is temperatureAt(position). */
  readonly position: number;
  /** The constant added to every logit in the simplex panel. */
  readonly shift: number;
}

export type Listener = (state: State, previous: State) => void;

export interface Store {
  get(): State;
  set(patch: Partial<State>): void;
  /** Calls listener now and after every change; returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void;
}

export function createStore(initial: State): Store {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    set(patch) {
      const previous = state;
      state = { ...state, ...patch };
      for (const listener of listeners) listener(state, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(state, state);
      return () => listeners.delete(listener);
    },
  };
}

/** The temperature the state's slider position stands for. */
export const temperatureOf = (state: State): number => temperatureAt(state.position);
