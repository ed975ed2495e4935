/** @chatwire/client: the JavaScript client for Chatwire servers. Types in index.d.ts. */
export { ChatClient } from './client.js';
export { ChatError } from './errors.js';
export { Backoff } from './backoff.js';
export { memoryStorage } from './storage.js';
export { DEFAULT_LIMITS } from './limits.js';
