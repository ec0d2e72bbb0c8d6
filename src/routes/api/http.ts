import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../app-env.js';
import { ActionError } from '../../actions/errors.js';
import { validateApiKey, type ApiKey } from '../../auth/api-keys.js';
import { ParseError } from '../../ingest/errors.js';
import { FilterError } from '../../http/list-filters.js';
import { log } from '../../log.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';

// What every /api/v1 handler shares: the key on c.var, JSON errors {"error": {"code", "message"}}.

export interface ApiEnv {
  Variables: AppEnv['Variables'] & { apiKey: ApiKey };
}

const CODES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  413: 'payloadTooLarge',
  415: 'unsupportedMediaType',
  422: 'unprocessable',
  500: 'internalError',
  503: 'unavailable',
};

/** A refused API request; `details` joins code and message in the error object (a bad record's index and field). */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function apiErrorResponse(c: Context, status: ContentfulStatusCode, message: string, details: Record<string, unknown> = {}) {
  return c.json({ error: { code: CODES[status] ?? 'error', message, ...details } }, status);
}

/** Domain refusals keep their status; anything else is logged and answered with a JSON 500. */
export const onApiError: ErrorHandler = (error, c) => {
  if (error instanceof ApiError) return apiErrorResponse(c, error.status, error.message, error.details);
  if (error instanceof ParseError) return apiErrorResponse(c, 400, error.message, { code: 'invalidRecord', index: error.index, field: error.field });
  if (error instanceof ActionError) return apiErrorResponse(c, error.status, error.message);
  if (error instanceof FilterError) {
    // The keyset cursor is the API's $skiptoken: name the parameter the client sent.
    if (error.parameter === 'cursor') return apiErrorResponse(c, 400, error.message.replace(/^cursor\b/, () => '$skiptoken'), { parameter: '$skiptoken' });
    return apiErrorResponse(c, 400, error.message, { parameter: error.parameter });
  }
  if (isDatabaseUnavailable(error)) {
    log.warn('database unavailable', { method: c.req.method, path: c.req.path, error: String((error as Error)?.message ?? error) });
    c.header('Retry-After', '1');
    return apiErrorResponse(c, 503, 'The database is not answering. Nothing of this request was stored; send it again.');
  }
  log.error('api request failed', { method: c.req.method, path: c.req.path, error: String((error as Error)?.stack ?? error) });
  return apiErrorResponse(c, 500, 'The request could not be completed. It has been logged.');
};

/** The key of `Authorization: Bearer <key>`, or null. */
function bearerKey(c: Context): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1] ?? null;
}

/**
 * Validates the request's key, with `alongside` (a read the handler needs, given the key, or
 * nothing) sent in the same round trip. A valid key is put on c.var with its tenant and the read's
 * answer is returned; anything else is the 401 response, and the read's answer is dropped.
 */
export async function authenticate<T>(c: Context<ApiEnv>, alongside?: (key: string) => Promise<T>): Promise<{ read: T | undefined } | Response> {
  const key = bearerKey(c);
  const [found, read] = key ? await Promise.all([validateApiKey(c.var.deps.database.db, key, c.var.deps.now()), alongside?.(key)]) : [null, undefined];
  if (!found) {
    c.header('WWW-Authenticate', 'Bearer realm="riskdesk"');
    return apiErrorResponse(c, 401, key ? 'The API key is unknown, wrong or revoked.' : 'Send an API key: Authorization: Bearer rdk_...');
  }
  c.set('apiKey', found.apiKey);
  c.set('tenant', found.tenant);
  return { read };
}

/** Authorization: Bearer <key> puts the key and its tenant on c.var; anything else is a 401. */
export function requireApiKey(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const authenticated = await authenticate(c);
    return authenticated instanceof Response ? authenticated : next();
  };
}

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `The body is not valid JSON (${(error as Error).message}).`);
  }
}
