import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptedClient, until } from '../testing/scripted-server.js';

// Unit tests on a scripted socket: the frames are exactly those written here, no Java server runs.

const at = '2030-01-01T10:00:00Z';

function message(seq, fields = {}) {
  return { id: `m${seq}`, chatId: 'c1', seq, senderId: 'bob', type: 'text', text: `text ${seq}`, createdAt: at,
    ...fields };
}

function newMessage(seq) {
  return { type: 'new_message', message: message(seq) };
}

function updated(seq, state) {
  return { type: 'message_updated', chatId: 'c1', seq, message: state };
}

async function connected(script, fields) {
  const connecting = script.client.connect();
  const socket = await script.accept(fields);
  await connecting;
  return socket;
}

/** A scripted client whose `connected` state events and `chat_joined` events are collected, in order. */
function joinsAndStates(t) {
  const script = scriptedClient();
  t.after(() => script.client.close());
  const states = [];
  const joins = [];
  script.client.on('state', (event) => event.state === 'connected' && states.push(event));
  script.client.on('chat_joined', (event) => joins.push(event));
  return { script, states, joins };
}

test('message_updated is a timeline entry at its own seq: it advances the resume seq and a replay repeats nothing',
  async (t) => {
    const script = scriptedClient();
    t.after(() => script.client.close());
    const messages = [];
    const updates = [];
    script.client.on('message', (m) => messages.push(m.id));
    script.client.on('message_updated', (event) => updates.push(event.seq));
    const first = await connected(script, { chats: ['c1'], seqs: { c1: 4 } });

    first.push(newMessage(5), updated(6, message(5, { text: 'edited', editedAt: at })), updated(6, message(5)));
    first.drop();
    const second = await script.accept({ chats: ['c1'], seqs: { c1: 6 } });

    assert.deepEqual(second.sent('connect')[0].resume, { c1: 6 }, 'resumed after the change, not after its message');
    // A replay that overlaps what was delivered; the change at 7 is to message 5, whose own seq is long past.
    second.push(newMessage(5), updated(6, message(5)), updated(7, message(5, { reactions: { '👍': ['carol'] } })),
      newMessage(8), updated(7, message(5)));
    assert.deepEqual(messages, ['m5', 'm8']);
    assert.deepEqual(updates, [6, 7]);
    second.drop();
    const third = await script.accept({ chats: ['c1'], seqs: { c1: 8 } });
    assert.deepEqual(third.sent('connect')[0].resume, { c1: 8 });
  });

test('the message_updated event carries the chat, the change\'s seq and the message\'s whole state', async (t) => {
  const script = scriptedClient();
  t.after(() => script.client.close());
  const events = [];
  script.client.on('message_updated', (event) => events.push(event));
  const socket = await connected(script, { chats: ['c1'], seqs: { c1: 5 } });
  const deleted = { id: 'm3', chatId: 'c1', seq: 3, senderId: 'bob', type: 'text', createdAt: at, deleted: true };

  socket.push(updated(6, deleted));

  assert.deepEqual(events, [updated(6, deleted)]);
});

