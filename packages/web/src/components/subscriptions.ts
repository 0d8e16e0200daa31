/**
 * The listeners an element holds on its client: replaced as a whole when the
 * client changes, dropped when the element leaves the page, so none leaks.
 */
export class Subscriptions {
  #offs: ReadonlyArray<() => void> = [];

  /** Drops the listeners held so far and holds these instead. */
  replace(offs: ReadonlyArray<() => void>): void {
    this.clear();
    this.#offs = offs;
  }

  clear(): void {
    for (const off of this.#offs) off();
    this.#offs = [];
  }
}
