// Hand-written types for @chatwire/client: checked against src/*.js by reading, and by test/types.test.js for the
// exported names, ChatClient's members and ChatApi's methods. The wire shapes follow docs/protocol.md.

/** A stored message in its current state, as the server sends it. */
export interface Message {
  id: string;
  chatId: string;
  /** Its own place in the chat's timeline; a later change to it takes a seq of its own (`MessageUpdatedEvent`). */
  seq: number;
  senderId: string;
  type: 'text' | 'image' | 'video' | 'audio' | 'file';
  /** Absent for a file without caption, and for a deleted message. */
  text?: string;
  /** Absent for a text message, and for a deleted message. */
  attachment?: { mediaId: string; url: string; mimeType: string; size: number; name?: string };
  clientMessageId?: string;
  createdAt: string;
  /** When the text was last edited; absent if never. */
  editedAt?: string;
  /** Present (true) once deleted: then text and attachment are gone. */
  deleted?: true;
  /** Each emoji to the users who reacted with it, in the order they did; absent when there are none. */
  reactions?: Record<string, string[]>;
}

/** A chat, as the REST API and `chat_joined` carry it. */
export interface Chat {
  id: string;
  participants: string[];
  name?: string;
  createdAt?: string;
  /** The creator, who names admins; absent for chats stored before chats had owners. */
  owner?: string;
  /** Participants the owner made admins: with the owner, they add and remove others. */
  admins?: string[];
  [field: string]: unknown;
}

export interface TypingEvent { type: 'typing'; chatId: string; userId: string; active: boolean }
export interface ReadEvent { type: 'read'; chatId: string; userId: string; seq: number }
export interface PresenceEvent { type: 'presence'; chatId: string; userId: string; online: boolean }
/**
 * A change to a stored message (an edit, a delete, a reaction): an entry of the chat's timeline at `seq`, its own
 * place, delivered, resumed and deduplicated like a new message. `message` is the message's whole state after it.
 */
export interface MessageUpdatedEvent { type: 'message_updated'; chatId: string; seq: number; message: Message }

/** What the server stores of who read a chat how far, and who is in it now. */
export interface ChatReadState {
  /** The highest seq the user has read, on any device (0 for none). */
  lastRead: number;
  /** Messages of others after `lastRead`, not deleted. */
  unread: number;
  /** The other participants' read seqs, for those who have read any. */
  readBy: Record<string, number>;
  /** The other participants online now whose presence the user may see. */
  online: string[];
}

/** The user was added to a chat (or made one); live entries follow `seq`. */
export interface ChatJoinedEvent extends ChatReadState {
  type: 'chat_joined';
  chatId: string;
  chat: Chat;
  seq: number;
  /** With history from join, the chat's seq when the user was added: it sees only what comes after. */
  historyAfter?: number;
}
export interface ChatLeftEvent { type: 'chat_left'; chatId: string }
/** Who takes part in a chat or manages it changed; `chat` is the chat after the change. */
export interface ChatUpdatedEvent {
  type: 'chat_updated';
  chatId: string;
  chat: Chat;
  change: 'participant_added' | 'participant_removed' | 'admin_added' | 'admin_removed';
  userId: string;
  by: string;
}

/** The read state of every chat, each map keyed by chat id, as `connected` gives it. */
export interface ReadStates {
  lastRead: Record<string, number>;
  unread: Record<string, number>;
  readBy: Record<string, Record<string, number>>;
  online: Record<string, string[]>;
}

/** The server's `connected` event, which `connect()` resolves with. */
export interface ConnectedEvent extends ReadStates {
  type: 'connected';
  userId: string;
  connectionId: string;
  chats: string[];
  /** Each chat's newest seq when the socket joined it: the unread counts include live messages up to it. */
  seqs: Record<string, number>;
  /**
   * For each chat the user was added to under history from join, the seq it sees only what comes after (as
   * `chat_joined`'s `historyAfter`); chats it sees whole are not keys. The server leaves it off when there are none;
   * the `state` event always has it, `{}` then.
   */
  historyAfter?: Record<string, number>;
}

/**
 * The connection's state changes. `code` is the close code (1006 when the client gave up on a silent link). Each
 * `connected` carries the read state afresh: what changed while the client was away is in it.
 */
export type StateEvent =
  | { state: 'connecting' }
  | ({ state: 'connected' } & Omit<ConnectedEvent, 'type' | 'historyAfter'> & { historyAfter: Record<string, number> })
  | { state: 'disconnected'; code: number | null; reason?: string; retryInMs?: number; attempt?: number };

export interface ChatEvents {
  message: Message;
  message_updated: MessageUpdatedEvent;
  typing: TypingEvent;
  read: ReadEvent;
  presence: PresenceEvent;
  chat_joined: ChatJoinedEvent;
  chat_left: ChatLeftEvent;
  chat_updated: ChatUpdatedEvent;
  state: StateEvent;
  /** An error not tied to a send: a refused token refresh, an invalid command. */
  error: ChatError;
}

