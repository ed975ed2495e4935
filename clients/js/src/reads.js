/**
 * The read receipts the user has given, per chat: the highest seq read, sent once per socket. A receipt given offline
 * goes out after the next `connected`; one at or below what the server already stores is never sent, since the
 * server's read seq never moves back.
 */
export class ReadReceipts {
  #transmit;
  #wanted = new Map();
  #sent = new Map();

  /** @param {(command: object) => void} transmit writes to the open socket */
  constructor(transmit) {
    this.#transmit = transmit;
  }

  /** Records that the user read the chat up to `seq`; sends it now if `online`. */
  read(chatId, seq, online) {
    if (seq <= (this.#wanted.get(chatId) ?? -1)) {
      return;
    }
    this.#wanted.set(chatId, seq);
    if (online) {
      this.flush();
    }
  }

  /** A new socket is authenticated; `stored` is `connected`'s `lastRead`, what the server already has. */
  connected(stored) {
    this.#sent = new Map(Object.entries(stored ?? {}));
    this.flush();
  }

  /** Sends each receipt the server has not got yet. */
  flush() {
    for (const [chatId, seq] of this.#wanted) {
      if (seq > (this.#sent.get(chatId) ?? -1)) {
        this.#sent.set(chatId, seq);
        this.#transmit({ type: 'read', chatId, seq });
      }
    }
  }
}
