// The open chat's messages: stored ones in their current state (edited, deleted, reacted to), with "seen" under the
// user's newest, then the user's sends not yet acknowledged. Text goes in through textContent only, as in view.js.
import { newestOwn, seenBy } from './state.js';
import { $, el, formatSize, showToast } from './view.js';

// The reactions offered on every message; others that arrive (from another client) show beside them.
const REACTIONS = ['👍', '❤️', '😂', '🎉'];

/** Whether the list is scrolled to (nearly) its end, where new messages should stay in view. */
export function isAtBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
}

/**
 * Redraws the open chat's messages. A list scrolled to its end (or `toBottom`) stays at the end; otherwise the message
 * the user is reading stays where it is on screen, whatever was added above or below it. Returns whether the list
 * follows the end.
 */
export function renderMessages(state, actions, { toBottom = false } = {}) {
  const list = $('messages');
  const entry = state.chats.get(state.current);
  const anchor = toBottom || isAtBottom(list) ? null : readingAnchor(list);
  list.replaceChildren();
  if (!entry) {
    return true;
  }
  if (entry.complete || entry.loadingOlder) {
    list.append(el('li', 'history-edge', entry.complete ? 'The start of the chat' : 'Loading older messages…'));
  }
  const own = newestOwn(state.current);
  for (const message of [...entry.messages.values()].sort((a, b) => a.seq - b.seq)) {
    list.append(renderMessage(state, message, actions, message === own ? seenBy(own) : []));
  }
  for (const send of entry.pending.values()) {
    list.append(renderPending(send, actions));
  }
  const same = anchor && [...list.children].find((item) => item.dataset.id === anchor.id);
  if (same) {
    list.scrollTop += same.getBoundingClientRect().top - list.getBoundingClientRect().top - anchor.offset;
    return false;
  }
  list.scrollTop = list.scrollHeight;
  return true;
}

/** The first stored message in view, and how far it is from the list's top edge. */
function readingAnchor(list) {
  const top = list.getBoundingClientRect().top;
  for (const item of list.children) {
    const box = item.getBoundingClientRect();
    if (item.dataset.id && box.bottom > top) {
      return { id: item.dataset.id, offset: box.top - top };
    }
  }
  return null;
}

function renderMessage(state, message, actions, seen) {
  const mine = message.senderId === state.userId;
  const item = el('li', 'message' + (mine ? ' mine sent' : '') + (message.deleted ? ' deleted' : ''));
  item.dataset.seq = String(message.seq);
  item.dataset.id = message.id;
  item.append(el('span', 'meta', (mine ? 'you' : message.senderId) + ' · #' + message.seq + ' · '
    + new Date(message.createdAt).toLocaleTimeString() + (mine ? ' · sent' : '')
    + (message.editedAt && !message.deleted ? ' · edited' : '')));
  if (message.deleted) {
    item.append(el('span', 'deleted-note', 'This message was deleted'));
  } else {
    if (message.text) {
      item.append(el('span', 'text', message.text));
    }
    if (message.attachment) {
      item.append(...renderAttachment(message, actions));
    }
    item.append(renderReactions(state, message, actions));
    if (mine) {
      item.append(renderTools(message, actions));
    }
  }
  if (seen.length > 0) {
    item.append(el('span', 'seen', 'Seen by ' + seen.join(', ')));
  }
  return item;
}

/** A button per reaction with how many gave it; the user's own are marked, and a click gives or takes back one. */
function renderReactions(state, message, actions) {
  const row = el('span', 'reactions');
  const given = message.reactions ?? {};
  for (const emoji of [...new Set([...REACTIONS, ...Object.keys(given)])]) {
    const users = given[emoji] ?? [];
    const mine = users.includes(state.userId);
    const button = el('button', 'reaction' + (mine ? ' mine' : '') + (users.length === 0 ? ' none' : ''),
      users.length === 0 ? emoji : emoji + ' ' + users.length);
    button.type = 'button';
    button.dataset.emoji = emoji;
    button.title = users.length === 0 ? 'React with ' + emoji : users.join(', ');
    button.setAttribute('aria-pressed', String(mine));
    button.onclick = () => actions.react(message, emoji, !mine);
    row.append(button);
  }
  return row;
}

/** Edit (a message with text) and delete, on the user's own messages. */
function renderTools(message, actions) {
  const tools = el('span', 'message-tools');
  if (message.text) {
    const edit = el('button', 'edit', 'Edit');
    edit.type = 'button';
    edit.onclick = () => actions.edit(message);
    tools.append(edit);
  }
  const remove = el('button', 'delete', 'Delete');
  remove.type = 'button';
  remove.onclick = () => actions.remove(message);
  tools.append(remove);
  return tools;
}

/** An own message not yet acknowledged: pending while the client keeps it, failed (with retry) when refused. */
function renderPending(send, actions) {
  const item = el('li', 'message mine ' + send.status);
  item.append(el('span', 'meta', send.status === 'pending' ? 'you · sending…' : 'you · not sent: ' + send.error));
  item.append(el('span', 'text', send.text));
  if (send.status === 'failed') {
    const buttons = el('span', 'send-actions');
    const retry = el('button', 'retry', 'Retry');
    retry.type = 'button';
    retry.onclick = () => actions.retry(send);
    const dismiss = el('button', 'dismiss', 'Dismiss');
    dismiss.type = 'button';
    dismiss.onclick = () => actions.dismiss(send);
    buttons.append(retry, dismiss);
    item.append(buttons);
  }
  return item;
}

/** An attachment as a link that downloads it under its own name, with the picture above it for an image. */
function renderAttachment(message, actions) {
  const attachment = message.attachment;
  const nodes = [];
  if (message.type === 'image') {
    // Its box has a fixed size (app.css), so the list does not move when the bytes arrive.
    const image = el('img', 'image');
    image.alt = attachment.name || 'image';
    actions.mediaUrl(attachment).then((url) => { image.src = url; }, () => { image.alt = 'image unavailable'; });
    nodes.push(image);
  }
  const link = el('a', 'file', (attachment.name || 'file') + ' (' + attachment.mimeType + ', '
    + formatSize(attachment.size) + ')');
  link.href = '#';
  link.title = 'Download';
  link.onclick = (event) => {
    event.preventDefault();
    actions.download(attachment).catch((error) => showToast(error.message));
  };
  nodes.push(link);
  return nodes;
}
