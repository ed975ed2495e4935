import { createHmac, randomBytes } from 'node:crypto';

/** An HS256 JWT for `userId`, signed with the test server's secret, that expires in `lifetimeSeconds`. */
export function signToken(secret, userId, lifetimeSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: userId, iat: now,
    exp: now + lifetimeSeconds })}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** A user id no other test uses, so tests sharing a server do not see each other's chats. */
export function newUser(name) {
  return `${name}-${randomBytes(4).toString('hex')}`;
}
