import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clientFor, closeClients, inbox, until } from '../testing/clients.js';
import { lossyWebSocket } from '../testing/lossy-websocket.js';
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

async function chatBetween(alice, bob) {
  await Promise.all([alice.connect(), bob.connect()]);
  const joined = new Promise((resolve) => bob.on('chat_joined', resolve));
  const chat = await alice.api.createChat([bob.userId]);
  await joined;
  return chat;
}

test('a send whose ack was lost with its connection is sent again after the reconnect and stored once',
  async (t) => {
    const lossy = lossyWebSocket();
    const alice = clientFor(server, newUser('alice'), { url: proxy.wsUrl, WebSocket: lossy.WebSocket });
    const bob = clientFor(server, newUser('bob'));
    t.after(() => [alice, bob].forEach((client) => client.close()));
    const chat = await chatBetween(alice, bob);
    const bobInbox = inbox(bob);
    let lostAck = null;
    // The server stored the message; the connection dies before its ack reaches the client.
    lossy.lose((frame) => frame.type === 'ack', (frame) => {
      lostAck = frame;
      proxy.cut();
    });

    const stored = await alice.send(chat.id, 'exactly once');

    assert.ok(lostAck, 'the first ack was lost');
    assert.equal(stored.id, lostAck.message.id, 'the retry answered with the message stored the first time');
    const history = await bob.api.history(chat.id);
    assert.deepEqual(history.map((m) => m.text), ['exactly once']);
    await bob.send(chat.id, 'marker');
    await until(() => bobInbox.length === 2, { what: "bob's two messages" });
    assert.deepEqual(bobInbox.map((m) => m.text), ['exactly once', 'marker']);
  });

test('a send whose ack was lost on a live socket is sent again after the ack timeout and stored once',
  async (t) => {
    const lossy = lossyWebSocket();
    const alice = clientFor(server, newUser('alice'), { WebSocket: lossy.WebSocket, ackTimeoutMs: 300 });
    const bob = clientFor(server, newUser('bob'));
    t.after(() => [alice, bob].forEach((client) => client.close()));
    const chat = await chatBetween(alice, bob);
    let lost = false;
    lossy.lose((frame) => frame.type === 'ack', () => {
      lost = true;
    });

    const stored = await alice.send(chat.id, 'once more');

    assert.ok(lost);
    assert.equal(stored.text, 'once more');
    assert.deepEqual((await bob.api.history(chat.id)).map((m) => m.id), [stored.id]);
    assert.equal(alice.state, 'connected');
  });

test('sends queued while offline go out after the connect, in the order they were written', async (t) => {
  const alice = clientFor(server, newUser('alice'), { url: proxy.wsUrl });
  const bob = clientFor(server, newUser('bob'));
  t.after(() => [alice, bob].forEach((client) => client.close()));
  const chat = await chatBetween(alice, bob);

  proxy.down();
  await until(() => alice.state !== 'connected', { what: 'alice to notice the cut' });
  const sends = Array.from({ length: 10 }, (_, i) => alice.send(chat.id, `queued ${i}`));
  assert.equal(alice.pendingSends, 10);
  proxy.up();
  const stored = await Promise.all(sends);

  assert.deepEqual(stored.map((m) => m.text), Array.from({ length: 10 }, (_, i) => `queued ${i}`));
  assert.deepEqual((await bob.api.history(chat.id)).map((m) => m.id), stored.map((m) => m.id));
});

test('a hundred and twenty quick sends, over the server\'s command rate, are all stored once and in order', async (t) => {
  const watched = lossyWebSocket();
  const alice = clientFor(server, newUser('alice'), { retryMs: 200, WebSocket: watched.WebSocket });
  const bob = clientFor(server, newUser('bob'));
  t.after(() => [alice, bob].forEach((client) => client.close()));
  const chat = await chatBetween(alice, bob);
  let rateLimited = 0;
  watched.lose((frame) => {
    rateLimited += frame.type === 'error' && frame.code === 'rate_limited' ? 1 : 0;
    return false; // only counts: every frame still reaches the client
  });
  const refusals = [];
  alice.on('error', (error) => refusals.push(error));
  // Three times the server's burst of 40 at 20 a second: refused for the rate even on a slow machine.
  const texts = Array.from({ length: 120 }, (_, i) => `quick ${i}`);

  const stored = await Promise.all(texts.map((text) => alice.send(chat.id, text)));

  assert.deepEqual(stored.map((m) => m.text), texts);
  const history = [
    ...await bob.api.history(chat.id, { after: 0, limit: 100 }),
    ...await bob.api.history(chat.id, { after: stored[99].seq, limit: 100 }),
  ];
  assert.deepEqual(history.map((m) => m.text), texts);
  assert.ok(rateLimited > 0, 'the server did refuse some for the rate');
  assert.deepEqual(refusals, [], 'rate_limited answers were retried, not reported');
});

test('close() rejects the sends still waiting with closed', async () => {
  const alice = clientFor(server, newUser('alice'), { url: proxy.wsUrl });
  const bob = clientFor(server, newUser('bob'));
  const chat = await chatBetween(alice, bob);
  proxy.down();
  await until(() => alice.state !== 'connected', { what: 'alice to notice the cut' });
  const waiting = alice.send(chat.id, 'never');

  alice.close();
  bob.close();
  proxy.up();

  await assert.rejects(waiting, { code: 'closed' });
});
