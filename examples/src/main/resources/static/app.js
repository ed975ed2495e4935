// Chatwire demo client: plain JavaScript, no build step. See docs/protocol.md for the frames.
'use strict';

const $ = (id) => document.getElementById(id);
const SESSION_KEY = 'chatwire.session';

const state = {
  userId: null,
  token: null,
  socket: null,
  connected: false,
  retryDelay: 1000,
  retryTimer: null,
  chats: new Map(),      // chatId -> { chat, messages: Map(messageId -> message), unread }
  current: null,         // the open chatId
  online: new Map(),     // userId -> boolean
  typing: new Map(),     // chatId -> Map(userId -> timer)
  reads: new Map(),      // chatId -> Map(userId -> seq)
  lastTypingSent: 0,
  media: new Map(),      // mediaId -> Promise<object URL>
};

// ---- Session (demo sign-in) ------------------------------------------------------------------------------------

async function signIn(userId) {
  // DEMO ONLY: /demo/token signs anyone in as anyone. A real app gets its JWT from its identity provider.
  const response = await fetch('/demo/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error ? body.error.message : 'sign-in failed');
  }
  state.userId = body.userId;
  state.token = body.token;
  localStorage.setItem(SESSION_KEY, JSON.stringify({ userId: state.userId, token: state.token }));
}

function signOut() {
  localStorage.removeItem(SESSION_KEY);
  state.userId = null;
  state.token = null;
  clearTimeout(state.retryTimer);
  if (state.socket) {
    state.socket.onclose = null;
    state.socket.close(1000, 'signed out');
  }
  location.hash = '';
  location.reload();
}

// ---- Last seen seq per chat, kept across reloads so a reconnect resumes where it stopped ------------------------

function seqsKey() {
  return 'chatwire.seqs.' + state.userId;
}

function lastSeqs() {
  try {
    return JSON.parse(localStorage.getItem(seqsKey())) || {};
  } catch (e) {
    return {};
  }
}

function noteSeq(chatId, seq) {
  const seqs = lastSeqs();
  if (!(seqs[chatId] >= seq)) {
    seqs[chatId] = seq;
    localStorage.setItem(seqsKey(), JSON.stringify(seqs));
  }
}

// ---- REST ------------------------------------------------------------------------------------------------------

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: 'Bearer ' + state.token }, options.headers || {});
  const response = await fetch('/api' + path, Object.assign({}, options, { headers }));
  if (response.status === 204) {
    return null;
  }
  const body = await response.json();
  if (!response.ok) {
    if (response.status === 401) {
      await renewToken();
    }
    throw new Error(body.error ? body.error.message : response.statusText);
  }
  return body;
}

async function renewToken() {
  // DEMO ONLY: a real app would refresh the token with its identity provider.
  await signIn(state.userId);
}

async function loadChats() {
  const body = await api('/chats');
  for (const chat of body.chats) {
    addChat(chat);
  }
  renderChats();
  await refreshPresence();
}

async function refreshPresence() {
  const others = new Set();
  for (const entry of state.chats.values()) {
    entry.chat.participants.filter((p) => p !== state.userId).forEach((p) => others.add(p));
  }
  if (others.size === 0) {
    return;
  }
  const body = await api('/presence?users=' + encodeURIComponent([...others].slice(0, 200).join(',')));
  for (const [userId, online] of Object.entries(body.presence)) {
    state.online.set(userId, online);
  }
  renderChats();
  renderHeader();
}

async function loadHistory(chatId) {
  const body = await api('/chats/' + encodeURIComponent(chatId) + '/messages?limit=100');
  for (const message of body.messages) {
    addMessage(message, false);
  }
  renderMessages();
  markRead();
}

// ---- WebSocket -------------------------------------------------------------------------------------------------

function connect() {
  clearTimeout(state.retryTimer);
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(scheme + location.host + '/ws');
  state.socket = socket;
  setStatus('connecting', 'connecting…');

  socket.onopen = () => {
    socket.send(JSON.stringify({ type: 'connect', token: state.token, resume: lastSeqs() }));
  };
  socket.onmessage = (message) => handle(JSON.parse(message.data));
  socket.onclose = (event) => {
    state.connected = false;
    if (state.socket !== socket) {
      return;
    }
    scheduleReconnect(event.code);
  };
}

async function scheduleReconnect(code) {
  // 4401: no valid token; 4402: the token expired. Either way, get a fresh one first.
  if (code === 4401 || code === 4402) {
    try {
      await renewToken();
    } catch (e) {
      showToast('Could not renew the token: ' + e.message);
    }
  }
  const delay = Math.min(state.retryDelay, 30000) * (0.5 + Math.random() / 2);
  state.retryDelay = Math.min(state.retryDelay * 2, 30000);
  setStatus('offline', 'offline (' + code + '), retrying in ' + Math.round(delay / 1000) + ' s');
  state.retryTimer = setTimeout(connect, delay);
}

