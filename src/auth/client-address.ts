import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Stands in for the address when there is no socket (app.request() in tests without bindings). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The connecting address, for throttling. Forwarding headers are ignored on purpose: anyone can send
 * X-Forwarded-For, so trusting it would let an attacker pick a fresh "IP" for every guess.
 * Tests pass node-server style bindings ({ incoming: { socket: { remoteAddress } } }) to app.request().
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? UNKNOWN_ADDRESS;
  } catch {
    return UNKNOWN_ADDRESS;
  }
}
