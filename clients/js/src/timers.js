/** Named one-shot timers on an injected clock: at most one per name, so re-arming one replaces it. */
export class Timers {
  #clock;
  #timers = new Map();

  /** @param {{setTimeout: Function, clearTimeout: Function}} clock */
  constructor(clock) {
    this.#clock = clock;
  }

  /** Runs `fn` after `ms` unless cleared first; replaces a timer of the same name. */
  set(name, ms, fn) {
    this.clear(name);
    const id = this.#clock.setTimeout(() => {
      this.#timers.delete(name);
      fn();
    }, ms);
    this.#timers.set(name, id);
  }

  /** Whether a timer of that name is waiting. */
  has(name) {
    return this.#timers.has(name);
  }

  /** Cancels the timer of that name, if any. */
  clear(name) {
    if (this.#timers.has(name)) {
      this.#clock.clearTimeout(this.#timers.get(name));
      this.#timers.delete(name);
    }
  }

  /** Cancels every timer. */
  clearAll() {
    for (const name of [...this.#timers.keys()]) {
      this.clear(name);
    }
  }
}
