import { ChatError } from './errors.js';

/**
 * The REST half of the protocol (`/api`): chats, history, uploads and media, each request with the current token.
 * Errors come back as `ChatError`s with the protocol's code.
 */
export class RestApi {
  #baseUrl;
  #tokens;
  #fetch;

  /**
   * @param {string} baseUrl the server's HTTP origin and path prefix, e.g. `https://chat.example.com`
   * @param {import('./tokens.js').TokenSource} tokens
   * @param {typeof fetch} fetchImpl
   */
  constructor(baseUrl, tokens, fetchImpl) {
    this.#baseUrl = baseUrl.replace(/\/$/, '');
    this.#tokens = tokens;
    this.#fetch = fetchImpl;
  }

  /** The user's chats, oldest first. */
  async chats() {
    return (await this.#json('GET', '/api/chats')).chats;
  }

  /** Creates a chat with these other participants; the caller is always one. */
  async createChat(participants, name) {
    const body = name === undefined ? { participants } : { participants, name };
    return (await this.#json('POST', '/api/chats', body)).chat;
  }

  /** A page of a chat's messages, oldest first: after `after`, else the newest before `before` (or of all). */
  async history(chatId, { after, before, limit } = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ after, before, limit })) {
      if (value !== undefined) {
        query.set(key, String(value));
      }
    }
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.#json('GET', `/api/chats/${encodeURIComponent(chatId)}/messages${suffix}`)).messages;
  }

  /**
   * Sends files (Blobs or Files) with an optional text as one multipart request; resolves with the stored messages.
   * `onProgress(sent, total)` is called as the body goes out where the platform can tell (XMLHttpRequest in
   * browsers); elsewhere once, at the end.
   */
  async upload(chatId, files, { text = '', clientMessageId, onProgress } = {}) {
    const form = new FormData();
    form.set('text', text);
    if (clientMessageId !== undefined) {
      form.set('clientMessageId', clientMessageId);
    }
    for (const file of files) {
      form.append('file', file, file.name ?? 'file');
    }
    const token = await this.#tokens.get();
    // The chat's own route: the server refuses a non-member or a user over the upload rate before reading the files.
    const url = `${this.#baseUrl}/api/chats/${encodeURIComponent(chatId)}/messages`;
    if (onProgress && typeof XMLHttpRequest === 'function') {
      return (await xhrUpload(url, token, form, onProgress)).messages;
    }
    const body = await this.#answer(await this.#fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: form,
    }));
    const total = files.reduce((sum, file) => sum + (file.size ?? 0), 0);
    onProgress?.(total, total);
    return body.messages;
  }

  /** Which of these users are online; users who share no chat with the caller read as offline. */
  async presence(userIds) {
    const users = encodeURIComponent(userIds.join(','));
    return (await this.#json('GET', `/api/presence?users=${users}`)).presence;
  }

  /** An attachment's bytes as a Blob; `url` is the message's `attachment.url`. */
  async media(url) {
    const token = await this.#tokens.get();
    const response = await this.#fetch(new URL(url, `${this.#baseUrl}/`).href, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      await this.#answer(response);
    }
    return response.blob();
  }

  async #json(method, path, body) {
    const token = await this.#tokens.get();
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.#fetch(this.#baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return this.#answer(response);
  }

  async #answer(response) {
    const text = await response.text();
    const body = text === '' ? {} : JSON.parse(text);
    if (!response.ok) {
      throw new ChatError(body.error?.code ?? 'internal', body.error?.message ?? `HTTP ${response.status}`);
    }
    return body;
  }
}

function xhrUpload(url, token, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : undefined);
    xhr.onerror = () => reject(new ChatError('unavailable', 'the upload failed on the network'));
    xhr.onload = () => {
      let body = {};
      try {
        body = xhr.responseText === '' ? {} : JSON.parse(xhr.responseText);
      } catch {
        // a non-JSON answer is reported by its status below
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
      } else {
        reject(new ChatError(body.error?.code ?? 'internal', body.error?.message ?? `HTTP ${xhr.status}`));
      }
    };
    xhr.send(form);
  });
}
