// Chatwire demo page: the UI on top of @chatwire/client, which does the connection, resume, dedupe, token refresh
// and the outbox. Plain JavaScript modules, no build step. See docs/protocol.md for the frames.
import { ChatClient } from './client/index.js';
import {
  $, isAtBottom, render, renderChats, renderChosenFiles, renderHeader, renderMessages, renderTyping, setStatus, showToast,
} from './view.js';

const SESSION_KEY = 'chatwire.session';
const PAGE = 100; // messages per history request, the server's most

const state = {
  userId: null,
  client: null,
  chats: new Map(),      // chatId -> { chat, messages: Map(id -> message), pending: Map(localId -> send), unread,
                         //             activity: ms of the latest message (or of the chat's creation),
                         //             complete: whether the oldest message is loaded, loadingOlder }
  current: null,         // the open chatId
  online: new Map(),     // userId -> boolean
  typing: new Map(),     // chatId -> Map(userId -> timer)
  reads: new Map(),      // chatId -> Map(userId -> seq)
  media: new Map(),      // mediaId -> Promise<object URL>
  files: [],             // the files chosen for the next send
  nextLocalId: 1,
};

// DEMO ONLY: /demo/token signs anyone in as anyone. A real app gets its JWT from its identity provider.
async function demoToken(userId) {
  const response = await fetch('/demo/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error ? body.error.message : 'sign-in failed');
  }
  return body.token;
}

function signOut() {
  localStorage.removeItem(SESSION_KEY);
  state.client?.close();
  location.hash = '';
  location.reload();
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  // The client asks for a token when it connects, after a 4401/4402 close, and before the token expires.
  const client = new ChatClient({ url: scheme + location.host + '/ws', token: () => demoToken(state.userId) });
  state.client = client;
  client.on('state', onState);
  client.on('message', onLiveMessage);
  client.on('typing', (event) => event.userId !== state.userId && showTyping(event.chatId, event.userId, event.active));
  client.on('read', (event) => {
    if (!state.reads.has(event.chatId)) {
      state.reads.set(event.chatId, new Map());
    }
    state.reads.get(event.chatId).set(event.userId, event.seq);
    renderHeader(state);
  });
  client.on('presence', (event) => {
    state.online.set(event.userId, event.online);
    renderChats(state, openChat);
    renderHeader(state);
  });
  client.on('chat_joined', (event) => {
    addChat(event.chat);
    renderChats(state, openChat);
    refreshPresence().catch(report);
  });
  client.on('chat_left', (event) => {
    state.chats.delete(event.chatId);
    if (state.current === event.chatId) {
      state.current = null;
    }
    render(state, actions);
  });
  client.on('error', report);
  client.connect().catch(report);
}

function onState(event) {
  if (event.state === 'connected') {
    setStatus('online', 'online');
    // Rebuilt from `connected`: chats created or left while this page was away show up without a reload.
    loadChats().catch(report);
  } else if (event.state === 'connecting') {
    setStatus('connecting', 'connecting…');
  } else {
    const retry = event.retryInMs === undefined ? '' : ', retrying in ' + Math.ceil(event.retryInMs / 1000) + ' s';
    setStatus('offline', 'offline' + (event.code ? ' (' + event.code + ')' : '') + retry);
  }
}

async function loadChats() {
  const chats = await state.client.api.chats();
  const ids = new Set(chats.map((chat) => chat.id));
  for (const chatId of [...state.chats.keys()]) {
    if (!ids.has(chatId)) {
      state.chats.delete(chatId);
    }
  }
  chats.forEach(addChat);
  if (state.current && !state.chats.has(state.current)) {
    state.current = null;
  }
  await Promise.all(chats.map((chat) => loadLatest(chat.id)));
  render(state, actions);
  await refreshPresence();
  if (!state.current && state.chats.size > 0) {
    await openChat(mostActiveChat());
  }
}

/** The newest message of a chat, for its place in the list: chats are ordered by their latest activity. */
async function loadLatest(chatId) {
  const entry = state.chats.get(chatId);
  if (entry && entry.messages.size === 0) {
    (await state.client.api.history(chatId, { limit: 1 })).forEach(remember);
  }
}

function mostActiveChat() {
  return [...state.chats.entries()].sort(([, a], [, b]) => b.activity - a.activity)[0][0];
}

async function refreshPresence() {
  const others = new Set();
  for (const entry of state.chats.values()) {
    entry.chat.participants.filter((p) => p !== state.userId).forEach((p) => others.add(p));
  }
  if (others.size === 0) {
    return;
  }
  const presence = await state.client.api.presence([...others].slice(0, 200));
  for (const [userId, online] of Object.entries(presence)) {
    state.online.set(userId, online);
  }
  renderChats(state, openChat);
  renderHeader(state);
}

