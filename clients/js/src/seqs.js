// Ids remembered per client to drop a message seen twice even if it were to come with an unexpected seq.
const RECENT_IDS = 2_000;

/**
 * The last seq seen in each chat's timeline (new messages and changes to them), kept in `storage` under a key per
 * user: what `connect` sends as `resume`, and what drops a timeline entry the application has already seen.
 */
export class SeqLog {
  #storage;
  #prefix;
  #key = null;
  #seqs = {};
  #recentIds = new Set();

  /**
   * @param {{getItem(key: string): string | null, setItem(key: string, value: string): void}} storage
   * @param {string} prefix the storage key's start; the user id follows it
   */
  constructor(storage, prefix) {
    this.#storage = storage;
    this.#prefix = prefix;
  }

  /** Switches to the seqs of this user, loading them from storage. */
  useUser(userId) {
    const key = this.#prefix + userId;
    if (key === this.#key) {
      return;
    }
    this.#key = key;
    this.#recentIds.clear();
    try {
      const stored = JSON.parse(this.#storage.getItem(key) ?? '{}');
      this.#seqs = stored && typeof stored === 'object' ? stored : {};
    } catch {
      this.#seqs = {}; // a corrupt entry costs a replay from live, never a crash
    }
  }

  /** A copy of the seqs, for `connect`'s `resume`. */
  resume() {
    return { ...this.#seqs };
  }

  /** The last seq seen in the chat, or undefined. */
  get(chatId) {
    return this.#seqs[chatId];
  }

  /** Records a message; false if it was seen already (same id, or a seq not after the chat's last). */
  accept(message) {
    if (this.#recentIds.has(message.id) || !this.#advance(message.chatId, message.seq)) {
      return false;
    }
    this.#recentIds.add(message.id);
    if (this.#recentIds.size > RECENT_IDS) {
      this.#recentIds.delete(this.#recentIds.values().next().value);
    }
    return true;
  }

  /**
   * Records a change to a message (`message_updated`) at its own timeline seq, not the message's: false if seen
   * already. Its message's id was seen before by definition, so only the seq tells a repeat.
   */
  acceptChange(chatId, seq) {
    return this.#advance(chatId, seq);
  }

  /** Starts a chat at the server's seq unless the client already follows it. */
  start(chatId, seq) {
    if (this.#seqs[chatId] === undefined) {
      this.#seqs[chatId] = seq;
      this.#save();
    }
  }

  /** Keeps only these chats: the user left the others. */
  retain(chatIds) {
    const keep = new Set(chatIds);
    for (const chatId of Object.keys(this.#seqs)) {
      if (!keep.has(chatId)) {
        delete this.#seqs[chatId];
      }
    }
    this.#save();
  }

  /** Forgets a chat the user left. */
  forget(chatId) {
    delete this.#seqs[chatId];
    this.#save();
  }

  /** Moves the chat's last seq to `seq`; false if `seq` is not after it. */
  #advance(chatId, seq) {
    const last = this.#seqs[chatId];
    if (last !== undefined && seq <= last) {
      return false;
    }
    this.#seqs[chatId] = seq;
    this.#save();
    return true;
  }

  #save() {
    if (this.#key === null) {
      return;
    }
    try {
      this.#storage.setItem(this.#key, JSON.stringify(this.#seqs));
    } catch {
      // A full or disabled storage only costs resuming from memory; delivery goes on.
    }
  }
}
