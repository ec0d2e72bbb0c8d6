import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config.js';
import { isBlockedAddress, problemWithUrl, safeLookup } from '../../src/webhooks/target.js';
import { backoffMs } from '../../src/webhooks/worker.js';

describe('webhook targets', () => {
  it('blocks loopback, private, link-local, metadata and reserved addresses, IPv4 and IPv6', () => {
    for (const address of ['127.0.0.1', '10.2.3.4', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00:ec2::254', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', 'not-an-ip']) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '20.190.128.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isBlockedAddress(address), address).toBe(false);
  });

  it('accepts public HTTPS URLs only, unless private targets are allowed', () => {
    expect(problemWithUrl('https://siem.example.com/hook', false)).toBeNull();
    expect(problemWithUrl('http://siem.example.com/hook', false)).toBe('url must start with https://');
    expect(problemWithUrl('https://169.254.169.254/latest', false)).toContain('private');
    expect(problemWithUrl('https://[::1]:8443/', false)).toContain('private');
    expect(problemWithUrl('https://localhost/', false)).toBe('url must name a public host');
    expect(problemWithUrl('https://user:pw@siem.example.com/', false)).toContain('user name');
    expect(problemWithUrl('http://127.0.0.1:9000/hook', true)).toBeNull();
  });

  it('checks the address a name resolves to when connecting, so DNS cannot point a public name inward', async () => {
    const resolve = (allowPrivate: boolean) =>
      new Promise<string>((done) => safeLookup(allowPrivate)('localhost', { family: 4 }, (error, address) => done(error ? error.message : String(address))));
    expect(await resolve(false)).toMatch(/localhost resolves to 127\.0\.0\.1, a private or reserved address/);
    expect(await resolve(true)).toBe('127.0.0.1');
  });

  it('backs off exponentially with jitter, at most an hour', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, () => 0))).toEqual([15_000, 30_000, 60_000]);
    expect(backoffMs(1, () => 0.999999)).toBeLessThanOrEqual(30_000);
    expect(backoffMs(30, () => 0.999999)).toBeLessThanOrEqual(3_600_000);
  });

  it('reads WEBHOOK_ALLOW_PRIVATE as true or false only', () => {
    expect(loadConfig({}).webhookAllowPrivate).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(ConfigError);
  });
});
