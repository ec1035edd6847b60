// Tokens: 192 random bits, URL-safe. Access tokens are kept only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