/** The newest page of the open chat; older pages come as the user scrolls up (`loadOlder`). */
async function loadHistory(chatId) {
  const messages = await state.client.api.history(chatId, { limit: PAGE });
  messages.forEach(remember);
  const entry = state.chats.get(chatId);
  if (entry && messages.length < PAGE) {
    entry.complete = true;
  }
  if (chatId === state.current) {
    renderMessages(state, actions, { toBottom: true });
    markRead();
  }
}

async function loadOlder() {
  const chatId = state.current;
  const entry = state.chats.get(chatId);
  if (!entry || entry.complete || entry.loadingOlder || entry.messages.size === 0) {
    return;
  }
  entry.loadingOlder = true;
  renderMessages(state, actions);
  try {
    const oldest = Math.min(...[...entry.messages.values()].map((m) => m.seq));
    const older = await state.client.api.history(chatId, { before: oldest, limit: PAGE });
    older.forEach(remember);
    entry.complete = older.length < PAGE;
  } finally {
    entry.loadingOlder = false;
    if (chatId === state.current) {
      renderMessages(state, actions); // keeps the message the user is reading where it is
    }
  }
}

function addChat(chat) {
  if (!state.chats.has(chat.id)) {
    state.chats.set(chat.id, { chat, messages: new Map(), pending: new Map(), unread: 0,
      activity: Date.parse(chat.createdAt) || 0, complete: false, loadingOlder: false });
  } else {
    state.chats.get(chat.id).chat = chat;
  }
}

/** Keeps a message of a known chat; false when the chat is unknown or the message was seen before. */
function remember(message) {
  const entry = state.chats.get(message.chatId);
  if (!entry || entry.messages.has(message.id)) {
    return false;
  }
  entry.messages.set(message.id, message);
  entry.activity = Math.max(entry.activity, Date.parse(message.createdAt) || 0);
  return true;
}

function onLiveMessage(message) {
  if (!state.chats.has(message.chatId)) {
    loadChats().catch(report);
    return;
  }
  if (!remember(message)) {
    return;
  }
  if (message.senderId !== state.userId) {
    showTyping(message.chatId, message.senderId, false);
  }
  if (message.chatId === state.current) {
    const followed = renderMessages(state, actions);
    if (!followed && message.senderId !== state.userId) {
      $('jump-latest').hidden = false; // the user is reading older messages: say so instead of jumping
    }
    if (document.visibilityState === 'visible') {
      markRead();
    }
  } else if (message.senderId !== state.userId) {
    state.chats.get(message.chatId).unread += 1;
  }
  renderChats(state, openChat);
}

function markRead() {
  const entry = state.chats.get(state.current);
  if (entry && entry.messages.size > 0) {
    state.client.read(state.current, Math.max(...[...entry.messages.values()].map((m) => m.seq)));
  }
}

function showTyping(chatId, userId, active) {
  if (!state.typing.has(chatId)) {
    state.typing.set(chatId, new Map());
  }
  const typists = state.typing.get(chatId);
  clearTimeout(typists.get(userId));
  if (active) {
    typists.set(userId, setTimeout(() => showTyping(chatId, userId, false), 4000));
  } else {
    typists.delete(userId);
  }
  renderTyping(state);
}

function report(error) {
  showToast(error?.message ?? String(error));
}

// What the user does.

async function openChat(chatId) {
  state.current = chatId;
  state.chats.get(chatId).unread = 0;
  $('jump-latest').hidden = true;
  render(state, actions);
  await loadHistory(chatId);
}

async function startChat(event) {
  event.preventDefault();
  const participants = $('new-chat-users').value.split(',').map((s) => s.trim()).filter((s) => s);
  const name = $('new-chat-name').value.trim() || undefined;
  try {
    const chat = await state.client.api.createChat(participants, name);
    addChat(chat);
    $('new-chat').reset();
    await openChat(chat.id);
    await refreshPresence();
  } catch (e) {
    report(e);
  }
}

/** Shows the text as pending at once; it turns into the stored message on its ack, or stays as failed. */
function sendText(chatId, text, localId = state.nextLocalId++) {
  const entry = state.chats.get(chatId);
  const send = { localId, chatId, text, status: 'pending', error: null };
  entry.pending.set(localId, send);
  renderMessages(state, actions, { toBottom: true });
  state.client.send(chatId, text).then((message) => {
    entry.pending.delete(localId);
    remember(message);
    renderMessages(state, actions);
    renderChats(state, openChat);
  }, (error) => {
    send.status = 'failed';
    send.error = error.code ? error.code + ': ' + error.message : error.message;
    renderMessages(state, actions);
  });
}

