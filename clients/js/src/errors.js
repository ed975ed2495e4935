/**
 * An error with a Chatwire error code: one of the protocol's codes (`forbidden`, `too_large`, `rate_limited`, ...)
 * when the server refused something, or `closed` when the client was closed before an answer came.
 */
export class ChatError extends Error {
  /**
   * @param {string} code the protocol's error code, or `closed`
   * @param {string} message what went wrong, for people
   */
  constructor(code, message) {
    super(message);
    this.name = 'ChatError';
    this.code = code;
  }
}
