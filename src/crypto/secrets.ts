import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Secrets Riskdesk must use again later (Graph client secrets, webhook signing secrets) are kept sealed with AES-256-GCM under SECRETS_KEY. */

export class SecretsKeyMissingError extends Error {
  constructor() {
    super('SECRETS_KEY is not set: Riskdesk refuses to store a secret it cannot encrypt');
  }
}

export class SealedSecretError extends Error {}

const FORMAT = 'v1';

/** Parses SECRETS_KEY: 32 bytes as 64 hex characters or as base64. Returns null when it is not such a key. */
export function parseSecretsKey(text: string): Buffer | null {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return key.length === 32 ? key : null;
}

export function sealSecret(plain: string, key: Buffer | null): string {
  if (!key) throw new SecretsKeyMissingError();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function openSecret(sealed: string, key: Buffer | null): string {
  if (!key) throw new SecretsKeyMissingError();
  const [format, iv, tag, body] = sealed.split('.');
  if (format !== FORMAT || !iv || !tag || body === undefined) throw new SealedSecretError('not a sealed secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError('the secret cannot be opened with this SECRETS_KEY');
  }
}
