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

test('an edit, a reaction and a delete made while the connection is cut reach the client after it, in seq order, once',
  async (t) => {
    const alice = clientFor(server, newUser('alice'), { url: proxy.wsUrl });
    const bob = clientFor(server, newUser('bob'));
    t.after(() => [alice, bob].forEach((client) => client.close()));
    await Promise.all([alice.connect(), bob.connect()]);
    const messages = inbox(alice);
    const updates = [];
    alice.on('message_updated', (event) => updates.push(event));
    const chat = await bob.api.createChat([alice.userId]);
    await until(() => alice.state === 'connected');
    const first = await bob.send(chat.id, 'first');
    const second = await bob.send(chat.id, 'second');
    await until(() => messages.length === 2, { what: 'the two messages' });

    proxy.down();
    await until(() => alice.state !== 'connected', { what: 'alice to notice the cut' });
    const edited = await bob.edit(chat.id, first.id, 'first, edited');
    const reacted = await bob.react(chat.id, first.id, '👍');
    const deleted = await bob.deleteMessage(chat.id, second.id);
    const third = await bob.send(chat.id, 'third');
    proxy.up();
    await until(() => messages.length === 3, { what: 'the message after the changes' });
    // A marker after them: anything delivered twice would have come before it.
    await bob.react(chat.id, third.id, '🎉');
    await until(() => updates.length >= 4, { what: 'the marker' });

    assert.deepEqual(updates.map((u) => u.message.id), [first.id, first.id, second.id, third.id]);
    // A replayed change carries its message's state as stored now, which may hold later changes too.
    assert.equal(updates[0].message.text, 'first, edited');
    assert.deepEqual(updates.slice(1, 3).map((u) => u.message), [reacted, deleted]);
    const timeline = [...messages.map((m) => m.seq), ...updates.map((u) => u.seq)].sort((a, b) => a - b);
    assert.deepEqual(timeline, Array.from({ length: 7 }, (_, i) => first.seq + i), 'every seq once, no gap');
    assert.ok(updates[2].seq < third.seq && third.seq < updates[3].seq, 'in seq order with the messages');
    assert.equal(reacted.text, 'first, edited');
    assert.deepEqual(reacted.reactions, { '👍': [bob.userId] });
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.text, undefined);
  });
