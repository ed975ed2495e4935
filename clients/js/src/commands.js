import { checkFrame, checkSend } from './limits.js';

/**
 * The commands the server answers with an `ack` or an `error` naming their `clientMessageId`: a send, and the
 * changes to a stored message. Each is built with a fresh id and checked here, so that a command the server would
 * refuse for its shape or size fails at once instead of after a round trip (or, over the frame limit, a closed socket).
 */

/** A text message. */
export function sendCommand(chatId, text, limits) {
  requireStrings('send(chatId, text)', chatId, text);
  return checkedText({ type: 'send', chatId, text, clientMessageId: newClientMessageId() }, limits);
}

/** A new text for one of the user's messages. */
export function editCommand(chatId, messageId, text, limits) {
  requireStrings('edit(chatId, messageId, text)', chatId, messageId, text);
  return checkedText({ type: 'edit', chatId, messageId, text, clientMessageId: newClientMessageId() }, limits);
}

/** The delete of one of the user's messages. */
export function deleteCommand(chatId, messageId, limits) {
  requireStrings('deleteMessage(chatId, messageId)', chatId, messageId);
  return checked({ type: 'delete', chatId, messageId, clientMessageId: newClientMessageId() }, limits);
}

/** The user's reaction added (`active`) or taken back. */
export function reactCommand(chatId, messageId, emoji, active, limits) {
  requireStrings('react(chatId, messageId, emoji)', chatId, messageId, emoji);
  if (typeof active !== 'boolean') {
    throw new TypeError('react\'s active is true (add the reaction) or false (take it back)');
  }
  return checked({ type: 'react', chatId, messageId, emoji, active, clientMessageId: newClientMessageId() }, limits);
}

function requireStrings(signature, ...values) {
  if (!values.every((value) => typeof value === 'string')) {
    throw new TypeError(`${signature} takes strings`);
  }
}

function checkedText(command, limits) {
  checkSend(command.text, JSON.stringify(command), limits);
  return command;
}

function checked(command, limits) {
  checkFrame(JSON.stringify(command), limits);
  return command;
}

function newClientMessageId() {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
