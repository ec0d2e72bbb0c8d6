import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
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
const TEXT = new Set(['.css', '.js', '.svg', '.txt']);

type Asset = { body: Uint8Array; type: string; gzip?: Uint8Array; br?: Uint8Array };

function readIfPresent(path: string): Uint8Array | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}

/**
 * Serves public/ under /static/ from memory (a handful of small files, read once). Asset URLs carry
 * a content hash (?v=...), so responses are cacheable for a year. Text assets go out precompressed:
 * the .br/.gz that `npm run build` wrote (scripts/precompress.mjs), or gzip made once at start-up.
 */
export function staticFiles(): MiddlewareHandler {
  const files = new Map<string, Asset>();
  for (const name of readdirSync(publicDir)) {
    const ext = extname(name);
    const type = TYPES[ext];
    if (!type) continue;
    const path = join(publicDir, name);
    const body = readFileSync(path);
    const asset: Asset = { body, type };
    if (TEXT.has(ext)) {
      asset.br = readIfPresent(`${path}.br`);
      asset.gzip = readIfPresent(`${path}.gz`) ?? gzipSync(body, { level: 9 });
    }
    files.set(name, asset);
  }
  return async (c, next) => {
    const file = files.get(c.req.path.slice('/static/'.length));
    if (!file) return next();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', c.req.query('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (!file.gzip) return c.body(file.body as Uint8Array<ArrayBuffer>);
    c.header('Vary', 'Accept-Encoding');
    const accepted = c.req.header('Accept-Encoding') ?? '';
    const encoding = file.br && /\bbr\b(?!;\s*q=0(?:\.0*)?\b)/i.test(accepted) ? 'br' : /\bgzip\b(?!;\s*q=0(?:\.0*)?\b)/i.test(accepted) ? 'gzip' : null;
    if (!encoding) return c.body(file.body as Uint8Array<ArrayBuffer>);
    c.header('Content-Encoding', encoding);
    return c.body((encoding === 'br' ? file.br : file.gzip) as Uint8Array<ArrayBuffer>);
  };
}
