/**
 * Notices a silent connection: after `pingAfterMs` without a frame it asks `ping` to send one, and if nothing at all
 * arrives within `deadAfterMs` more it calls `dead`. A browser cannot see WebSocket-level pings, so this is the only
 * way a page learns that a link went quiet without closing.
 */
export class Watchdog {
  #pingAfterMs;
  #deadAfterMs;
  #clock;
  #ping;
  #dead;
  #timer = null;

  /**
   * @param {{pingAfterMs: number, deadAfterMs: number, clock: {setTimeout: Function, clearTimeout: Function},
   *   ping: () => void, dead: () => void}} options
   */
  constructor({ pingAfterMs, deadAfterMs, clock, ping, dead }) {
    this.#pingAfterMs = pingAfterMs;
    this.#deadAfterMs = deadAfterMs;
    this.#clock = clock;
    this.#ping = ping;
    this.#dead = dead;
  }

  /** A frame arrived: the link is alive; start counting again. */
  heard() {
    this.stop();
    this.#timer = this.#clock.setTimeout(() => this.probe(), this.#pingAfterMs);
  }

  /** Pings now and expects an answer in time: the browser said it went offline, or the link was quiet. */
  probe() {
    this.stop();
    this.#ping();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#dead();
    }, this.#deadAfterMs);
  }

  /** Stops watching. */
  stop() {
    if (this.#timer !== null) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
