// The demo page's rendering around the messages (those are message-view.js's): the chat list, the header, typing,
// the chosen files, the status and the toast. Text only ever goes into the page through textContent, so names and
// messages made of HTML show as the characters they are.

export const $ = (id) => document.getElementById(id);

/** A new element with a class and a text, either optional. */
export function el(tag, className, text) {
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

/** A file's size for people. */
export function formatSize(bytes) {
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
