import { AsyncLocalStorage } from 'node:async_hooks';
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { clientAddress } from '../auth/client-address.js';

interface RequestContext {
  clientAddress: string;
}

const current = new AsyncLocalStorage<RequestContext>();

/** Keeps the client address for the request, so the audit log and logs record it without every action taking it. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return (c, next) => current.run({ clientAddress: clientAddress(c) }, next);
}

export function currentClientAddress(): string | null {
  const address = current.getStore()?.clientAddress;
  return address !== undefined && isIP(address) !== 0 ? address : null;
}
