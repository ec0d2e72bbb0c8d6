import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { publicDir } from '../../views/assets.js';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves public/ under /static/ from memory (a handful of small files, read once). Asset URLs carry
 * a content hash (?v=...), so responses are cacheable for a year.
 */
export function staticFiles(): MiddlewareHandler {
  const files = new Map<string, { body: Uint8Array; type: string }>();
  for (const name of readdirSync(publicDir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(publicDir, name)), type });
  }
  return async (c, next) => {
    const file = files.get(c.req.path.slice('/static/'.length));
    if (!file) return next();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', c.req.query('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return c.body(file.body as Uint8Array<ArrayBuffer>);
  };
}
