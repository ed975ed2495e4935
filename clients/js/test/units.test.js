import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../src/backoff.js';
import { readClaims } from '../src/jwt.js';
import { checkFrame, utf8Length } from '../src/limits.js';

test('backoff delays are full jitter under a ceiling that doubles up to the cap', () => {
  const highest = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0.999_999 });
  const lowest = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0 });

  assert.deepEqual(Array.from({ length: 6 }, () => highest.next()), [99, 199, 399, 799, 999, 999]);
  assert.deepEqual(Array.from({ length: 3 }, () => lowest.next()), [0, 0, 0]);
  highest.reset();
  assert.equal(highest.next(), 99);
});

test('frames are measured in UTF-8 bytes, the strictest of the transports', () => {
  assert.equal(utf8Length('abc'), 3);
  assert.equal(utf8Length('é'), 2);
  assert.equal(utf8Length('€'), 3);
  assert.equal(utf8Length('😀'), 4);
  assert.doesNotThrow(() => checkFrame('€'.repeat(100), { maxFrameChars: 300 }));
  assert.throws(() => checkFrame('€'.repeat(101), { maxFrameChars: 300 }), { code: 'too_large' });
});

test('a JWT is read for its claims and anything else reads as none', () => {
  const payload = Buffer.from(JSON.stringify({ sub: 'zoë', exp: 42 })).toString('base64url');
  assert.deepEqual(readClaims(`h.${payload}.s`), { sub: 'zoë', exp: 42 });
  assert.deepEqual(readClaims('opaque'), {});
  assert.deepEqual(readClaims('a.!!!.c'), {});
});

test('the seq log drops a message seen before, by id or by a seq not after the last, and keeps the rest', async () => {
  const { SeqLog } = await import('../src/seqs.js');
  const { memoryStorage } = await import('../src/storage.js');
  const storage = memoryStorage();
  const log = new SeqLog(storage, 'seqs.');
  log.useUser('alice');
  log.start('c1', 4);

  assert.equal(log.accept({ id: 'm4', chatId: 'c1', seq: 4 }), false, 'at the start seq');
  assert.equal(log.accept({ id: 'm5', chatId: 'c1', seq: 5 }), true);
  assert.equal(log.accept({ id: 'm5', chatId: 'c1', seq: 5 }), false, 'twice');
  assert.equal(log.accept({ id: 'm7', chatId: 'c1', seq: 7 }), true, 'seqs may skip');
  assert.equal(log.accept({ id: 'other', chatId: 'c1', seq: 6 }), false, 'behind the last');

  const reloaded = new SeqLog(storage, 'seqs.');
  reloaded.useUser('alice');
  assert.deepEqual(reloaded.resume(), { c1: 7 });
  reloaded.useUser('bob');
  assert.deepEqual(reloaded.resume(), {});
});
