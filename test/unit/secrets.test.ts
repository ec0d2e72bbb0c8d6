import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openSecret, sealSecret, SealedSecretError, SecretsKeyMissingError } from '../../src/crypto/secrets.js';

const HEX_KEY = 'a'.repeat(64);

describe('sealed secrets', () => {
  it('opens what it sealed, and never stores the plain text', () => {
    const key = loadConfig({ SECRETS_KEY: HEX_KEY }).secretsKey;
    const sealed = sealSecret('client-secret-value', key);
    expect(sealed).not.toContain('client-secret-value');
    expect(sealSecret('client-secret-value', key)).not.toBe(sealed);
    expect(openSecret(sealed, key)).toBe('client-secret-value');
  });

  it('refuses to seal without a key and to open with another key or a tampered value', () => {
    expect(() => sealSecret('x', null)).toThrow(SecretsKeyMissingError);
    const sealed = sealSecret('x', loadConfig({ SECRETS_KEY: HEX_KEY }).secretsKey);
    const other = loadConfig({ SECRETS_KEY: 'b'.repeat(64) }).secretsKey;
    expect(() => openSecret(sealed, other)).toThrow(SealedSecretError);
    // Flip one bit of the cipher text itself: editing the last base64 character may only touch its unused padding bits.
    const [format, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const tampered = [format, iv, tag, flipped.toString('base64url')].join('.');
    expect(() => openSecret(tampered, loadConfig({ SECRETS_KEY: HEX_KEY }).secretsKey)).toThrow(SealedSecretError);
  });

  it('accepts a base64 key and names SECRETS_KEY when the key is not 32 bytes', () => {
    expect(loadConfig({ SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') }).secretsKey).toHaveLength(32);
    expect(loadConfig({}).secretsKey).toBeNull();
    expect(() => loadConfig({ SECRETS_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ SECRETS_KEY: 'short' })).toThrow(/SECRETS_KEY/);
  });
});
