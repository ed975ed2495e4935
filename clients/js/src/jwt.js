/**
 * Reads a JWT's claims without checking its signature. The client only needs `exp` (when to refresh) and `sub` (whose
 * resume seqs to keep); the server is the one that verifies. Returns an empty object for a token that is not a JWT.
 *
 * @param {string} token
 * @returns {{exp?: number, sub?: string}}
 */
export function readClaims(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) {
    return {};
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : {};
  } catch {
    return {};
  }
}
