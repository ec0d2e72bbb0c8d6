import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isBlockedAddress, problemWithUrl, safeLookup } from './target.js';

// One POST to a receiver: 5 s for the whole exchange, redirects not followed (a 3xx is a failed
// attempt), at most 64 KB of the answer read and its first 1 KB kept for the delivery log.

export const TIMEOUT_MS = 5000;
const READ_LIMIT = 64 * 1024;
const KEEP = 1024;

export interface PostResult {
  statusCode: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

export function postJson(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean, timeoutMs = TIMEOUT_MS): Promise<PostResult> {
  const started = performance.now();
  const done = (result: Omit<PostResult, 'durationMs'>): PostResult => ({ ...result, durationMs: Math.round(performance.now() - started) });
  const problem = problemWithUrl(url, allowPrivate);
  if (problem) return Promise.resolve(done({ statusCode: null, body: null, error: problem }));
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(host) && isBlockedAddress(host)) return Promise.resolve(done({ statusCode: null, body: null, error: `${host} is a private or reserved address` }));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(result));
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'Riskdesk-Webhooks/1', ...headers },
        lookup: safeLookup(allowPrivate),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let read = 0;
        const keep = () => Buffer.concat(chunks).subarray(0, KEEP).toString('utf8');
        res.on('data', (chunk: Buffer) => {
          if (read < KEEP) chunks.push(chunk);
          read += chunk.length;
          if (read >= READ_LIMIT) {
            res.destroy();
            finish({ statusCode: res.statusCode ?? null, body: keep(), error: null });
          }
        });
        res.on('end', () => finish({ statusCode: res.statusCode ?? null, body: keep(), error: null }));
        res.on('error', (error) => finish({ statusCode: res.statusCode ?? null, body: keep(), error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, body: null, error: `no answer within ${timeoutMs / 1000} s` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish({ statusCode: null, body: null, error: error.message }));
    req.end(body);
  });
}
