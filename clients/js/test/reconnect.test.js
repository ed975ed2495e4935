import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clientFor, closeClients, inbox, until } from '../testing/clients.js';
import { startProxy } from '../testing/proxy.js';
import { startServer } from '../testing/server.js';
import { newUser } from '../testing/tokens.js';

let server;
let proxy;
before(async () => {
  server = await startServer();
  proxy = await startProxy(server.port);
});
after(async () => {
  closeClients();
  await proxy?.close();
  await server?.stop();
});

test('reconnect delays double up to the cap while the server is unreachable, and start over once connected',
  async (t) => {
    // random() of 0.5 makes each full-jitter delay half its ceiling, so the ceilings can be read off.
    const alice = clientFor(server, newUser('alice'), {
      url: proxy.wsUrl, backoff: { baseMs: 40, capMs: 320 }, random: () => 0.5,
    });
    t.after(() => alice.close());
    const delays = [];
    alice.on('state', (event) => event.state === 'disconnected' && delays.push(event.retryInMs));
    await alice.connect();

    proxy.down();
    await until(() => delays.length >= 6, { what: 'six failed tries' });
    proxy.up();
    await until(() => alice.state === 'connected', { what: 'the reconnect' });
    const beforeSecondCut = delays.length;
    proxy.cut();
    await until(() => delays.length > beforeSecondCut, { what: 'the second cut' });

    assert.deepEqual(delays.slice(0, 6), [20, 40, 80, 160, 160, 160]);
    assert.equal(delays[beforeSecondCut], 20, 'the backoff started over after connecting');
  });

test('a connection that goes silent is noticed by the ping and replaced, and nothing sent meanwhile is lost',
  async (t) => {
    const alice = clientFor(server, newUser('alice'), {
      url: proxy.wsUrl, liveness: { pingAfterMs: 200, deadAfterMs: 300 },
    });
    const bob = clientFor(server, newUser('bob'));
    t.after(() => [alice, bob].forEach((client) => client.close()));
    await Promise.all([alice.connect(), bob.connect()]);
    const messages = inbox(alice);
    const joined = new Promise((resolve) => alice.on('chat_joined', resolve));
    const chat = await bob.api.createChat([alice.userId]);
    await joined;
    const lost = [];
    alice.on('state', (event) => event.state === 'disconnected' && lost.push({ ...event, at: Date.now() }));

    const frozenAt = Date.now();
    proxy.freeze();
    await bob.send(chat.id, 'into the void');
    await until(() => lost.length === 1, { ms: 5_000, what: 'the silent link to be noticed' });
    await until(() => messages.length === 1, { what: 'the message after the reconnect' });

    assert.equal(lost[0].code, 1006);
    assert.match(lost[0].reason, /no frame/);
    assert.ok(lost[0].at - frozenAt < 2_000, `noticed after ${lost[0].at - frozenAt} ms`);
    assert.equal(messages[0].text, 'into the void');
  });

test('a quiet but healthy connection stays up: the server answers each ping', async (t) => {
  const alice = clientFor(server, newUser('alice'), { liveness: { pingAfterMs: 100, deadAfterMs: 300 } });
  t.after(() => alice.close());
  const states = [];
  alice.on('state', (event) => states.push(event.state));
  await alice.connect();
  const quietUntil = Date.now() + 1_500;

  await until(() => Date.now() > quietUntil, { what: 'fifteen ping intervals' });

  assert.equal(alice.state, 'connected');
  assert.deepEqual(states, ['connecting', 'connected']);
});

test("the browser's online event retries at once instead of waiting out the backoff", async (t) => {
  const window = new EventTarget();
  const alice = clientFor(server, newUser('alice'), {
    url: proxy.wsUrl, window, backoff: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99,
  });
  t.after(() => alice.close());
  await alice.connect();
  proxy.down();
  await until(() => alice.state === 'disconnected', { what: 'the cut' });
  proxy.up();

  window.dispatchEvent(new Event('online'));

  await until(() => alice.state === 'connected', { ms: 5_000, what: 'the retry on online' });
});
