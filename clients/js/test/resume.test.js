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

test('twenty messages sent while the connection is cut arrive after it, in order, with no gap or duplicate',
  async (t) => {
    const alice = clientFor(server, newUser('alice'), { url: proxy.wsUrl });
    const bob = clientFor(server, newUser('bob'));
    t.after(() => [alice, bob].forEach((client) => client.close()));
    await Promise.all([alice.connect(), bob.connect()]);
    const messages = inbox(alice);
    const chat = await bob.api.createChat([alice.userId]);
    await until(() => alice.state === 'connected');
    await bob.send(chat.id, 'before');
    await until(() => messages.length === 1, { what: 'the first message' });

    proxy.down();
    await until(() => alice.state !== 'connected', { what: 'alice to notice the cut' });
    const sent = [];
    for (let i = 1; i <= 20; i++) {
      sent.push(await bob.send(chat.id, `while away ${i}`));
    }
    proxy.up();
    await until(() => messages.length >= 21, { what: 'the twenty messages' });
    // A marker after them: anything delivered twice would have come before it.
    await bob.send(chat.id, 'after');
    await until(() => messages.at(-1)?.text === 'after', { what: 'the marker' });

    assert.deepEqual(messages.map((m) => m.text),
      ['before', ...sent.map((m) => m.text), 'after']);
    assert.equal(new Set(messages.map((m) => m.id)).size, messages.length, 'no duplicate ids');
    const seqs = messages.map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in seq order');
    assert.deepEqual(seqs.slice(1, 21), sent.map((m) => m.seq), 'no gap: every stored seq delivered');
  });
