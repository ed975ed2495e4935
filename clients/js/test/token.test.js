import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clientFor, closeClients, until } from '../testing/clients.js';
import { startServer } from '../testing/server.js';
import { newUser, signToken } from '../testing/tokens.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  closeClients();
  await server?.stop();
});

test('a token that expires mid-session is refreshed over the open socket, without a disconnect', async (t) => {
  const userId = newUser('alice');
  let issued = 0;
  // Eight-second tokens, refreshed two seconds early (a quarter of their life): the server closes the socket with
  // 4402 when one expires unrefreshed. (Three-second ones left too little margin on a loaded CI machine.)
  const alice = clientFor(server, userId, {
    token: async () => {
      issued += 1;
      return signToken(server.secret, userId, 8);
    },
  });
  t.after(() => alice.close());
  const states = [];
  const errors = [];
  alice.on('state', (event) => states.push(event));
  alice.on('error', (error) => errors.push(error));
  const bob = clientFor(server, newUser('bob'));
  t.after(() => bob.close());
  await Promise.all([alice.connect(), bob.connect()]);
  const chat = await bob.api.createChat([userId]);
  const firstExpiry = Date.now() + 8_000;

  await until(() => issued >= 3 && Date.now() > firstExpiry + 500, { ms: 30_000, what: 'two refreshes' });
  const stored = await alice.send(chat.id, 'still here');

  assert.equal(stored.text, 'still here');
  assert.deepEqual(states.map((event) => event.state), ['connecting', 'connected'],
    `no disconnect: ${JSON.stringify(states)}`);
  assert.deepEqual(errors, []);
});

test('a refused token closes with 4401 and the client asks token() for another', async (t) => {
  const userId = newUser('alice');
  const answers = ['not-a-jwt', signToken(server.secret, userId)];
  let calls = 0;
  const alice = clientFor(server, userId, {
    token: async () => answers[Math.min(calls++, answers.length - 1)],
  });
  t.after(() => alice.close());
  const states = [];
  alice.on('state', (event) => states.push(event));

  const connected = await alice.connect();

  assert.equal(connected.userId, userId);
  assert.equal(calls, 2);
  assert.equal(states.find((event) => event.state === 'disconnected')?.code, 4401);
});

test('a token not refreshed in time closes with 4402, and the reconnect asks token() for another', async (t) => {
  const userId = newUser('alice');
  let calls = 0;
  const alice = clientFor(server, userId, {
    token: async () => {
      calls += 1;
      return signToken(server.secret, userId, calls === 1 ? 2 : 3600);
    },
    // A clock whose timers never fire for the refresh: the client cannot refresh before the server's deadline.
    clock: lazyRefreshClock(),
  });
  t.after(() => alice.close());
  const states = [];
  alice.on('state', (event) => states.push(event));

  await alice.connect();
  await until(() => states.filter((event) => event.state === 'connected').length === 2,
    { ms: 10_000, what: 'the reconnect' });

  assert.equal(states.find((event) => event.state === 'disconnected')?.code, 4402);
  assert.equal(calls, 2);
});

/** The system clock, except that timers longer than 500 ms never fire (only the token refresh is that long here). */
function lazyRefreshClock() {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => (ms > 500 && ms < 5_000 ? null : setTimeout(fn, ms)),
    clearTimeout: (id) => clearTimeout(id),
  };
}