/** The one place the page uploads; the composer shows how far the upload is while it goes. */
async function sendFiles(chatId, text, files) {
  const progress = $('upload-progress');
  progress.removeAttribute('value'); // indeterminate until the first progress event
  $('upload-label').textContent = 'Sending ' + files.map((file) => file.name).join(', ');
  $('upload').hidden = false;
  const onProgress = (sent, total) => {
    if (total) {
      progress.value = sent / total;
    }
  };
  let messages;
  try {
    messages = await state.client.api.upload(chatId, files, { text, onProgress });
  } finally {
    $('upload').hidden = true;
  }
  messages.forEach(remember);
  if (chatId === state.current) {
    renderMessages(state, actions, { toBottom: true });
  }
  renderChats(state, openChat);
}

async function onSubmit(event) {
  event.preventDefault();
  const chatId = state.current;
  const text = $('text').value.trim();
  const files = state.files;
  if (!chatId || (!text && files.length === 0)) {
    return;
  }
  setText('');
  setFiles([]);
  if (files.length === 0) {
    sendText(chatId, text);
    return;
  }
  try {
    await sendFiles(chatId, text, files);
  } catch (e) {
    setText(text); // the text is kept when a file is refused; the files stay cleared, so the next send can go
    report(new Error(files.map((file) => file.name).join(', ') + ' not sent: ' + e.message));
  }
}

function setText(text) {
  const input = $('text');
  input.value = text;
  fitText();
}

/** The composer grows with its lines, up to a bound set in the CSS. */
function fitText() {
  const input = $('text');
  input.style.height = 'auto';
  input.style.height = input.scrollHeight + 'px';
}

function setFiles(files) {
  state.files = files;
  renderChosenFiles(state, (file) => setFiles(state.files.filter((chosen) => chosen !== file)));
}

function onTextKey(event) {
  // Enter sends, Shift+Enter is a new line; Enter that ends an IME composition only ends the composition.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
}

function onMessagesScroll() {
  const list = $('messages');
  if (isAtBottom(list)) {
    $('jump-latest').hidden = true;
  }
  if (list.scrollTop < list.clientHeight / 2) {
    loadOlder().catch(report);
  }
}

const actions = {
  openChat,
  retry(send) {
    state.chats.get(send.chatId).pending.delete(send.localId);
    sendText(send.chatId, send.text, send.localId);
  },
  dismiss(send) {
    state.chats.get(send.chatId).pending.delete(send.localId);
    renderMessages(state, actions);
  },
  mediaUrl(attachment) {
    if (!state.media.has(attachment.mediaId)) {
      // Media needs the bearer token, which an <img src> cannot send: fetch it and show a blob URL.
      const blob = state.client.api.media(attachment.url);
      state.media.set(attachment.mediaId, blob.then((bytes) => URL.createObjectURL(bytes)));
    }
    return state.media.get(attachment.mediaId);
  },
  async download(attachment) {
    // A blob URL has no name of its own: the download attribute gives the file its original one.
    const link = document.createElement('a');
    link.href = await actions.mediaUrl(attachment);
    link.download = attachment.name || 'file';
    link.click();
  },
};

function start(userId) {
  state.userId = userId;
  localStorage.setItem(SESSION_KEY, JSON.stringify({ userId }));
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('me').textContent = 'signed in as ' + userId;
  connect();
}

function init() {
  $('sign-in-form').onsubmit = async (event) => {
    event.preventDefault();
    const userId = $('sign-in-user').value.trim();
    try {
      await demoToken(userId); // says now, not in a retry loop, when the server refuses the name
      start(userId);
    } catch (e) {
      report(e);
    }
  };
  $('sign-out').onclick = signOut;
  $('new-chat').onsubmit = startChat;
  $('composer').onsubmit = onSubmit;
  $('text').oninput = () => {
    fitText();
    if (state.current) {
      state.client.typing(state.current);
    }
  };
  $('text').onkeydown = onTextKey;
  $('files').onchange = () => {
    setFiles([...state.files, ...$('files').files]);
    $('files').value = ''; // the same file can be chosen again after it was removed
  };
  $('messages').onscroll = onMessagesScroll;
  $('jump-latest').onclick = () => {
    $('jump-latest').hidden = true;
    renderMessages(state, actions, { toBottom: true });
  };
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && markRead());

  // #as=alice signs in straight away (handy for a second window, or a headless browser).
  const asUser = new URLSearchParams(location.hash.slice(1)).get('as');
  const saved = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null');
  if (asUser || saved) {
    start(asUser || saved.userId);
  }
}

init();
