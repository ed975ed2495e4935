// Chatwire demo page: the UI on top of @chatwire/client, which does the connection, resume, dedupe, token refresh
// and the outbox. Plain JavaScript modules, no build step. See docs/protocol.md for the frames. This module signs in,
// connects, and wires the page's controls; the model is state.js, the socket's events live.js, the chat list and
// the open chat chats.js, the composer composer.js, the rendering view.js and message-view.js.
import { ChatClient } from './client/index.js';
import { loadOlder, openChat, startChat } from './chats.js';
import { cancelEdit, initComposer, sendText, startEdit } from './composer.js';
import { listen, report } from './live.js';
import { isAtBottom } from './message-view.js';
import { redrawMessages, useActions } from './redraw.js';
import { markRead, state } from './state.js';
import { $ } from './view.js';

const SESSION_KEY = 'chatwire.session';

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
  listen(client);
  client.connect().catch(report);
}

/** What the rendered buttons do. */
const actions = {
  openChat: (chatId) => openChat(chatId).catch(report),
  retry(send) {
    state.chats.get(send.chatId).pending.delete(send.localId);
    sendText(send.chatId, send.text, send.localId);
  },
  dismiss(send) {
    state.chats.get(send.chatId).pending.delete(send.localId);
    redrawMessages();
  },
  edit: startEdit,
  // A change shows when its message_updated comes, for this page as for every other: only a refusal is shown here.
  remove(message) {
    if (state.editing?.messageId === message.id) {
      cancelEdit();
    }
    state.client.deleteMessage(message.chatId, message.id).catch(report);
  },
  react(message, emoji, active) {
    state.client.react(message.chatId, message.id, emoji, active).catch(report);
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

async function onNewChat(event) {
  event.preventDefault();
  const participants = $('new-chat-users').value.split(',').map((s) => s.trim()).filter((s) => s);
  const name = $('new-chat-name').value.trim() || undefined;
  try {
    await startChat(participants, name);
    $('new-chat').reset();
  } catch (e) {
    report(e);
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
  useActions(actions);
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
  $('new-chat').onsubmit = onNewChat;
  initComposer();
  $('messages').onscroll = onMessagesScroll;
  $('jump-latest').onclick = () => {
    $('jump-latest').hidden = true;
    redrawMessages({ toBottom: true });
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
