import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { launchChromium, screenshotDir } from '../testing/browser.js';
import { startServer } from '../testing/server.js';
import { newUser, signToken } from '../testing/tokens.js';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const HTML_NAME = '<b>team</b><script>alert("name")</script>';
// A 1x1 PNG, to send as an image.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E'
  + 'rkJggg==', 'base64');
const HTML_TEXT = '<img src=x onerror=alert("text")><script>alert("text")</script>';

/** A user in a browser context of their own, signed in on the demo page. */
async function signIn(userId, viewport = { width: 1000, height: 700 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(`${server.httpUrl}/`);
  await page.fill('#sign-in-user', userId);
  await page.click('#sign-in-form button[type=submit]');
  await page.locator('#status.online').waitFor();
  return { context, page, dialogs };
}

async function shoot(page, name) {
  await page.screenshot({ path: `${screenshotDir()}${name}.png` });
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

function texts(page) {
  return page.locator('#messages .message .text').allTextContents();
}

function chatTitles(page) {
  return page.locator('#chats .chat-title').allTextContents();
}

async function startChat(page, otherId, name) {
  await page.fill('#new-chat-users', otherId);
  await page.fill('#new-chat-name', name);
  await page.click('#new-chat button[type=submit]');
  await page.locator('#chat-header strong', { hasText: name }).waitFor();
}

/** Two users signed in, with a chat alice started and both have open; both pages close when the test ends. */
async function twoInAChat(t, name, viewport) {
  const aliceId = newUser('alice');
  const bobId = newUser('bob');
  const alice = await signIn(aliceId, viewport);
  const bob = await signIn(bobId);
  t.after(() => Promise.all([alice.context.close(), bob.context.close()]));
  await startChat(alice.page, bobId, name);
  await bob.page.locator('#chats .chat', { hasText: name }).click();
  await bob.page.locator('#chat-header strong', { hasText: name }).waitFor();
  return { aliceId, bobId, alice, bob };
}

/** A call to the REST API as `userId`, for what the test sets up behind the pages' backs. */
async function rest(userId, method, path, body) {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${signToken(server.secret, userId)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

/** How far below the top of the list's content area (inside its padding) the message with this text is on screen. */
function offsetInView(page, text) {
  return page.locator('#messages').evaluate((list, wanted) => {
    const item = [...list.querySelectorAll('.message')].find((m) => m.querySelector('.text')?.textContent === wanted);
    return item.getBoundingClientRect().top - list.getBoundingClientRect().top - parseFloat(getComputedStyle(list)
      .paddingTop);
  }, text);
}

test('on the demo page two users chat, type, read, send an image, and five sent while one is offline arrive once',
  async (t) => {
    const aliceId = newUser('alice');
    const bobId = newUser('bob');
    const alice = await signIn(aliceId);
    const bob = await signIn(bobId);
    t.after(() => Promise.all([alice.context.close(), bob.context.close()]));
    await shoot(alice.page, '01-alice-signed-in');

    await alice.page.fill('#new-chat-users', bobId);
    await alice.page.fill('#new-chat-name', HTML_NAME);
    await alice.page.click('#new-chat button[type=submit]');
    await bob.page.locator('#chats .chat').first().click();
    await bob.page.locator('#chat-header strong').waitFor();
    assert.equal(await bob.page.locator('#chat-header strong').textContent(), HTML_NAME);

    await say(alice.page, 'hello bob');
    await bob.page.locator('#messages .text', { hasText: 'hello bob' }).waitFor();
    await say(bob.page, 'hi alice');
    await alice.page.locator('#messages .text', { hasText: 'hi alice' }).waitFor();
    await alice.page.fill('#text', 'typing…');
    await bob.page.locator('#typing', { hasText: `${aliceId} is typing` }).waitFor();
    await alice.page.fill('#text', '');
    await alice.page.locator('#chat-header .read-receipt', { hasText: `${bobId} read up to` }).waitFor();
    await alice.page.setInputFiles('#files', { name: 'dot.png', mimeType: 'image/png', buffer: PNG });
    await alice.page.click('#composer button[type=submit]');
    await bob.page.locator('#messages img.image[src^="blob:"]').waitFor();
    const [image] = await Promise.all([bob.page.waitForEvent('download'),
      bob.page.locator('#messages a.file', { hasText: 'dot.png' }).click()]);
    assert.equal(image.suggestedFilename(), 'dot.png', 'an image downloads under its own name too');
    await say(alice.page, HTML_TEXT);
    await bob.page.locator('#messages .text', { hasText: 'onerror' }).waitFor();
    assert.equal(await bob.page.locator('#messages img').count(), 1, 'only the PNG: no element made from the text');
    await shoot(bob.page, '02-bob-chatting');

    await bob.context.setOffline(true);
    // The page hears 'offline', pings, and gives up on the socket when no answer comes.
    await bob.page.locator('#status:not(.online)').waitFor({ timeout: 30_000 });
    const offline = ['one', 'two', 'three', 'four', 'five'].map((word) => `while bob is offline: ${word}`);
    for (const text of offline) {
      await say(alice.page, text);
    }
    await alice.page.locator('#messages .message.sent .text', { hasText: 'offline: five' }).waitFor();
    await shoot(alice.page, '03-alice-sent-five');
    assert.equal(await bob.page.locator('#messages .text', { hasText: 'offline:' }).count(), 0,
      'nothing reached bob while offline');
    await bob.context.setOffline(false);
    await bob.page.locator('#messages .text', { hasText: 'offline: five' }).waitFor({ timeout: 30_000 });
    await bob.page.locator('#status.online').waitFor();
    await shoot(bob.page, '04-bob-back-online');

    assert.deepEqual(await texts(bob.page), ['hello bob', 'hi alice', HTML_TEXT, ...offline]);
    assert.deepEqual(await texts(alice.page), ['hello bob', 'hi alice', HTML_TEXT, ...offline]);
    assert.deepEqual([...alice.dialogs, ...bob.dialogs], [], 'no dialog opened');
  });

test('the composer sends on Enter and breaks lines on Shift+Enter', async (t) => {
  const { alice, bob } = await twoInAChat(t, 'lines');

  await alice.page.fill('#text', 'line one');
  await alice.page.press('#text', 'Shift+Enter');
  await alice.page.locator('#text').pressSequentially('line two');
  assert.equal(await alice.page.inputValue('#text'), 'line one\nline two', 'Shift+Enter only adds a line');
  await alice.page.press('#text', 'Enter');

  await bob.page.locator('#messages .text', { hasText: 'line two' }).waitFor();
  assert.deepEqual(await texts(bob.page), ['line one\nline two']);
  assert.equal(await alice.page.inputValue('#text'), '');
  await shoot(bob.page, '05-bob-multi-line');
});

test('a chosen file shows with a remove button, a refused one is cleared with the text kept, and a download keeps '
  + 'its name', async (t) => {
  const { alice, bob } = await twoInAChat(t, 'files');
  const refused = { name: 'random.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 3, 255]) };
  const chosen = alice.page.locator('#chosen-files .chosen-file');

  await alice.page.setInputFiles('#files', refused);
  await chosen.filter({ hasText: 'random.bin' }).waitFor();
  await shoot(alice.page, '06-alice-file-chosen');
  await chosen.locator('button.remove').click();
  assert.equal(await chosen.count(), 0, 'removed');

  await alice.page.setInputFiles('#files', refused);
  await alice.page.fill('#text', 'caption kept');
  await alice.page.press('#text', 'Enter');
  await alice.page.locator('#toast:not([hidden])', { hasText: 'random.bin not sent' }).waitFor();
  assert.equal(await chosen.count(), 0, 'the refused file no longer blocks the next send');
  assert.equal(await alice.page.inputValue('#text'), 'caption kept');
  await shoot(alice.page, '07-alice-file-refused');
  await alice.page.press('#text', 'Enter');
  await bob.page.locator('#messages .text', { hasText: 'caption kept' }).waitFor();

  // Not an image: any type the server accepts can be chosen and sent.
  assert.doesNotMatch(await alice.page.getAttribute('#files', 'accept'), /^image\/\*$/);
  // The upload is held at the network until the page has shown it in flight.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  t.after(() => release()); // never left holding a request if the test fails half-way
  await alice.page.route('**/api/chats/*/messages*', async (route) => {
    if (route.request().method() === 'POST') {
      await held; // the upload route; the page's history reads pass
    }
    await route.continue();
  });
  await alice.page.setInputFiles('#files', { name: 'notes for bob.txt', mimeType: 'text/plain',
    buffer: Buffer.from('hello from the notes\n') });
  await alice.page.press('#text', 'Enter');
  await alice.page.locator('#upload:not([hidden])', { hasText: 'Sending notes for bob.txt' }).waitFor();
  assert.ok(await alice.page.locator('#upload-progress').isVisible());
  await shoot(alice.page, '08a-alice-uploading');
  release();
  await alice.page.locator('#upload').waitFor({ state: 'hidden' });
  const link = bob.page.locator('#messages a.file', { hasText: 'notes for bob.txt' });
  await link.waitFor();
  const [download] = await Promise.all([bob.page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'notes for bob.txt');
  assert.equal(await readFile(await download.path(), 'utf8'), 'hello from the notes\n');
  assert.deepEqual(await texts(bob.page), ['caption kept']);
  await shoot(bob.page, '08b-bob-file-received');
});

test('presence goes offline when a user closes the page and online when they open it again', async (t) => {
  const { bobId, alice, bob } = await twoInAChat(t, 'presence');
  const bobInHeader = alice.page.locator('#chat-header .person', { hasText: bobId });
  // A user's presence shows in a chat only once they have taken part in it (docs/protocol.md, consent).
  await say(bob.page, 'here');

  await alice.page.locator('#chat-header .person.online', { hasText: `${bobId} online` }).waitFor();
  await bob.context.close();
  await alice.page.locator('#chat-header .person:not(.online)', { hasText: `${bobId} offline` }).waitFor();
  assert.equal(await bobInHeader.count(), 1);
  await shoot(alice.page, '09-alice-sees-bob-offline');

  const again = await signIn(bobId);
  t.after(() => again.context.close());
  await alice.page.locator('#chat-header .person.online', { hasText: `${bobId} online` }).waitFor();
  await shoot(alice.page, '10-alice-sees-bob-online-again');
});

test('the chat list is ordered by latest activity and rebuilt when the connection comes back', async (t) => {
  const aliceId = newUser('alice');
  const bobId = newUser('bob');
  const carolId = newUser('carol');
  const alice = await signIn(aliceId);
  const bob = await signIn(bobId);
  const carol = await signIn(carolId);
  t.after(() => Promise.all([alice.context.close(), bob.context.close(), carol.context.close()]));

  await startChat(alice.page, bobId, 'with bob');
  await startChat(alice.page, carolId, 'with carol');
  assert.deepEqual(await chatTitles(alice.page), ['with carol', 'with bob'], 'the newest chat first');
  await bob.page.locator('#chats .chat', { hasText: 'with bob' }).click();
  await say(bob.page, 'bob writes');
  await alice.page.locator('#chats .chat:first-child', { hasText: 'with bob' }).waitFor();
  assert.deepEqual(await chatTitles(alice.page), ['with bob', 'with carol'], 'the chat with a new message first');

  // While alice is cut off she hears no chat_joined: the list is rebuilt from `connected` when she is back.
  await alice.context.setOffline(true);
  await alice.page.locator('#status:not(.online)').waitFor({ timeout: 30_000 });
  await startChat(carol.page, aliceId, 'made while alice was away');
  await alice.context.setOffline(false);
  await alice.page.locator('#chats .chat', { hasText: 'made while alice was away' }).waitFor({ timeout: 30_000 });
  assert.deepEqual(await chatTitles(alice.page), ['made while alice was away', 'with bob', 'with carol']);
  await shoot(alice.page, '11-alice-chat-list-rebuilt');

  await alice.page.reload();
  await alice.page.locator('#status.online').waitFor();
  await alice.page.locator('#chats .chat', { hasText: 'with carol' }).waitFor();
  assert.deepEqual(await chatTitles(alice.page), ['made while alice was away', 'with bob', 'with carol'],
    'the same order after a reload, from the stored messages');
});

test('older messages load as the user scrolls up, and a new one does not pull the reader down', async (t) => {
  const aliceId = newUser('alice');
  const bobId = newUser('bob');
  const { chat } = await rest(aliceId, 'POST', '/api/chats', { participants: [bobId], name: 'long history' });
  const old = Array.from({ length: 150 }, (_, i) => `old ${i + 1}`);
  for (const text of old) {
    await rest(aliceId, 'POST', '/api/messages', { chatId: chat.id, text });
  }
  const bob = await signIn(bobId);
  t.after(() => bob.context.close());
  const list = bob.page.locator('#messages');

  await bob.page.locator('#messages .text', { hasText: 'old 150' }).waitFor();
  assert.deepEqual(await texts(bob.page), old.slice(50), 'the newest page first');
  assert.ok(await list.evaluate((l) => l.scrollHeight - l.scrollTop - l.clientHeight < 2), 'at the newest');
  assert.equal(await bob.page.locator('#messages .history-edge', { hasText: 'start of the chat' }).count(), 0);

  await list.evaluate((l) => { l.scrollTop = 0; });
  await bob.page.locator('#messages .text', { hasText: /^old 1$/ }).waitFor();
  assert.deepEqual(await texts(bob.page), old);
  await bob.page.locator('#messages .history-edge', { hasText: 'The start of the chat' }).waitFor();
  const offset = await offsetInView(bob.page, 'old 51');
  assert.ok(Math.abs(offset) < 2, `the message read before stays at the top where it was, not ${offset} px away`);
  await shoot(bob.page, '12-bob-older-loaded');

  const before = await list.evaluate((l) => l.scrollTop);
  await rest(aliceId, 'POST', '/api/messages', { chatId: chat.id, text: 'new while bob reads' });
  await bob.page.locator('#jump-latest:not([hidden])').waitFor();
  assert.ok(Math.abs(await list.evaluate((l) => l.scrollTop) - before) < 2, 'no jump to the bottom');
  assert.ok(Math.abs(await offsetInView(bob.page, 'old 51')) < 2, 'still reading the same message');
  await bob.page.click('#jump-latest');
  assert.ok(await list.evaluate((l) => l.scrollHeight - l.scrollTop - l.clientHeight < 2), 'at the newest again');
  assert.deepEqual(await texts(bob.page), [...old, 'new while bob reads']);
});

test('at phone width (375 px) nothing is wider than the screen', async (t) => {
  const phone = { width: 375, height: 740 };
  const longName = 'a-chat-name-that-goes-on-and-on-without-a-single-space-to-break-it';
  const { alice, bob } = await twoInAChat(t, longName, phone);
  await say(bob.page, 'x'.repeat(400));
  await bob.page.setInputFiles('#files', { name: 'dot.png', mimeType: 'image/png', buffer: PNG });
  await bob.page.click('#composer button[type=submit]');
  await alice.page.locator('#messages img.image[src^="blob:"]').waitFor();
  await alice.page.setInputFiles('#files', { name: `${'very-long-file-name-'.repeat(8)}.txt`, mimeType: 'text/plain',
    buffer: Buffer.from('text') });
  await alice.page.locator('#chosen-files .chosen-file').waitFor();
  await alice.page.fill('#text', 'a draft');
  await shoot(alice.page, '13-alice-at-phone-width');

  const overflowing = await alice.page.evaluate(() => [document.documentElement, ...document.querySelectorAll('*')]
    .filter((node) => node.checkVisibility() && (node.getBoundingClientRect().right > window.innerWidth + 0.5
      || node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'hidden'))
    .map((node) => node.tagName + (node.id ? `#${node.id}` : '') + (node.className ? `.${node.className}` : '')));
  assert.deepEqual(overflowing, []);
  assert.ok(await alice.page.locator('#composer button[type=submit]').isVisible());
  const conversation = await alice.page.locator('#messages').boundingBox();
  assert.ok(conversation.width >= phone.width * 0.9, `the messages use the screen's width, not ${conversation.width} px`);
});

test('an own message shows as sending until its ack, and one refused shows as failed with its text, retry and '
  + 'dismiss', async (t) => {
  const { alice, bob } = await twoInAChat(t, 'states');

  await alice.context.setOffline(true);
  await alice.page.locator('#status:not(.online)').waitFor({ timeout: 30_000 });
  await say(alice.page, 'kept in the outbox');
  await alice.page.locator('#messages .message.pending', { hasText: 'kept in the outbox' }).waitFor();
  await shoot(alice.page, '14-alice-message-pending');
  await alice.context.setOffline(false);
  await alice.page.locator('#messages .message.sent', { hasText: 'kept in the outbox' }).waitFor({ timeout: 30_000 });
  await bob.page.locator('#messages .text', { hasText: 'kept in the outbox' }).waitFor();

  // 12,000 control characters: within the text limit, but six times that once JSON-escaped, over the frame limit.
  const tooLarge = '\u0001'.repeat(12_000);
  await say(alice.page, tooLarge);
  const failed = alice.page.locator('#messages .message.failed');
  await failed.waitFor();
  assert.match(await failed.locator('.meta').textContent(), /not sent: too_large/);
  assert.equal(await failed.locator('.text').textContent(), tooLarge, 'the text is kept');
  await shoot(alice.page, '15-alice-message-failed');
  await failed.locator('button.retry').click();
  await failed.waitFor();
  assert.equal(await failed.count(), 1, 'retried, refused again, shown once');
  await failed.locator('button.dismiss').click();
  assert.equal(await failed.count(), 0);
  assert.deepEqual(await texts(bob.page), ['kept in the outbox']);
});

/** The message shown with this id. */
function messageById(page, id) {
  return page.locator(`#messages .message[data-id="${id}"]`);
}

/** The id of the message shown with this text. */
function idOf(page, text) {
  return page.locator('#messages .message', { has: page.locator('.text', { hasText: text }) }).getAttribute('data-id');
}

test('an edit and a reaction made while bob is away reach him in place, with an unread badge, and his read shows '
  + 'alice "seen"', async (t) => {
  const { aliceId, bobId, alice, bob } = await twoInAChat(t, 'timeline');
  await say(alice.page, 'first draft');
  await bob.page.locator('#messages .text', { hasText: 'first draft' }).waitFor();
  const draftId = await idOf(alice.page, 'first draft');
  // Bob reads another chat, so that the badge of this one is not cleared by reading it at once.
  await startChat(bob.page, aliceId, 'elsewhere');

  await bob.context.setOffline(true);
  await bob.page.locator('#status:not(.online)').waitFor({ timeout: 30_000 });
  const draft = messageById(alice.page, draftId);
  await draft.locator('button.edit').click();
  assert.equal(await alice.page.inputValue('#text'), 'first draft', 'the composer holds the text to edit');
  await alice.page.fill('#text', 'final text');
  await alice.page.press('#text', 'Enter');
  await draft.locator('.text', { hasText: 'final text' }).waitFor();
  await draft.locator('button.reaction[data-emoji="👍"]').click();
  await draft.locator('button.reaction.mine[data-emoji="👍"]', { hasText: '👍 1' }).waitFor();
  await say(alice.page, 'are you there?');
  await alice.page.locator('#messages .message.sent .text', { hasText: 'are you there?' }).waitFor();
  assert.match(await draft.locator('.meta').textContent(), /edited/);
  assert.equal(await alice.page.locator('#messages .seen').count(), 0, 'bob has not read the newest yet');
  await shoot(alice.page, '16-alice-edited-and-reacted');

  await bob.context.setOffline(false);
  const badge = bob.page.locator('#chats .chat', { hasText: 'timeline' }).locator('.unread');
  await badge.filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
  await bob.page.locator('#status.online').waitFor();
  await shoot(bob.page, '17-bob-back-with-a-badge');
  assert.equal(await badge.textContent(), '1', 'the message sent while away, counted once');
  assert.ok(await bob.page.locator('#toast').isHidden(), 'no error while coming back');

  await bob.page.locator('#chats .chat', { hasText: 'timeline' }).click();
  const seenByBob = messageById(bob.page, draftId);
  await seenByBob.locator('.text', { hasText: 'final text' }).waitFor();
  assert.deepEqual(await texts(bob.page), ['final text', 'are you there?']);
  assert.match(await seenByBob.locator('.meta').textContent(), /edited/);
  assert.equal(await seenByBob.locator('button.reaction[data-emoji="👍"]').textContent(), '👍 1');
  assert.equal(await seenByBob.locator('button.reaction.mine').count(), 0, 'alice\'s reaction, not bob\'s');
  assert.equal(await badge.count(), 0, 'read, so no badge');
  await shoot(bob.page, '18-bob-sees-the-edit-and-the-reaction');

  const seen = alice.page.locator('#messages .message', { hasText: 'are you there?' }).locator('.seen');
  await seen.filter({ hasText: `Seen by ${bobId}` }).waitFor();
  assert.equal(await alice.page.locator('#messages .seen').count(), 1, 'only under the newest own message');
  await shoot(alice.page, '19-alice-sees-seen');
});

test('a message deleted and a reaction taken back change in place on the other side', async (t) => {
  const { alice, bob } = await twoInAChat(t, 'changes');
  await say(alice.page, 'keep me');
  await say(alice.page, 'delete me');
  await bob.page.locator('#messages .text', { hasText: 'delete me' }).waitFor();
  const keep = messageById(alice.page, await idOf(alice.page, 'keep me'));
  const keepAtBob = messageById(bob.page, await idOf(bob.page, 'keep me'));
  assert.equal(await bob.page.locator('#messages .message-tools').count(), 0, 'no edit or delete of another\'s');

  await keepAtBob.locator('button.reaction[data-emoji="😂"]').click();
  await keep.locator('button.reaction[data-emoji="😂"]', { hasText: '😂 1' }).waitFor();
  await keepAtBob.locator('button.reaction.mine[data-emoji="😂"]').click();
  await keep.locator('button.reaction.none[data-emoji="😂"]').waitFor();
  assert.equal(await keep.locator('button.reaction[data-emoji="😂"]').textContent(), '😂');

  await alice.page.fill('#text', 'a draft');
  await keep.locator('button.edit').click();
  assert.equal(await alice.page.inputValue('#text'), 'keep me');
  await alice.page.press('#text', 'Escape');
  assert.equal(await alice.page.inputValue('#text'), 'a draft', 'the draft is back after the edit is left');
  assert.ok(await alice.page.locator('#editing').isHidden());

  await alice.page.locator('#messages .message', { hasText: 'delete me' }).locator('button.delete').click();
  await bob.page.locator('#messages .message.deleted .deleted-note', { hasText: 'This message was deleted' })
    .waitFor();
  assert.deepEqual(await texts(bob.page), ['keep me']);
  assert.deepEqual(await texts(alice.page), ['keep me']);
  assert.equal(await alice.page.locator('#messages .message.deleted button').count(), 0, 'nothing left to change');
  await shoot(bob.page, '20-bob-sees-a-deleted-message');
});
