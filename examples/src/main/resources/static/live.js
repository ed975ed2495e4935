// What the socket tells the page: each client event updates the model (state.js) and redraws what it touched.
import { loadChats } from './chats.js';
import { redrawAll, redrawChats, redrawHeader, redrawMessages, redrawTyping } from './redraw.js';
import {
  addChat, countUnread, markRead, noteRead, readElsewhere, remember, replace, setReadState, state,
} from './state.js';
import { $, setStatus, showToast } from './view.js';

/** Listens to every event of the client the page uses. */
export function listen(client) {
  client.on('state', onState);
  client.on('message', onMessage);
  client.on('message_updated', onUpdated);
  client.on('typing', (event) => event.userId !== state.userId && showTyping(event.chatId, event.userId, event.active));
  client.on('read', onRead);
  client.on('presence', (event) => {
    state.online.set(event.userId, event.online);
    redrawChats();
    redrawHeader();
  });
  client.on('chat_joined', onJoined);
  client.on('chat_left', (event) => {
    state.chats.delete(event.chatId);
    if (state.current === event.chatId) {
      state.current = null;
    }
    redrawAll();
  });
  client.on('error', report);
}

/** Shows an error in the toast. */
export function report(error) {
  showToast(error?.message ?? String(error));
}

function onState(event) {
  if (event.state === 'connected') {
    setStatus('online', 'online');
    // Rebuilt from `connected`: chats created or left while this page was away show up without a reload.
    loadChats(event).catch(report);
  } else if (event.state === 'connecting') {
    setStatus('connecting', 'connecting…');
  } else {
    const retry = event.retryInMs === undefined ? '' : ', retrying in ' + Math.ceil(event.retryInMs / 1000) + ' s';
    setStatus('offline', 'offline' + (event.code ? ' (' + event.code + ')' : '') + retry);
  }
}

function onJoined(event) {
  addChat(event.chat);
  setReadState(event.chatId, event.unread, event.readBy, event.seq);
  for (const userId of event.online ?? []) {
    state.online.set(userId, true);
  }
  redrawChats();
  redrawHeader();
}

function onMessage(message) {
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
    const followed = redrawMessages();
    if (!followed && message.senderId !== state.userId) {
      $('jump-latest').hidden = false; // the user is reading older messages: say so instead of jumping
    }
    if (document.visibilityState === 'visible') {
      markRead();
    }
  } else {
    countUnread(message);
  }
  redrawChats();
}

/** An edit, a delete or a reaction: the message is redrawn in its new state where it is. */
function onUpdated(event) {
  if (replace(event.message) && event.chatId === state.current) {
    redrawMessages();
  }
}

function onRead(event) {
  noteRead(event.chatId, event.userId, event.seq);
  if (event.userId === state.userId) {
    readElsewhere(event.chatId, event.seq);
    redrawChats();
  }
  redrawHeader();
  if (event.chatId === state.current) {
    redrawMessages();
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
  redrawTyping();
}