/** What `localStorage` offers and the client needs. */
export interface ChatStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Time as the client sees it; tests pass their own. */
export interface ChatClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface ChatClientOptions {
  /** The server's WebSocket URL, e.g. `wss://chat.example.com/ws`. */
  url: string;
  /** Returns the JWT to present; called again after a 4401 or 4402 close and before the token expires. */
  token: () => string | Promise<string>;
  /** Where the last seq of each chat is kept: localStorage in browsers, memory elsewhere. */
  storage?: ChatStorage;
  /** The storage key's prefix; the JWT's `sub` follows it. Default `chatwire.seqs.`. */
  storageKey?: string;
  /** The WebSocket class; required where there is no global one (Node 20: `WebSocket` from the ws package). */
  WebSocket?: new (url: string) => WebSocket;
  /** The HTTP base of the REST API; by default the WebSocket URL's origin. */
  apiUrl?: string;
  fetch?: typeof fetch;
  /** The server's limits, if it does not run with the defaults. */
  limits?: Partial<ChatLimits>;
  /** Reconnect delays: full jitter below min(cap, base * 2^attempt). Default 500 ms base, 30 s cap. */
  backoff?: { baseMs?: number; capMs?: number };
  /** Ping after this long without a frame, and reconnect if nothing comes within `deadAfterMs` more (10 s each). */
  liveness?: { pingAfterMs?: number; deadAfterMs?: number };
  /** How long to wait for `connected` after opening (10 s). */
  connectTimeoutMs?: number;
  /** How long a send waits for its ack on a live socket before it is sent again (15 s). */
  ackTimeoutMs?: number;
  /** The pause before retrying a send refused with `rate_limited` or `unavailable` (1 s). */
  retryMs?: number;
  /** At most one `typing` per chat in this window (3 s). */
  typingThrottleMs?: number;
  clock?: ChatClock;
  /** Returns [0, 1) for the backoff's jitter; Math.random by default. */
  random?: () => number;
  /** Where `online` and `offline` events come from; `globalThis` in browsers. */
  window?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

export interface ChatLimits {
  /** The largest frame, counted here in UTF-8 bytes (65,536). */
  maxFrameChars: number;
  /** The longest text, in UTF-16 characters (16,000). */
  maxTextChars: number;
}

export declare const DEFAULT_LIMITS: Readonly<ChatLimits>;

/** An error with a protocol error code (`forbidden`, `too_large`, ...) or `closed`. */
export declare class ChatError extends Error {
  constructor(code: string, message: string);
  readonly code: string;
}

/** The REST helpers; each request carries the current token. */
export interface ChatApi {
  chats(): Promise<Chat[]>;
  createChat(participants: string[], name?: string): Promise<Chat>;
  history(chatId: string, page?: { after?: number; before?: number; limit?: number }): Promise<Message[]>;
  upload(
    chatId: string,
    files: Blob[],
    options?: { text?: string; clientMessageId?: string; onProgress?: (sent: number, total?: number) => void },
  ): Promise<Message[]>;
  media(url: string): Promise<Blob>;
  /** Which of these users are online (those sharing no chat with the caller read as offline). */
  presence(userIds: string[]): Promise<Record<string, boolean>>;
}

export declare class ChatClient {
  constructor(options: ChatClientOptions);
  /** Opens the connection and keeps it open; resolves with the first `connected` event. */
  connect(): Promise<ConnectedEvent>;
  /** Closes for good; waiting sends reject with `closed`. */
  close(): void;
  on<E extends keyof ChatEvents>(event: E, listener: (value: ChatEvents[E]) => void): () => void;
  off<E extends keyof ChatEvents>(event: E, listener: (value: ChatEvents[E]) => void): void;
  /** Resolves with the stored message once acknowledged; rejects with a ChatError if refused for good. */
  send(chatId: string, text: string): Promise<Message>;
  /**
   * Replaces the text of one of the user's messages. Queued with the sends, in order, across reconnects; resolves
   * with the message's new state, or rejects with a ChatError (`forbidden`, `not_found`, `invalid` once deleted).
   */
  edit(chatId: string, messageId: string, text: string): Promise<Message>;
  /** Deletes one of the user's messages for everyone; resolves with its state (`deleted: true`). As `edit`. */
  deleteMessage(chatId: string, messageId: string): Promise<Message>;
  /** Adds the user's reaction (`active`, the default) or takes it back; resolves with the message's state. */
  react(chatId: string, messageId: string, emoji: string, active?: boolean): Promise<Message>;
  /** Throttled: at most once per chat per `typingThrottleMs`. */
  typing(chatId: string): void;
  /** The user read the chat up to `seq`; by default up to the newest entry delivered. Sent once, now or on connect. */
  read(chatId: string, seq?: number): void;
  readonly state: 'connecting' | 'connected' | 'disconnected';
  readonly userId: string | null;
  /** Sends and changes waiting for their ack. */
  readonly pendingSends: number;
  readonly api: ChatApi;
}

/** Reconnect delays with full jitter and a cap. */
export declare class Backoff {
  constructor(options?: { baseMs?: number; capMs?: number; random?: () => number });
  next(): number;
  reset(): void;
  readonly attempt: number;
}

export declare function memoryStorage(): ChatStorage & { removeItem(key: string): void };
