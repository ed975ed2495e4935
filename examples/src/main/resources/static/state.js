// The demo page's model: what it knows of the user's chats, filled from the client's events and the REST API and
// read by the rendering. No DOM here.

export const state = {
  userId: null,
  client: null,
  chats: new Map(),      // chatId -> entry, see addChat
  current: null,         // the open chatId
  online: new Map(),     // userId -> boolean
  typing: new Map(),     // chatId -> Map(userId -> timer)
  reads: new Map(),      // chatId -> Map(userId -> seq): how far each participant has read
  media: new Map(),      // mediaId -> Promise<object URL>
  files: [],             // the files chosen for the next send
  editing: null,         // the own message the composer edits, and the draft set aside for it; or null
  nextLocalId: 1,
};

/**
 * Adds a chat, or updates a known one. An entry holds the loaded messages by id, the own sends not yet acknowledged,
 * the unread count and the seq it was counted at, the latest activity (ms) for the list's order, and whether the
 * oldest message is loaded.
 */
export function addChat(chat) {
  if (!state.chats.has(chat.id)) {
    state.chats.set(chat.id, { chat, messages: new Map(), pending: new Map(), unread: 0, unreadAsOf: 0,
      activity: Date.parse(chat.createdAt) || 0, complete: false, loadingOlder: false });
  } else {
    state.chats.get(chat.id).chat = chat;
  }
}

/** Keeps a message of a known chat; false when the chat is unknown or the message was seen before. */
export function remember(message) {
  const entry = state.chats.get(message.chatId);
  if (!entry || entry.messages.has(message.id)) {
    return false;
  }
  entry.messages.set(message.id, message);
  entry.activity = Math.max(entry.activity, Date.parse(message.createdAt) || 0);
  return true;
}

/**
 * Puts a message's new state (from `message_updated`) in place of the one shown; false unless it is loaded. A message
 * not loaded yet comes in its current state with the history, so it is not added here out of its place.
 */
export function replace(message) {
  const entry = state.chats.get(message.chatId);
  if (!entry || !entry.messages.has(message.id)) {
    return false;
  }
  entry.messages.set(message.id, message);
  return true;
}

/**
 * Takes what the server says of a chat's reading (from `connected` or `chat_joined`): the unread count, counted when
 * the chat was at `asOf`, and how far the others have read. Live messages up to `asOf` (a resume replays them) are
 * already in the count.
 */
export function setReadState(chatId, unread, readBy, asOf) {
  const entry = state.chats.get(chatId);
  if (!entry) {
    return;
  }
  entry.unread = chatId === state.current ? 0 : unread ?? 0;
  entry.unreadAsOf = asOf ?? 0;
  for (const [userId, seq] of Object.entries(readBy ?? {})) {
    noteRead(chatId, userId, seq);
  }
}

/** A live message from someone else in a chat not being read: one more unread, unless the count has it already. */
export function countUnread(message) {
  const entry = state.chats.get(message.chatId);
  if (entry && message.senderId !== state.userId && message.seq > entry.unreadAsOf) {
    entry.unread += 1;
  }
}

/**
 * Takes who is online now, per chat (`connected`'s `online`): a participant listed in any chat is online, the others
 * are not. (Each list holds only those whose presence the user may see there.)
 */
export function setOnline(byChat) {
  const online = new Set(Object.values(byChat ?? {}).flat());
  for (const entry of state.chats.values()) {
    for (const participant of entry.chat.participants) {
      state.online.set(participant, online.has(participant));
    }
  }
}

/** Records that a user read a chat up to `seq`; a read never moves back. */
export function noteRead(chatId, userId, seq) {
  if (!state.reads.has(chatId)) {
    state.reads.set(chatId, new Map());
  }
  const reads = state.reads.get(chatId);
  reads.set(userId, Math.max(seq, reads.get(userId) ?? 0));
}

/** The user read a chat on another device up to `seq`: what is left unread is what came after it. */
export function readElsewhere(chatId, seq) {
  const entry = state.chats.get(chatId);
  if (entry) {
    const after = [...entry.messages.values()].filter((m) => m.senderId !== state.userId && m.seq > seq).length;
    entry.unread = Math.min(entry.unread, after);
  }
}

/** The open chat is read up to its newest entry: its badge goes, and the server stores the read. */
export function markRead() {
  const entry = state.chats.get(state.current);
  if (entry) {
    entry.unread = 0;
    state.client.read(state.current);
  }
}

/** The others who have read at least up to this message. */
export function seenBy(message) {
  const reads = state.reads.get(message.chatId) ?? new Map();
  return [...reads].filter(([userId, seq]) => userId !== state.userId && seq >= message.seq).map(([userId]) => userId);
}

/** The user's own newest stored message in a chat, where "seen" shows; undefined if none. */
export function newestOwn(chatId) {
  const entry = state.chats.get(chatId);
  let newest;
  for (const message of entry?.messages.values() ?? []) {
    if (message.senderId === state.userId && !message.deleted && (!newest || message.seq > newest.seq)) {
      newest = message;
    }
  }
  return newest;
}
