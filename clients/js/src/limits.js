import { ChatError } from './errors.js';

/**
 * The server's default limits (`ChatLimits.defaults()`): a frame over `maxFrameChars` closes the socket with 1009, so
 * the client refuses such a command before sending it; a text over `maxTextChars` would be refused with `too_large`.
 */
export const DEFAULT_LIMITS = Object.freeze({ maxFrameChars: 64 * 1024, maxTextChars: 16_000 });

/**
 * The frame's size as the strictest transport counts it. The Jetty transport counts UTF-8 bytes, the others UTF-16
 * characters; UTF-8 bytes are never fewer, so a frame within them fits everywhere.
 */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      bytes += 1;
    } else if (unit < 0x800) {
      bytes += 2;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one code point of four bytes
      i += 1;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

/** Throws `too_large` unless the text and its frame are within the limits. */
export function checkSend(text, frame, limits) {
  if (text.length > limits.maxTextChars) {
    throw new ChatError('too_large',
      `text is ${text.length} characters; the server takes at most ${limits.maxTextChars}`);
  }
  checkFrame(frame, limits);
}

/** Throws `too_large` if the frame would exceed the server's frame limit once encoded. */
export function checkFrame(frame, limits) {
  const size = utf8Length(frame);
  if (size > limits.maxFrameChars) {
    throw new ChatError('too_large',
      `this command would be a frame of ${size} bytes once JSON-escaped; the server closes the socket over ` +
      `${limits.maxFrameChars}`);
  }
}
