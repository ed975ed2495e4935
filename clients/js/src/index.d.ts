// Hand-written types for @chatwire/client: checked against src/*.js by reading, and by test/types.test.js for the
// exported names, ChatClient's members and ChatApi's methods. The wire shapes follow docs/protocol.md.

/** A stored message, as the server sends it. */
export interface Message {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  type: 'text' | 'image' | 'video' | 'audio' | 'file';
  text?: string;
  attachment?: { mediaId: string; url: string; mimeType: string; size: number; name?: string };
  clientMessageId?: string;
  createdAt: string;
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
export interface ChatJoinedEvent { type: 'chat_joined'; chatId: string; chat: Chat; seq: number }
export interface ChatLeftEvent { type: 'chat_left'; chatId: string }

/** The connection's state changes. `code` is the close code (1006 when the client gave up on a silent link). */
export type StateEvent =
  | { state: 'connecting' }
  | { state: 'connected'; userId: string; connectionId: string; chats: string[] }
  | { state: 'disconnected'; code: number | null; reason?: string; retryInMs?: number; attempt?: number };

export interface ChatEvents {
  message: Message;
  typing: TypingEvent;
  read: ReadEvent;
  presence: PresenceEvent;
  chat_joined: ChatJoinedEvent;
  chat_left: ChatLeftEvent;
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
  connect(): Promise<{ userId: string; connectionId: string; chats: string[]; seqs: Record<string, number> }>;
  /** Closes for good; waiting sends reject with `closed`. */
  close(): void;
  on<E extends keyof ChatEvents>(event: E, listener: (value: ChatEvents[E]) => void): () => void;
  off<E extends keyof ChatEvents>(event: E, listener: (value: ChatEvents[E]) => void): void;
  /** Resolves with the stored message once acknowledged; rejects with a ChatError if refused for good. */
  send(chatId: string, text: string): Promise<Message>;
  /** Throttled: at most once per chat per `typingThrottleMs`. */
  typing(chatId: string): void;
  read(chatId: string, seq: number): void;
  readonly state: 'connecting' | 'connected' | 'disconnected';
  readonly userId: string | null;
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