test('edit, deleteMessage and react send their command and resolve with the state its ack carries', async (t) => {
  const script = scriptedClient();
  t.after(() => script.client.close());
  const socket = await connected(script, { chats: ['c1'], seqs: { c1: 5 } });
  // One command is on the wire at a time: each is answered before the next goes out.
  const answered = [];
  const answer = async (type, state) => {
    await until(() => socket.commands.length > answered.length + 1, `the ${type}`);
    const command = socket.commands[answered.length + 1]; // after the connect
    assert.equal(command.type, type);
    answered.push(command);
    socket.push({ type: 'ack', clientMessageId: command.clientMessageId, message: state });
    return command;
  };
  const editedState = message(5, { text: 'fixed', editedAt: at });
  const reactedState = message(5, { text: 'fixed', editedAt: at, reactions: { '🎉': ['alice'] } });
  const unreactedState = message(5, { text: 'fixed', editedAt: at });
  const { text: gone, ...deletedState } = { ...message(5), deleted: true };

  const edited = script.client.edit('c1', 'm5', 'fixed');
  const reacted = script.client.react('c1', 'm5', '🎉');
  const deleted = script.client.deleteMessage('c1', 'm5');
  const edit = await answer('edit', editedState);
  const react = await answer('react', reactedState);
  const remove = await answer('delete', deletedState);

  assert.deepEqual(await edited, editedState);
  assert.deepEqual(await reacted, reactedState);
  assert.deepEqual(await deleted, deletedState);
  assert.deepEqual({ ...edit, clientMessageId: 'x' },
    { type: 'edit', chatId: 'c1', messageId: 'm5', text: 'fixed', clientMessageId: 'x' });
  assert.deepEqual({ ...react, clientMessageId: 'x' },
    { type: 'react', chatId: 'c1', messageId: 'm5', emoji: '🎉', active: true, clientMessageId: 'x' });
  assert.deepEqual({ ...remove, clientMessageId: 'x' },
    { type: 'delete', chatId: 'c1', messageId: 'm5', clientMessageId: 'x' });
  assert.equal(new Set([edit, react, remove].map((c) => c.clientMessageId)).size, 3, 'an id of its own each');

  const unreacted = script.client.react('c1', 'm5', '🎉', false);
  assert.equal((await answer('react', unreactedState)).active, false);
  assert.deepEqual(await unreacted, unreactedState);
  assert.equal(script.client.pendingSends, 0);
});

test('an error naming a change rejects it with its code, only it, and the next command goes out', async (t) => {
  const script = scriptedClient();
  t.after(() => script.client.close());
  const errors = [];
  script.client.on('error', (error) => errors.push(error));
  const socket = await connected(script, { chats: ['c1'], seqs: { c1: 5 } });

  const refused = script.client.edit('c1', 'm4', 'not mine');
  const next = script.client.react('c1', 'm4', '👍');
  await until(() => socket.sent('edit').length === 1);
  socket.push({ type: 'error', code: 'forbidden', message: 'only the sender may change a message',
    clientMessageId: socket.sent('edit')[0].clientMessageId });

  await assert.rejects(refused,
    { name: 'ChatError', code: 'forbidden', message: 'only the sender may change a message' });
  await until(() => socket.sent('react').length === 1, 'the reaction after the refused edit');
  socket.push({ type: 'ack', clientMessageId: socket.sent('react')[0].clientMessageId, message: message(4) });
  assert.deepEqual(await next, message(4));
  assert.deepEqual(errors, [], 'an answered command is not also an error event');
});

test('a change the server could not take is refused before sending', async (t) => {
  const script = scriptedClient({ limits: { maxTextChars: 10 } });
  t.after(() => script.client.close());
  const socket = await connected(script, { chats: ['c1'], seqs: { c1: 5 } });

  await assert.rejects(script.client.edit('c1', 'm5', 'eleven char'), { code: 'too_large' });
  await assert.rejects(script.client.react('c1', 'm5', '👍', 'yes'), TypeError);
  await assert.rejects(script.client.deleteMessage('c1'), TypeError);

  assert.deepEqual(socket.commands.map((c) => c.type), ['connect']);
  assert.equal(script.client.pendingSends, 0);
});

test('a change made offline waits in the queue with the sends and goes out after the connect, in order',
  async (t) => {
    const script = scriptedClient();
    t.after(() => script.client.close());
    const first = await connected(script, { chats: ['c1'], seqs: { c1: 5 } });
    first.drop();

    const sent = script.client.send('c1', 'hello');
    const edited = script.client.edit('c1', 'm5', 'hello again');
    const second = await script.accept({ chats: ['c1'], seqs: { c1: 5 } });
    await until(() => second.sent('send').length === 1);
    second.push({ type: 'ack', clientMessageId: second.sent('send')[0].clientMessageId, message: message(6) });
    await until(() => second.sent('edit').length === 1);
    second.push({ type: 'ack', clientMessageId: second.sent('edit')[0].clientMessageId, message: message(5) });

    assert.deepEqual((await sent).id, 'm6');
    assert.deepEqual((await edited).id, 'm5');
    assert.deepEqual(second.commands.map((c) => c.type), ['connect', 'send', 'edit']);
  });

