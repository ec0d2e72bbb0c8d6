import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';

/** Stands in for the address when there is no socket (app.request() in tests without bindings). */
export const UNKNOWN_ADDRESS = 'unknown';

export interface TrustedProxies {
  list: BlockList;
  entries: string[];
}

export function parseTrustedProxies(text: string): TrustedProxies | string {
  const list = new BlockList();
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, prefixText, extra] = entry.split('/');
    const version = isIP(address);
    const maxPrefix = version === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (version === 0 || extra !== undefined || !/^\d{1,3}$/.test(prefixText ?? '0') || prefix > maxPrefix) {
      return `"${entry}" is not an IP address or CIDR range`;
    }
    list.addSubnet(address, prefix, version === 4 ? 'ipv4' : 'ipv6');
  }
  return { list, entries };
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { list: new BlockList(), entries: [] };

/** "::ffff:10.0.0.1", as a dual-stack socket reports an IPv4 peer, is 10.0.0.1. */
function normalised(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && proxies.list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address, for throttling, the audit log and the logs. X-Forwarded-For is read only when
 * the TCP peer is a trusted proxy, and then from the right: each trusted proxy appends the address it
 * saw, so the right-most address that is not a trusted proxy is the one no client could have forged.
 * Tests pass node-server style bindings ({ incoming: { socket: { remoteAddress } } }) to app.request().
 */
export function clientAddressOf(peer: string | undefined, forwardedFor: string | undefined, proxies: TrustedProxies): string {
  if (peer === undefined) return UNKNOWN_ADDRESS;
  let client = normalised(peer);
  if (!forwardedFor || !isTrusted(proxies, client)) return client;
  const hops = forwardedFor.split(',').map((hop) => normalised(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    // Garbage means the chain cannot be followed further: the last hop a trusted proxy vouched for stands.
    if (isIP(hops[i]) === 0) return client;
    client = hops[i];
    if (!isTrusted(proxies, client)) return client;
  }
  return client;
}

export function clientAddress(c: Context<AppEnv>): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  return clientAddressOf(peer, c.req.header('X-Forwarded-For'), c.var.deps.config.trustedProxies);
}
