/**
 * Reconnect delays: exponential, with full jitter and a cap. Full jitter (a random delay between zero and the
 * exponential ceiling) spreads the clients of a restarted server over the whole window, so they do not all come back
 * in the same instant.
 */
export class Backoff {
  #baseMs;
  #capMs;
  #random;
  #attempt = 0;

  /**
   * @param {{baseMs?: number, capMs?: number, random?: () => number}} [options] `random` returns [0, 1), as
   *   Math.random does; tests pass their own to see the ceilings.
   */
  constructor({ baseMs = 500, capMs = 30_000, random = Math.random } = {}) {
    this.#baseMs = baseMs;
    this.#capMs = capMs;
    this.#random = random;
  }

  /** The delay before the next try, in milliseconds; each call doubles the ceiling up to the cap. */
  next() {
    const ceiling = Math.min(this.#capMs, this.#baseMs * 2 ** this.#attempt);
    this.#attempt += 1;
    return Math.floor(this.#random() * ceiling);
  }

  /** How many delays were handed out since the last reset. */
  get attempt() {
    return this.#attempt;
  }

  /** Starts over from the base delay: a connection got through. */
  reset() {
    this.#attempt = 0;
  }
}
