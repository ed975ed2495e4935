// The demo page's rendering. Text only ever goes into the page through textContent, so names and messages made of
// HTML show as the characters they are.

export const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function chatTitle(state, chat) {
  const others = chat.participants.filter((p) => p !== state.userId);
  return chat.name || others.join(', ') || 'just you';
}

/** Redraws everything that depends on the open chat. */
export function render(state, actions) {
  $('composer').hidden = !state.current;
  renderChats(state, actions.openChat);
  renderHeader(state);
  renderMessages(state, actions);
  renderTyping(state);
}

/** The chat list, the most recently active chat first. */
export function renderChats(state, openChat) {
  const list = $('chats');
  list.replaceChildren();
  const byActivity = [...state.chats.entries()].sort(([, a], [, b]) => b.activity - a.activity);
  for (const [chatId, entry] of byActivity) {
    const item = el('li', chatId === state.current ? 'chat current' : 'chat');
    item.dataset.chatId = chatId;
    item.append(el('span', 'chat-title', chatTitle(state, entry.chat)));
    const people = el('span', 'people');
    for (const participant of entry.chat.participants.filter((p) => p !== state.userId)) {
      const online = state.online.get(participant);
      const person = el('span', online ? 'person online' : 'person', participant);
      person.title = online ? 'online' : 'offline';
      people.append(person);
    }
    item.append(people);
    if (entry.unread > 0) {
      item.append(el('span', 'unread', String(entry.unread)));
    }
    item.onclick = () => openChat(chatId);
    list.append(item);
  }
}

export function renderHeader(state) {
  const header = $('chat-header');
  const entry = state.chats.get(state.current);
  header.replaceChildren();
  if (!entry) {
    header.textContent = 'Pick or start a chat';
    return;
  }
  header.append(el('strong', null, chatTitle(state, entry.chat)));
  for (const participant of entry.chat.participants.filter((p) => p !== state.userId)) {
    const online = state.online.get(participant);
    header.append(el('span', online ? 'person online' : 'person', participant + (online ? ' online' : ' offline')));
  }
  for (const [userId, seq] of state.reads.get(state.current) ?? []) {
    if (userId !== state.userId) {
      header.append(el('span', 'read-receipt', userId + ' read up to #' + seq));
    }
  }
}

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
  for (const message of [...entry.messages.values()].sort((a, b) => a.seq - b.seq)) {
    list.append(renderMessage(state, message, actions));
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

function renderMessage(state, message, actions) {
  const mine = message.senderId === state.userId;
  const item = el('li', mine ? 'message mine sent' : 'message');
  item.dataset.seq = String(message.seq);
  item.dataset.id = message.id;
  item.append(el('span', 'meta', (mine ? 'you' : message.senderId) + ' · #' + message.seq + ' · '
    + new Date(message.createdAt).toLocaleTimeString() + (mine ? ' · sent' : '')));
  if (message.text) {
    item.append(el('span', 'text', message.text));
  }
  if (message.attachment) {
    item.append(...renderAttachment(message, actions));
  }
  return item;
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

function formatSize(bytes) {
  if (bytes < 1024) {
    return bytes + ' B';
  }
  return bytes < 1024 * 1024 ? Math.ceil(bytes / 1024) + ' KB' : (bytes / 1024 / 1024).toFixed(1) + ' MB';
}

/** The files chosen for the next send, each with a button that takes it out again. */
export function renderChosenFiles(state, remove) {
  const list = $('chosen-files');
  list.replaceChildren();
  for (const file of state.files) {
    const item = el('li', 'chosen-file');
    item.append(el('span', 'file-name', file.name + ' (' + formatSize(file.size) + ')'));
    const button = el('button', 'remove', '×');
    button.type = 'button';
    button.title = 'Remove ' + file.name;
    button.setAttribute('aria-label', 'Remove ' + file.name);
    button.onclick = () => remove(file);
    item.append(button);
    list.append(item);
  }
}

export function renderTyping(state) {
  const typists = state.typing.get(state.current);
  const names = typists ? [...typists.keys()] : [];
  $('typing').textContent = names.length === 0 ? '' : names.join(', ') + (names.length === 1 ? ' is' : ' are')
    + ' typing…';
}

export function setStatus(kind, text) {
  const status = $('status');
  status.className = 'status ' + kind;
  status.textContent = text;
}

export function showToast(text) {
  const toast = $('toast');
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => { toast.hidden = true; }, 5000);
}
