import { WebSocket } from 'ws';
import { ChatClient, memoryStorage } from '../src/index.js';
import { signToken } from './tokens.js';

const made = new Set();

/**
 * A client signed in as `userId` on the test server, with the ws package's WebSocket and quick retries. Every client
 * made here is closed by `closeClients()`, even when its test failed half-way: a client left open retries forever
 * and keeps the test process alive.
 */
export function clientFor(server, userId, options = {}) {
  const client = new ChatClient({
    url: server.wsUrl,
    apiUrl: server.httpUrl,
    token: async () => signToken(server.secret, userId),
    storage: memoryStorage(),
    WebSocket,
    backoff: { baseMs: 20, capMs: 200 },
    window: null,
    ...options,
  });
  made.add(client);
  return client;
}

/** Closes every client `clientFor` made. */
export function closeClients() {
  for (const client of made) {
    client.close();
  }
  made.clear();
}

/** Resolves when `predicate()` holds, checked every 10 ms as Awaitility does; rejects after `ms`. */
export function until(predicate, { ms = 10_000, what = 'the condition' } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (predicate()) {
        resolve();
      } else if (Date.now() - started > ms) {
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      } else {
        setTimeout(check, 10);
      }
    };
    check();
  });
}

/** Collects a client's `message` events. */
export function inbox(client) {
  const messages = [];
  client.on('message', (message) => messages.push(message));
  return messages;
}