test('connected and chat_joined give the read state; read() defaults to the newest entry and skips what is stored',
  async (t) => {
    const { script, states, joins } = joinsAndStates(t);
    const readState = { lastRead: { c1: 5 }, unread: { c1: 2 }, readBy: { c1: { bob: 7 } }, online: { c1: ['bob'] } };
    const socket = await connected(script, { chats: ['c1'], seqs: { c1: 7 }, ...readState });
    const joined = { type: 'chat_joined', chatId: 'c2', chat: { id: 'c2', participants: ['alice', 'carol'] }, seq: 3,
      lastRead: 0, unread: 3, readBy: { carol: 3 }, online: ['carol'] };
    const empty = { ...joined, chatId: 'c3', chat: { id: 'c3', participants: ['alice', 'dan'] }, seq: 0, unread: 0 };

    socket.push(joined, empty, updated(8, message(6)));
    script.client.read('c1', 4); // below what the server stores: nothing to say
    script.client.read('c1');
    script.client.read('c2');
    script.client.read('c3'); // no entry yet: nothing to read

    assert.deepEqual(states.map(({ seqs, lastRead, unread, readBy, online }) => ({ seqs, lastRead, unread, readBy,
      online })), [{ seqs: { c1: 7 }, ...readState }]);
    assert.deepEqual(joins, [joined, empty]);
    assert.deepEqual(socket.sent('read'), [
      { type: 'read', chatId: 'c1', seq: 8 },
      { type: 'read', chatId: 'c2', seq: 3 },
    ]);
  });

test('connected and chat_joined say where history starts in a chat joined late, and connected says none when it has none',
  async (t) => {
    const { script, states, joins } = joinsAndStates(t);
    const first = await connected(script, { chats: ['c1', 'c2'], seqs: { c1: 7, c2: 2 }, historyAfter: { c1: 3 } });
    const joined = { type: 'chat_joined', chatId: 'c3', chat: { id: 'c3', participants: ['alice', 'dan'] }, seq: 9,
      lastRead: 0, unread: 0, readBy: {}, online: [], historyAfter: 9 };
    first.push(joined);
    first.drop();
    await script.accept({ chats: ['c2'], seqs: { c2: 2 } });

    assert.deepEqual(states.map((state) => state.historyAfter), [{ c1: 3 }, {}]);
    assert.equal(joins[0].historyAfter, 9);
  });

test('chat_updated reaches the listeners as it came, and the seq it skips leaves nothing to resume', async (t) => {
  const script = scriptedClient();
  t.after(() => script.client.close());
  const changes = [];
  const messages = [];
  script.client.on('chat_updated', (event) => changes.push(event));
  script.client.on('message', (m) => messages.push(m.id));
  const first = await connected(script, { chats: ['c1'], seqs: { c1: 4 } });
  const chat = { id: 'c1', participants: ['alice', 'bob'], createdAt: at, owner: 'alice', admins: [] };

  // carol's removal took seq 5; its frame carries none, and the next message is 6.
  first.push({ type: 'chat_updated', chatId: 'c1', chat, change: 'participant_removed', userId: 'carol', by: 'alice' },
    newMessage(6));
  await until(() => messages.length === 1);

  assert.deepEqual(changes.map((c) => [c.change, c.userId, c.by]), [['participant_removed', 'carol', 'alice']]);
  assert.deepEqual(changes[0].chat.participants, ['alice', 'bob']);
  first.drop();
  const second = await script.accept({ chats: ['c1'], seqs: { c1: 6 } });
  assert.deepEqual(second.sent('connect')[0].resume, { c1: 6 });
});
