import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium, screenshotDir } from '../testing/browser.js';
import { startServer } from '../testing/server.js';
import { newUser } from '../testing/tokens.js';

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
async function signIn(userId) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
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
