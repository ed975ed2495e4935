// The chat list and the open chat: loaded from the REST API, opened, started. The socket's events (live.js) keep them
// current afterwards.
import { cancelEdit } from './composer.js';
import { redrawAll, redrawChats, redrawMessages } from './redraw.js';
import { addChat, markRead, remember, setOnline, setReadState, state } from './state.js';
import { $ } from './view.js';

const PAGE = 100; // messages per history request, the server's most

/**
 * Rebuilds the chat list: chats made or left while the page was away show up or go, each with its newest message for
 * its place in the list. After a `connected` (passed in), each also takes the server's unread count, reads and
 * presence. Opens the most active chat if none is open.
 */
export async function loadChats(connected) {
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
  if (connected) {
    for (const chatId of ids) {
      setReadState(chatId, connected.unread[chatId], connected.readBy[chatId], connected.seqs[chatId]);
    }
    setOnline(connected.online);
  }
  await Promise.all(chats.map((chat) => loadLatest(chat.id)));
  redrawAll();
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

/** Opens a chat: its badge goes, and its newest page loads (and is marked read). */
export async function openChat(chatId) {
  if (state.current !== chatId) {
    cancelEdit();
  }
  state.current = chatId;
  state.chats.get(chatId).unread = 0;
  $('jump-latest').hidden = true;
  redrawAll();
  await loadHistory(chatId);
}

/** Starts a chat with the people the form names, and opens it. */
export async function startChat(participants, name) {
  const chat = await state.client.api.createChat(participants, name);
  addChat(chat);
  await openChat(chat.id);
}

/** The newest page of a chat; older pages come as the user scrolls up (`loadOlder`). */
async function loadHistory(chatId) {
  const messages = await state.client.api.history(chatId, { limit: PAGE });
  messages.forEach(remember);
  const entry = state.chats.get(chatId);
  if (entry && messages.length < PAGE) {
    entry.complete = true;
  }
  if (chatId === state.current) {
    redrawMessages({ toBottom: true });
    markRead();
    redrawChats();
  }
}

/** The page before the oldest loaded message of the open chat, unless the chat's start is loaded. */
export async function loadOlder() {
  const chatId = state.current;
  const entry = state.chats.get(chatId);
  if (!entry || entry.complete || entry.loadingOlder || entry.messages.size === 0) {
    return;
  }
  entry.loadingOlder = true;
  redrawMessages();
  try {
    const oldest = Math.min(...[...entry.messages.values()].map((m) => m.seq));
    const older = await state.client.api.history(chatId, { before: oldest, limit: PAGE });
    older.forEach(remember);
    entry.complete = older.length < PAGE;
  } finally {
    entry.loadingOlder = false;
    if (chatId === state.current) {
      redrawMessages(); // keeps the message the user is reading where it is
    }
  }
}