function send(frame) {
  if (state.socket && state.connected) {
    state.socket.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

function handle(event) {
  switch (event.type) {
    case 'connected':
      state.connected = true;
      state.retryDelay = 1000;
      setStatus('online', 'online');
      if (event.chats.some((chatId) => !state.chats.has(chatId))) {
        loadChats().catch((e) => showToast(e.message));
      } else {
        refreshPresence().catch((e) => showToast(e.message));
      }
      break;
    case 'new_message':
      addMessage(event.message, true);
      break;
    case 'ack':
      addMessage(event.message, false);
      break;
    case 'typing':
      // The user's other devices see its typing too; this page shows only other people's.
      if (event.userId !== state.userId) {
        showTyping(event.chatId, event.userId, event.active);
      }
      break;
    case 'read':
      if (!state.reads.has(event.chatId)) {
        state.reads.set(event.chatId, new Map());
      }
      state.reads.get(event.chatId).set(event.userId, event.seq);
      renderHeader();
      break;
    case 'presence':
      state.online.set(event.userId, event.online);
      renderChats();
      renderHeader();
      break;
    case 'chat_joined':
      addChat(event.chat);
      renderChats();
      refreshPresence().catch((e) => showToast(e.message));
      break;
    case 'chat_left':
      state.chats.delete(event.chatId);
      if (state.current === event.chatId) {
        state.current = null;
        renderConversation();
      }
      renderChats();
      break;
    case 'error':
      showToast(event.message);
      break;
    default:
      break;
  }
}

// ---- State -----------------------------------------------------------------------------------------------------

function addChat(chat) {
  if (!state.chats.has(chat.id)) {
    state.chats.set(chat.id, { chat, messages: new Map(), unread: 0 });
  } else {
    state.chats.get(chat.id).chat = chat;
  }
}

function addMessage(message, live) {
  const entry = state.chats.get(message.chatId);
  if (!entry) {
    loadChats().catch((e) => showToast(e.message));
    return;
  }
  noteSeq(message.chatId, message.seq);
  if (entry.messages.has(message.id)) {
    return;
  }
  entry.messages.set(message.id, message);
  if (message.senderId !== state.userId) {
    showTyping(message.chatId, message.senderId, false);
  }
  if (message.chatId === state.current) {
    renderMessages();
    if (live && document.visibilityState === 'visible') {
      markRead();
    }
  } else if (live && message.senderId !== state.userId) {
    entry.unread += 1;
    renderChats();
  }
}

function markRead() {
  const entry = state.chats.get(state.current);
  if (!entry || entry.messages.size === 0) {
    return;
  }
  const seq = Math.max(...[...entry.messages.values()].map((m) => m.seq));
  send({ type: 'read', chatId: state.current, seq });
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
  renderTyping();
}

// ---- Rendering (text only ever goes through textContent) ---------------------------------------------------------

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

function chatTitle(chat) {
  const others = chat.participants.filter((p) => p !== state.userId);
  return chat.name || others.join(', ') || 'just you';
}

function renderChats() {
  const list = $('chats');
  list.replaceChildren();
  for (const [chatId, entry] of state.chats) {
    const item = el('li', chatId === state.current ? 'chat current' : 'chat');
    item.append(el('span', 'chat-title', chatTitle(entry.chat)));
    const people = el('span', 'people');
    for (const participant of entry.chat.participants.filter((p) => p !== state.userId)) {
      const person = el('span', state.online.get(participant) ? 'person online' : 'person', participant);
      person.title = state.online.get(participant) ? 'online' : 'offline';
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

function renderHeader() {
  const header = $('chat-header');
  const entry = state.chats.get(state.current);
  header.replaceChildren();
  if (!entry) {
    header.textContent = 'Pick or start a chat';
    return;
  }
  header.append(el('strong', null, chatTitle(entry.chat)));
  for (const participant of entry.chat.participants.filter((p) => p !== state.userId)) {
    const online = state.online.get(participant);
    header.append(el('span', online ? 'person online' : 'person', participant + (online ? ' online' : ' offline')));
  }
  const reads = state.reads.get(state.current);
  if (reads) {
    for (const [userId, seq] of reads) {
      if (userId !== state.userId) {
        header.append(el('span', 'read-receipt', userId + ' read up to #' + seq));
      }
    }
  }
}

function renderMessages() {
  const list = $('messages');
  const entry = state.chats.get(state.current);
  list.replaceChildren();
  if (!entry) {
    return;
  }
  const messages = [...entry.messages.values()].sort((a, b) => a.seq - b.seq);
  for (const message of messages) {
    const mine = message.senderId === state.userId;
    const item = el('li', mine ? 'message mine' : 'message');
    item.append(el('span', 'meta', (mine ? 'you' : message.senderId) + ' · #' + message.seq + ' · '
      + new Date(message.createdAt).toLocaleTimeString()));
    if (message.text) {
      item.append(el('span', 'text', message.text));
    }
    if (message.attachment) {
      item.append(renderAttachment(message));
    }
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

function renderAttachment(message) {
  const attachment = message.attachment;
  if (message.type === 'image') {
    const image = el('img', 'image');
    image.alt = attachment.name || 'image';
    image.onload = () => {
      const list = $('messages');
      list.scrollTop = list.scrollHeight;
    };
    mediaUrl(attachment).then((url) => { image.src = url; }).catch(() => { image.alt = 'image unavailable'; });
    return image;
  }
  const link = el('a', 'file', (attachment.name || 'file') + ' (' + attachment.mimeType + ')');
  link.href = '#';
  link.onclick = async (event) => {
    event.preventDefault();
    window.open(await mediaUrl(attachment), '_blank', 'noopener');
  };
  return link;
}

// Media needs the bearer token, which an <img src> cannot send: fetch it and show a blob URL.
function mediaUrl(attachment) {
  if (!state.media.has(attachment.mediaId)) {
    state.media.set(attachment.mediaId, fetch(attachment.url, {
      headers: { Authorization: 'Bearer ' + state.token },
    }).then((response) => {
      if (!response.ok) {
        throw new Error('media ' + response.status);
      }
      return response.blob();
    }).then((blob) => URL.createObjectURL(blob)));
  }
  return state.media.get(attachment.mediaId);
}

function renderTyping() {
  const typists = state.typing.get(state.current);
  const names = typists ? [...typists.keys()] : [];
  $('typing').textContent = names.length === 0 ? '' : names.join(', ') + (names.length === 1 ? ' is' : ' are')
    + ' typing…';
}

function renderConversation() {
  $('composer').hidden = !state.current;
  renderHeader();
  renderMessages();
  renderTyping();
}

function setStatus(kind, text) {
  const status = $('status');
  status.className = 'status ' + kind;
  status.textContent = text;
}

function showToast(text) {
  const toast = $('toast');
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => { toast.hidden = true; }, 5000);
}

// ---- Actions ---------------------------------------------------------------------------------------------------

async function openChat(chatId) {
  state.current = chatId;
  const entry = state.chats.get(chatId);
  entry.unread = 0;
  renderChats();
  renderConversation();
  await loadHistory(chatId);
}

async function startChat(event) {
  event.preventDefault();
  const participants = $('new-chat-users').value.split(',').map((s) => s.trim()).filter((s) => s);
  const name = $('new-chat-name').value.trim() || null;
  try {
    const body = await api('/chats', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ participants, name }),
    });
    addChat(body.chat);
    $('new-chat').reset();
    await openChat(body.chat.id);
    await refreshPresence();
  } catch (e) {
    showToast(e.message);
  }
}

async function sendMessage(event) {
  event.preventDefault();
  const chatId = state.current;
  const text = $('text').value.trim();
  const files = [...$('files').files];
  if (!chatId || (!text && files.length === 0)) {
    return;
  }
  const clientMessageId = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
  try {
    if (files.length > 0) {
      const form = new FormData();
      form.append('chatId', chatId);
      form.append('clientMessageId', clientMessageId);
      if (text) {
        form.append('text', text);
      }
      files.forEach((file) => form.append('files', file, file.name));
      const body = await api('/messages', { method: 'POST', body: form });
      body.messages.forEach((message) => addMessage(message, false));
    } else if (!send({ type: 'send', chatId, text, clientMessageId })) {
      const body = await api('/messages', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chatId, text, clientMessageId }),
      });
      body.messages.forEach((message) => addMessage(message, false));
    }
    $('composer').reset();
    send({ type: 'typing', chatId, active: false });
    state.lastTypingSent = 0;
  } catch (e) {
    showToast(e.message);
  }
}

