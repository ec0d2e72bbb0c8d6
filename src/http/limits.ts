import { IncomingMessage } from 'node:http';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.js';

/**
 * hono's bodyLimit without asking for the request's body: that made @hono/node-server build a full
 * web Request and stream for every POST (an evaluation's JSON read through undici: about 5 % of its
 * CPU), where a handler's c.req.text() otherwise reads node's request directly. A body with a
 * Content-Length (and no Transfer-Encoding) is judged by the header alone, as hono's does; one
 * without is read from node's request and counted, and kept as `incoming.rawBody`, the pre-read body
 * @hono/node-server serves text(), json() and formData() from. Without a node request (app.request
 * in tests) hono's own counts it.
 */
export function capBody<E extends Env>(options: { maxSize: number; onError: (c: Context<E>) => Response | Promise<Response> }): MiddlewareHandler<E> {
  const streamed = bodyLimit(options as Parameters<typeof bodyLimit>[0]) as unknown as MiddlewareHandler<E>;
  return async (c, next) => {
    const length = c.req.header('Content-Length');
    if (length !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      return Number.parseInt(length, 10) > options.maxSize ? options.onError(c) : next();
    }
    const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
    if (!(incoming instanceof IncomingMessage) || incoming.readableDidRead) return streamed(c, next);
    const body = await readCapped(incoming, options.maxSize);
    if (body === null) return options.onError(c);
    (incoming as IncomingMessage & { rawBody: Buffer }).rawBody = body;
    return next();
  };
}

/** The whole body, or null as soon as it passes maxSize (the rest is left for node to discard). */
function readCapped(incoming: IncomingMessage, maxSize: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (settle: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxSize) done(() => resolve(null));
      else chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(Buffer.concat(chunks, size)));
    const onError = (error: Error) => done(() => reject(error));
    const onClose = () => done(() => reject(new Error('The client closed the connection before the body ended.')));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Forms and API bodies stop at 1 MB, except sign-in batches and list uploads, which carry their own caps. */
export const MAX_FORM_BYTES = 1024 * 1024;
const OWN_LIMITS = new Set(['/api/v1/sign-ins', '/api/v1/sign-ins/evaluate', '/settings/leaked-credentials', '/settings/directory']);

export function bodyCap(tooLarge: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  const capped = capBody<AppEnv>({ maxSize: MAX_FORM_BYTES, onError: tooLarge });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || OWN_LIMITS.has(c.req.path)) return next();
    return capped(c, next);
  };
}

/**
 * At most `maxInFlight` requests are served at once and `maxQueued` wait for a turn; past that the
 * answer is 503 at once, so a burst cannot grow an unbounded queue in front of the database pool.
 */
export function requestGate(limits: { maxInFlight: number; maxQueued: number }, busy: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight -= 1;
  };
  return async (c, next) => {
    if (inFlight >= limits.maxInFlight) {
      if (waiting.length >= limits.maxQueued) {
        c.header('Retry-After', '1');
        return busy(c);
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      inFlight += 1;
    }
    try {
      await next();
    } finally {
      release();
    }
  };
}
