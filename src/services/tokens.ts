// Tokens: 192 random bits, URL-safe. Access tokens are kept only as SHA-256 hashes.
import { hash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Runs on every request that carries a token (sign-in, rate limit): the one-shot hash is about twice as fast as createHash. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
