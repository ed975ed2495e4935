import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clientFor, closeClients, inbox, until } from '../testing/clients.js';
import { startServer } from '../testing/server.js';
import { newUser } from '../testing/tokens.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  closeClients();
  await server?.stop();
});

async function pair() {
  const alice = clientFor(server, newUser('alice'));
  const bob = clientFor(server, newUser('bob'));
  await Promise.all([alice.connect(), bob.connect()]);
  const joined = new Promise((resolve) => bob.on('chat_joined', resolve));
  const chat = await alice.api.createChat([bob.userId]);
  await joined;
  return { alice, bob, chat };
}

test('a message reaches both clients once and send resolves with the stored message', async (t) => {
  const { alice, bob, chat } = await pair();
  t.after(() => [alice, bob].forEach((client) => client.close()));
  const aliceInbox = inbox(alice);
  const bobInbox = inbox(bob);

  const stored = await alice.send(chat.id, 'hello bob');

  assert.equal(stored.text, 'hello bob');
  assert.equal(stored.senderId, alice.userId);
  assert.ok(stored.seq > 0);
  await until(() => bobInbox.length === 1 && aliceInbox.length === 1, { what: 'both inboxes' });
  assert.equal(bobInbox[0].id, stored.id);
  assert.equal(aliceInbox[0].id, stored.id);
  assert.equal(alice.pendingSends, 0);
});

test('a text that escapes past the frame limit is refused before sending, and the socket stays open', async (t) => {
  const { alice, chat } = await pair();
  t.after(() => alice.close());
  const states = [];
  alice.on('state', (event) => states.push(event.state));
  // 12,000 characters: within maxTextChars, but each control character is six once JSON-escaped (72 KB).
  const controls = '\u0001'.repeat(12_000);

  await assert.rejects(alice.send(chat.id, controls), (error) => {
    assert.equal(error.code, 'too_large');
    assert.match(error.message, /frame of 72\d{3} bytes/);
    return true;
  });
  await assert.rejects(alice.send(chat.id, 'x'.repeat(16_001)), { code: 'too_large' });

  assert.equal(alice.pendingSends, 0);
  const after = await alice.send(chat.id, 'still connected');
  assert.equal(after.text, 'still connected');
  assert.deepEqual(states, [], 'the client never disconnected');
});

test('a send the server refuses rejects with its code and is not retried', async (t) => {
  const { alice, bob, chat } = await pair();
  t.after(() => [alice, bob].forEach((client) => client.close()));
  const strangers = await bob.api.createChat([newUser('carol')]);

  await assert.rejects(alice.send(strangers.id, 'let me in'), { name: 'ChatError', code: 'forbidden' });

  assert.equal(alice.pendingSends, 0);
  const next = await alice.send(chat.id, 'the outbox goes on');
  assert.equal(next.text, 'the outbox goes on');
  assert.deepEqual(await bob.api.history(strangers.id), []);
});

test('typing is throttled per chat until a send, and read receipts reach the other side', async (t) => {
  const { alice, bob, chat } = await pair();
  t.after(() => [alice, bob].forEach((client) => client.close()));
  const typing = [];
  const reads = [];
  bob.on('typing', (event) => typing.push(event));
  bob.on('read', (event) => reads.push(event));
  const stored = await alice.send(chat.id, 'did you read this?');

  for (let i = 0; i < 5; i++) {
    alice.typing(chat.id);
  }
  alice.read(chat.id, stored.seq);
  await until(() => reads.length === 1, { what: 'the read receipt' });

  assert.equal(typing.length, 1);
  assert.equal(typing[0].userId, alice.userId);
  await alice.send(chat.id, 'a message ends the typing');
  alice.typing(chat.id);
  await until(() => typing.length === 2, { what: 'typing announced again after the send' });
  assert.deepEqual({ chatId: reads[0].chatId, userId: reads[0].userId, seq: reads[0].seq },
    { chatId: chat.id, userId: alice.userId, seq: stored.seq });
});

test('an upload goes to the chat\'s own route and reaches the other client as a file message', async (t) => {
  const { alice, bob, chat } = await pair();
  t.after(() => [alice, bob].forEach((client) => client.close()));
  const bobInbox = inbox(bob);
  const notes = new File(['plain notes'], 'notes.txt', { type: 'text/plain' });

  const stored = await alice.api.upload(chat.id, [notes], { text: 'see attached' });

  assert.deepEqual(stored.map((m) => m.type), ['text', 'file']);
  assert.equal(stored[1].attachment.name, 'notes.txt');
  await until(() => bobInbox.length === 2, { what: 'both messages at bob' });
  const strangers = clientFor(server, newUser('mallory'));
  await assert.rejects(strangers.api.upload(chat.id, [notes]), (error) => error.code === 'forbidden');
});

test('edit, react and deleteMessage resolve with the server\'s new state, and a change to another\'s message rejects',
  async (t) => {
    const { alice, bob, chat } = await pair();
    t.after(() => [alice, bob].forEach((client) => client.close()));
    const updates = [];
    bob.on('message_updated', (event) => updates.push(event));
    const stored = await alice.send(chat.id, 'draft');

    const edited = await alice.edit(chat.id, stored.id, 'final');
    const reacted = await bob.react(chat.id, stored.id, '❤️');
    const unreacted = await bob.react(chat.id, stored.id, '❤️', false);
    await assert.rejects(bob.edit(chat.id, stored.id, 'mine now'), { name: 'ChatError', code: 'forbidden' });
    await assert.rejects(bob.deleteMessage(chat.id, stored.id), { code: 'forbidden' });
    const deleted = await alice.deleteMessage(chat.id, stored.id);
    await assert.rejects(alice.edit(chat.id, stored.id, 'too late'), { code: 'invalid' });

    assert.equal(edited.text, 'final');
    assert.ok(edited.editedAt);
    assert.deepEqual(reacted.reactions, { '❤️': [bob.userId] });
    assert.equal(unreacted.reactions, undefined, 'no reactions left');
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.seq, stored.seq, 'the message keeps its own seq');
    await until(() => updates.length === 4, { what: 'the four changes at bob' });
    assert.deepEqual(updates.map((u) => u.message), [edited, reacted, unreacted, deleted]);
    assert.deepEqual(updates.map((u) => u.seq), [1, 2, 3, 4].map((i) => stored.seq + i));
    assert.equal(alice.pendingSends + bob.pendingSends, 0);
  });
