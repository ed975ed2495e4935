import { Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { ChatError } from './errors.js';
import { deleteCommand, editCommand, reactCommand, sendCommand } from './commands.js';
import { checkFrame, DEFAULT_LIMITS } from './limits.js';
import { Watchdog } from './liveness.js';
import { Outbox } from './outbox.js';
import { ReadReceipts } from './reads.js';
import { RestApi } from './rest.js';
import { SeqLog } from './seqs.js';
import { defaultStorage } from './storage.js';
import { Timers } from './timers.js';
import { TokenSource } from './tokens.js';

// Close codes after which the token itself is the problem: ask the application for a new one.
const TOKEN_CLOSES = new Set([4401, 4402]);
// The events the server sends that reach the application as they are.
const PLAIN_EVENTS = new Set(['typing', 'read', 'presence', 'chat_updated']);

const SYSTEM_CLOCK = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
});

/**
 * A connection to a Chatwire server that stays up: it reconnects with backoff, resumes every chat from the last seq
 * it delivered, hands the application each message once and in order, refreshes the token before it expires, and
 * sends each message exactly once from the user's point of view. See `index.d.ts` for the options and events.
 */
export class ChatClient {
  #url;
  #limits;
  #clock;
  #WebSocket;
  #window;
  #tokens;
  #seqs;
  #backoff;
  #outbox;
  #watchdog;
  #events = new Emitter();
  #rest;
  #typingThrottleMs;
  #connectTimeoutMs;

  #started = false;
  #closed = false;
  #socket = null;
  #state = 'disconnected';
  #userId = null;
  #timers;
  #typedAt = new Map();
  #reads = new ReadReceipts((command) => this.#write(command));
  #firstConnect = null;
  #onOnline = () => this.#retryNow();
  #onOffline = () => this.#state === 'connected' && this.#watchdog.probe();

