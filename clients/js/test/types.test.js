import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as client from '../src/index.js';

const types = readFileSync(new URL('../src/index.d.ts', import.meta.url), 'utf8');

test('index.d.ts declares exactly what index.js exports', () => {
  const declared = [...types.matchAll(/^export declare (?:class|const|function) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), Object.keys(client).sort());
});

test('every ChatClient member index.d.ts names exists on the class', () => {
  const body = types.slice(types.indexOf('export declare class ChatClient {'));
  const block = body.slice(0, body.indexOf('\n}'));
  const members = [...block.matchAll(/^ {2}(?:readonly )?(\w+)[(<:]/gm)].map((m) => m[1])
    .filter((m) => m !== 'constructor');
  const instance = Object.getOwnPropertyNames(client.ChatClient.prototype);
  assert.ok(members.length >= 10, `found ${members}`);
  for (const member of members) {
    assert.ok(instance.includes(member), `ChatClient has no ${member}`);
  }
});

test('every ChatApi method index.d.ts names exists on the REST helpers', async () => {
  const { RestApi } = await import('../src/rest.js');
  const body = types.slice(types.indexOf('export interface ChatApi {'));
  const block = body.slice(0, body.indexOf('\n}'));
  const methods = [...block.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]);
  assert.ok(methods.length >= 6, `found ${methods}`);
  for (const method of methods) {
    assert.equal(typeof RestApi.prototype[method], 'function', `RestApi has no ${method}`);
  }
});
