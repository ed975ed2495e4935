import { ChatClient, memoryStorage } from '../src/index.js';

/**
 * A client wired to a WebSocket the test plays the server on, for unit tests that need exact frames (a replay that
 * overlaps what was delivered, an error for one command) and no Java server. `server.sockets` are the client's sockets
 * in order; `server.socket` is the newest. Each records the commands the client wrote, parsed, in `commands`.
 */
export function scriptedClient(options = {}) {
  const sockets = [];
  class ScriptedSocket {
    readyState = 0;
    accepted = false;
    commands = [];
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;

    constructor(url) {
      this.url = url;
      sockets.push(this);
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.();
      });
    }

    send(frame) {
      this.commands.push(JSON.parse(frame));
    }

    close(code = 1000, reason = '') {
      this.drop(code, reason);
    }

    /** The server sends these events. */
    push(...events) {
      for (const event of events) {
        this.onmessage?.({ data: JSON.stringify(event) });
      }
    }

    /** The connection ends, as the client would hear it. */
    drop(code = 1006, reason = '') {
      if (this.readyState === 3) {
        return;
      }
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }

    /** The commands of a type the client wrote on this socket. */
    sent(type) {
      return this.commands.filter((command) => command.type === type);
    }
  }
  const client = new ChatClient({
    url: 'ws://chat.test/ws',
    token: () => 'a.eyJzdWIiOiJhbGljZSJ9.c', // {"sub":"alice"}, no expiry: no refresh timer
    storage: memoryStorage(),
    WebSocket: ScriptedSocket,
    backoff: { baseMs: 1, capMs: 1 },
    random: () => 0,
    window: null,
    ...options,
  });
  return {
    client,
    sockets,
    get socket() {
      return sockets.at(-1);
    },
    /** Waits for a socket to send `connect`, and answers it with `connected`, defaults filled in. */
    async accept(connected = {}) {
      const waiting = () => sockets.find((s) => !s.accepted && s.readyState === 1 && s.sent('connect').length > 0);
      await until(waiting, 'a connect');
      const socket = waiting();
      socket.accepted = true;
      socket.push({ type: 'connected', userId: 'alice', connectionId: `c${sockets.length}`, chats: [], seqs: {},
        lastRead: {}, unread: {}, readBy: {}, online: {}, ...connected });
      return socket;
    },
  };
}

/** Resolves once `predicate()` holds, checked on each turn of the event loop; rejects after a second. */
export async function until(predicate, what = 'the condition') {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > 1_000) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
