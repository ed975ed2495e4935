import { readClaims } from './jwt.js';

// Refresh this long before expiry at most, and a quarter of the remaining life at least, so that a 12-hour token is
// renewed 30 s early and a 4-second test token a second early.
const MAX_MARGIN_MS = 30_000;
// Never schedule refreshes closer than this: a token() that keeps returning a nearly expired token must not spin.
const MIN_REFRESH_MS = 1_000;

/** The application's token callback, its last answer, and when that answer needs replacing. */
export class TokenSource {
  #fetch;
  #now;
  #token = null;
  #claims = {};

  /**
   * @param {() => Promise<string> | string} fetchToken the application's `token` option
   * @param {() => number} now the clock, in epoch milliseconds
   */
  constructor(fetchToken, now) {
    if (typeof fetchToken !== 'function') {
      throw new TypeError('token must be a function returning the JWT (or a Promise of it)');
    }
    this.#fetch = fetchToken;
    this.#now = now;
  }

  /** The token to present: the last one while it is fresh, else a new one from the application. */
  async get({ fresh = false } = {}) {
    if (fresh || this.#token === null || this.#dueMs() <= 0) {
      const token = await this.#fetch();
      if (typeof token !== 'string' || token === '') {
        throw new TypeError('token() must return a non-empty string');
      }
      this.#token = token;
      this.#claims = readClaims(token);
    }
    return this.#token;
  }

  /** Forgets the last token: the server refused it (4401) or saw it expire (4402). */
  invalidate() {
    this.#token = null;
    this.#claims = {};
  }

  /** The user the last token names (its `sub`), or the empty string. */
  get subject() {
    return typeof this.#claims.sub === 'string' ? this.#claims.sub : '';
  }

  /** Milliseconds until the token should be refreshed over the open socket, or null if it never expires. */
  refreshInMs() {
    return typeof this.#claims.exp === 'number' ? Math.max(MIN_REFRESH_MS, this.#dueMs()) : null;
  }

  #dueMs() {
    if (typeof this.#claims.exp !== 'number') {
      return Infinity;
    }
    const remaining = this.#claims.exp * 1000 - this.#now();
    return remaining - Math.min(MAX_MARGIN_MS, remaining / 4);
  }
}
