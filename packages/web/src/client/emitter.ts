type Listener<T> = (payload: T) => void;

/** A tiny typed event emitter; listeners are removed with the function `on` returns. */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  protected emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        // One faulty listener must not starve the others of events.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
