/** A Storage-like map that lives as long as the process: the default where there is no localStorage (Node). */
export function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => {
      items.set(key, String(value));
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

/** The browser's localStorage where it can be used, else memory. */
export function defaultStorage() {
  try {
    // Reading localStorage throws in sandboxed frames and with storage disabled, rather than being absent.
    const storage = globalThis.localStorage;
    if (storage) {
      return storage;
    }
  } catch {
    // fall through to memory
  }
  return memoryStorage();
}
