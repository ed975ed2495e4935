import { ChatError } from './errors.js';

// Refusals that a later try can turn into success; any other code is final and rejects the send.
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'internal']);

/**
 * The sends not yet acknowledged, in order, and with them the changes to stored messages (edit, delete, react). One is
 * on the wire at a time: a command the server rate-limits is retried before any later one goes out, so messages are
 * stored, and changed, in the order the user acted. Each keeps its `clientMessageId` across retries, and the server's
 * idempotency makes a retry of a stored message store nothing new.
 *
 * Changes share the queue because they need all of it: order with the user's other actions, a retry after a
 * `rate_limited` that names no command, a resend after a reconnect. The server keeps no idempotency key for them, so
 * a change whose ack was lost is applied again: harmless for an edit (the same text) and a reaction (the same state),
 * while a delete sent again is refused as `invalid` (already deleted).
 */
export class Outbox {
  #transmit;
  #clock;
  #ackTimeoutMs;
  #retryMs;
  #queue = [];
  #inFlight = null;
  #timer = null;
  #online = false;

  /**
   * @param {{transmit: (command: object) => void, clock: {setTimeout: Function, clearTimeout: Function},
   *   ackTimeoutMs: number, retryMs: number}} options `transmit` writes to the open socket; `ackTimeoutMs` is how
   *   long a send may wait for its ack on a live socket before it is sent again; `retryMs` is the pause before
   *   retrying a send that was refused for a passing reason
   */
  constructor({ transmit, clock, ackTimeoutMs, retryMs }) {
    this.#transmit = transmit;
    this.#clock = clock;
    this.#ackTimeoutMs = ackTimeoutMs;
    this.#retryMs = retryMs;
  }

  /** Queues a command; the Promise settles with the message's stored state or a final refusal. */
  add(command) {
    return new Promise((resolve, reject) => {
      this.#queue.push({ command, resolve, reject });
      this.#pump();
    });
  }

  /** How many commands wait for their ack. */
  get size() {
    return this.#queue.length;
  }

  /** The socket is authenticated: (re)send from the oldest unacknowledged command. */
  connected() {
    this.#online = true;
    this.#inFlight = null;
    this.#pump();
  }

  /** The socket is gone: what was on the wire is sent again after the next `connected`. */
  disconnected() {
    this.#online = false;
    this.#inFlight = null;
    this.#cancelTimer();
  }

  /** Settles the send this ack answers; false if it is not one of ours. */
  acked(clientMessageId, message) {
    const index = this.#queue.findIndex((entry) => entry.command.clientMessageId === clientMessageId);
    if (index < 0) {
      return false;
    }
    const [entry] = this.#queue.splice(index, 1);
    this.#afterAnswer(entry);
    entry.resolve(message);
    return true;
  }

  /** Handles an error answering one of our sends: retried later, or rejected for good; false if not ours. */
  refused(clientMessageId, code, text) {
    const index = this.#queue.findIndex((entry) => entry.command.clientMessageId === clientMessageId);
    if (index < 0) {
      return false;
    }
    const entry = this.#queue[index];
    if (RETRYABLE.has(code)) {
      this.#cancelTimer();
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = null;
        this.#inFlight = null;
        this.#pump();
      }, this.#retryMs);
      return true;
    }
    this.#queue.splice(index, 1);
    this.#afterAnswer(entry);
    entry.reject(new ChatError(code, text));
    return true;
  }

  /**
   * Handles a rate_limited answer that names no send: over its rate the server refuses a frame without reading it.
   * The command on the wire, if any, may be that frame, and a resend is harmless (the server stores a send once; a
   * change sent twice is as the class comment says), so it is retried; false if none is on the wire.
   */
  rateLimitedUnread() {
    return this.#inFlight !== null && this.refused(this.#inFlight.command.clientMessageId, 'rate_limited', '');
  }

  /** Rejects every waiting send: the client was closed. */
  failAll(error) {
    this.disconnected();
    for (const entry of this.#queue.splice(0)) {
      entry.reject(error);
    }
  }

  #afterAnswer(entry) {
    if (this.#inFlight === entry) {
      this.#inFlight = null;
      this.#cancelTimer();
      this.#pump();
    }
  }

  #pump() {
    if (!this.#online || this.#inFlight !== null || this.#queue.length === 0) {
      return;
    }
    const entry = this.#queue[0];
    this.#inFlight = entry;
    this.#transmit(entry.command);
    // An ack can only be lost with the connection; this bounds the wait when the client has not noticed that yet.
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#inFlight = null;
      this.#pump();
    }, this.#ackTimeoutMs);
  }

  #cancelTimer() {
    if (this.#timer !== null) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}