function onTyping() {
  const now = Date.now();
  if (state.current && now - state.lastTypingSent > 2000) {
    state.lastTypingSent = now;
    send({ type: 'typing', chatId: state.current, active: true });
  }
}

async function start() {
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('me').textContent = 'signed in as ' + state.userId;
  connect();
  try {
    await loadChats();
    if (!state.current && state.chats.size > 0) {
      await openChat(state.chats.keys().next().value);
    }
  } catch (e) {
    showToast(e.message);
  }
}

async function init() {
  $('sign-in-form').onsubmit = async (event) => {
    event.preventDefault();
    try {
      await signIn($('sign-in-user').value.trim());
      await start();
    } catch (e) {
      showToast(e.message);
    }
  };
  $('sign-out').onclick = signOut;
  $('new-chat').onsubmit = startChat;
  $('composer').onsubmit = sendMessage;
  $('text').oninput = onTyping;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      markRead();
    }
  });

  // #as=alice signs in straight away (handy for a second window, or a headless browser).
  const asUser = new URLSearchParams(location.hash.slice(1)).get('as');
  const saved = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null');
  if (asUser && (!saved || saved.userId !== asUser)) {
    try {
      await signIn(asUser);
      await start();
    } catch (e) {
      showToast(e.message);
    }
  } else if (saved) {
    state.userId = saved.userId;
    state.token = saved.token;
    await start();
  }
}

init();