  /** @param {import('./index.js').ChatClientOptions} options */
  constructor(options) {
    const { url, token, storage = defaultStorage(), limits = {}, clock = SYSTEM_CLOCK } = options ?? {};
    if (typeof url !== 'string') {
      throw new TypeError('url must be the server\'s WebSocket URL, e.g. wss://chat.example.com/ws');
    }
    this.#url = url;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
    this.#clock = clock;
    this.#timers = new Timers(clock);
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no global WebSocket here (Node 20): pass one, e.g. { WebSocket } from the ws package');
    }
    this.#window = options.window ?? (typeof globalThis.addEventListener === 'function' ? globalThis : null);
    this.#tokens = new TokenSource(token, () => clock.now());
    this.#seqs = new SeqLog(storage, options.storageKey ?? 'chatwire.seqs.');
    this.#backoff = new Backoff({ ...options.backoff, random: options.random ?? Math.random });
    this.#outbox = new Outbox({
      transmit: (command) => this.#write(command),
      clock,
      ackTimeoutMs: options.ackTimeoutMs ?? 15_000,
      retryMs: options.retryMs ?? 1_000,
    });
    this.#watchdog = new Watchdog({
      pingAfterMs: options.liveness?.pingAfterMs ?? 10_000,
      deadAfterMs: options.liveness?.deadAfterMs ?? 10_000,
      clock,
      ping: () => this.#write({ type: 'ping' }),
      dead: () => this.#abandon('no frame from the server in time'),
    });
    this.#typingThrottleMs = options.typingThrottleMs ?? 3_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.#rest = new RestApi(options.apiUrl ?? httpOrigin(url), this.#tokens, fetchImpl);
  }

  /** Listens to an event; returns a function that stops listening. */
  on(event, listener) {
    return this.#events.on(event, listener);
  }

  /** Stops listening. */
  off(event, listener) {
    this.#events.off(event, listener);
  }

  /** The connection's state: `connecting`, `connected` or `disconnected`. */
  get state() {
    return this.#state;
  }

  /** The signed-in user, once connected. */
  get userId() {
    return this.#userId;
  }

  /** The REST helpers: chats, history, uploads and media. */
  get api() {
    return this.#rest;
  }

  /** How many sends and changes (edits, deletes, reactions) wait for their ack. */
  get pendingSends() {
    return this.#outbox.size;
  }

  /** Opens the connection and keeps it open until `close()`; resolves with the first `connected` event. */
  connect() {
    if (this.#closed) {
      return Promise.reject(new ChatError('closed', 'this client was closed; make a new one'));
    }
    if (!this.#started) {
      this.#started = true;
      this.#firstConnect = deferred();
      this.#window?.addEventListener('online', this.#onOnline);
      this.#window?.addEventListener('offline', this.#onOffline);
      this.#open();
    }
    return this.#firstConnect.promise;
  }

  /** Closes the connection for good; waiting sends reject with `closed`. */
  close() {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#window?.removeEventListener('online', this.#onOnline);
    this.#window?.removeEventListener('offline', this.#onOffline);
    this.#stopTimers();
    this.#timers.clear('retry');
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      detach(socket);
      socket.close(1000, 'client closed');
    }
    const closed = new ChatError('closed', 'the client was closed');
    this.#outbox.failAll(closed);
    this.#firstConnect?.reject(closed);
    this.#firstConnect?.promise.catch(() => {});
    this.#setState('disconnected', { code: 1000, reason: 'client closed' });
  }

  /**
   * Sends a text message; resolves with the stored message once the server acknowledges it, however many
   * reconnects that takes. Rejects with a `ChatError` when the server refuses it for good (`forbidden`,
   * `too_large`, ...), or at once when it is over the server's limits.
   */
  send(chatId, text) {
    return this.#queue(() => {
      const command = sendCommand(chatId, text, this.#limits);
      // The message ends the typing on the other side, so the next keystroke must be able to announce it again.
      this.#typedAt.delete(chatId);
      return command;
    });
  }

  /**
   * Replaces the text of one of the user's messages; resolves with the message's new state once acknowledged.
   * Queued with the sends, in order, across reconnects; rejects as `send` does (`forbidden` for another's message,
   * `invalid` for a deleted one).
   */
  edit(chatId, messageId, text) {
    return this.#queue(() => editCommand(chatId, messageId, text, this.#limits));
  }

  /** Deletes one of the user's messages for everyone; resolves with its new state (`deleted: true`). */
  deleteMessage(chatId, messageId) {
    return this.#queue(() => deleteCommand(chatId, messageId, this.#limits));
  }

  /** Adds the user's reaction to a message, or takes it back (`active` false); resolves with the message's state. */
  react(chatId, messageId, emoji, active = true) {
    return this.#queue(() => reactCommand(chatId, messageId, emoji, active, this.#limits));
  }

  /** Says the user is typing; sent at most once per chat per throttle window, and only while connected. */
  typing(chatId) {
    const now = this.#clock.now();
    if (this.#state !== 'connected' || now - (this.#typedAt.get(chatId) ?? -Infinity) < this.#typingThrottleMs) {
      return;
    }
    this.#typedAt.set(chatId, now);
    this.#write({ type: 'typing', chatId });
  }

  /**
   * Says the user has read the chat up to `seq`, by default up to the newest timeline entry delivered in it; sent now,
   * or after the next connect if offline.
   */
  read(chatId, seq = this.#seqs.get(chatId)) {
    // Seqs start at 1: a chat without entries has nothing to read.
    if (typeof seq === 'number' && seq > 0) {
      this.#reads.read(chatId, seq, this.#state === 'connected');
    }
  }

  // The connection's life: open, authenticate, watch, lose, retry.

  async #open() {
    this.#setState('connecting');
    let token;
    try {
      token = await this.#tokens.get();
    } catch (error) {
      this.#lost(null, `token() failed: ${error?.message ?? error}`);
      return;
    }
    if (this.#closed) {
      return;
    }
    this.#seqs.useUser(this.#tokens.subject);
    let socket;
    try {
      socket = new this.#WebSocket(this.#url);
    } catch (error) {
      this.#lost(null, `cannot open ${this.#url}: ${error?.message ?? error}`);
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      this.#write({ type: 'connect', token, resume: this.#seqs.resume() });
    };
    socket.onmessage = (event) => this.#frame(event.data);
    socket.onclose = (event) => this.#lost(event.code, event.reason);
    socket.onerror = () => {}; // a close event follows with the code
    // Bounds the handshake and the server's answer to connect, which the watchdog does not cover.
    this.#timers.set('connect', this.#connectTimeoutMs, () => this.#abandon('no connected event in time'));
  }

  #frame(data) {
    this.#watchdog.heard();
    let event;
    try {
      event = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // the server sends only JSON; anything else is ignored, not fatal
    }
    switch (event.type) {
      case 'connected':
        this.#connected(event);
        break;
      case 'new_message':
        if (this.#seqs.accept(event.message)) {
          this.#events.emit('message', event.message);
        }
        break;
      case 'message_updated':
        if (this.#seqs.acceptChange(event.chatId, event.seq)) {
          this.#events.emit('message_updated', event);
        }
        break;
      case 'ack':
        this.#outbox.acked(event.clientMessageId, event.message);
        break;
      case 'chat_joined':
        this.#seqs.start(event.chatId, event.seq);
        this.#events.emit('chat_joined', event);
        break;
      case 'chat_left':
        this.#seqs.forget(event.chatId);
        this.#events.emit('chat_left', event);
        break;
      case 'error':
        if (event.clientMessageId
          ? !this.#outbox.refused(event.clientMessageId, event.code, event.message)
          : !(event.code === 'rate_limited' && this.#outbox.rateLimitedUnread())) {
          this.#events.emit('error', new ChatError(event.code, event.message));
        }
        break;
      default:
        if (PLAIN_EVENTS.has(event.type)) {
          this.#events.emit(event.type, event);
        }
    }
  }

  #connected(event) {
    this.#timers.clear('connect');
    this.#backoff.reset();
    this.#userId = event.userId;
    this.#seqs.retain(event.chats);
    for (const [chatId, seq] of Object.entries(event.seqs ?? {})) {
      this.#seqs.start(chatId, seq);
    }
    this.#setState('connected', {
      userId: event.userId,
      connectionId: event.connectionId,
      chats: event.chats,
      // The seq each chat was at when the unread counts were taken: live messages up to it are counted already.
      seqs: event.seqs ?? {},
      lastRead: event.lastRead ?? {},
      unread: event.unread ?? {},
      readBy: event.readBy ?? {},
      online: event.online ?? {},
      historyAfter: event.historyAfter ?? {},
    });
    this.#firstConnect.resolve(event);
    this.#outbox.connected();
    this.#reads.connected(event.lastRead);
    this.#scheduleRefresh();
  }

  /** The server's socket closed (or we gave up on it): retry after a backoff delay. */
  #lost(code, reason) {
    if (this.#closed) {
      return;
    }
    if (this.#socket) {
      detach(this.#socket);
      this.#socket = null;
    }
    this.#stopTimers();
    this.#outbox.disconnected();
    if (TOKEN_CLOSES.has(code)) {
      this.#tokens.invalidate();
    }
    const retryInMs = this.#backoff.next();
    this.#setState('disconnected', { code, reason, retryInMs, attempt: this.#backoff.attempt });
    this.#timers.set('retry', retryInMs, () => this.#open());
  }

  /** Gives up on a socket that went silent: it may never deliver a close event, so none is waited for. */
  #abandon(reason) {
    const socket = this.#socket;
    if (!socket) {
      return;
    }
    detach(socket);
    this.#socket = null;
    // ws's terminate() drops the TCP connection at once; close() would wait for a close frame that cannot come.
    (socket.terminate ?? socket.close).call(socket);
    this.#lost(1006, reason);
  }

  #retryNow() {
    if (this.#timers.has('retry') && !this.#closed) {
      this.#timers.clear('retry');
      this.#backoff.reset();
      this.#open();
    }
  }

  #scheduleRefresh() {
    const delay = this.#tokens.refreshInMs();
    if (delay === null) {
      return;
    }
    this.#timers.set('refresh', delay, async () => {
      try {
        const token = await this.#tokens.get({ fresh: true });
        if (this.#state === 'connected') {
          this.#write({ type: 'auth', token });
        }
      } catch (error) {
        this.#events.emit('error', new ChatError('unauthorized', `token() failed: ${error?.message ?? error}`));
      }
      if (this.#state === 'connected' && !this.#timers.has('refresh')) {
        this.#scheduleRefresh();
      }
    });
  }

  /** Queues a command built by `build`, which throws if the command is malformed or over the limits. */
  #queue(build) {
    let command;
    try {
      command = build();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#outbox.add(command);
  }

  /** Writes a command to the open socket; a command over the frame limit is never written. */
  #write(command) {
    const frame = JSON.stringify(command);
    checkFrame(frame, this.#limits);
    if (this.#socket && this.#socket.readyState === 1) {
      this.#socket.send(frame);
    }
  }

  #setState(state, details = {}) {
    this.#state = state;
    if (state !== 'connected') {
      this.#watchdog.stop();
    }
    this.#events.emit('state', { state, ...details });
  }

  /** Stops what belongs to one socket; the retry timer belongs to the gap between sockets. */
  #stopTimers() {
    this.#watchdog.stop();
    this.#timers.clear('connect');
    this.#timers.clear('refresh');
  }
}

function detach(socket) {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  socket.onerror = () => {}; // ws emits an unhandled 'error' without a listener
}

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The HTTP origin of the server a WebSocket URL points to: where its `/api` lives. */
function httpOrigin(url) {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
  return parsed.origin;
}
