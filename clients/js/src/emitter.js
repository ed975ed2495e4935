/** Listeners by event name. A listener that throws is reported on the console, never to the client's own code. */
export class Emitter {
  #listeners = new Map();

  /** Adds a listener; returns a function that removes it. */
  on(event, listener) {
    if (typeof listener !== 'function') {
      throw new TypeError('listener must be a function');
    }
    if (!this.#listeners.has(event)) {
      this.#listeners.set(event, new Set());
    }
    this.#listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  /** Removes a listener. */
  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  /** Calls each listener of the event with the value. */
  emit(event, value) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(value);
      } catch (error) {
        // The client's own state must not depend on what an application's handler does.
        console.error(`@chatwire/client: a '${event}' listener threw`, error);
      }
    }
  }
}
