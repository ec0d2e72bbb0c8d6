import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';

// A small HTTP load generator over keep-alive connections (no extra packages), run from the
// benchmark process against the server process on loopback.

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RequestSpec {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function fetchRaw(url: string, options: { agent?: Agent; headers?: Record<string, string>; method?: string; body?: string } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', agent: options.agent, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** A GET whose body is only counted, not kept: newlines and bytes of a large download. */
/** A download read and counted, not kept; `progress.lines` counts its lines as they arrive. */
export function fetchCounting(url: string, headers: Record<string, string>, progress = { lines: 0 }): Promise<{ status: number; bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) progress.lines += 1;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, lines: progress.lines }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function decoded(response: Response): string {
  return (response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body) : response.body).toString('utf8');
}

/** The middle value (the upper one of an even count): the figure each benchmark reports. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const send = (agent: Agent, spec: RequestSpec) => fetchRaw(spec.url, { agent, method: spec.method, headers: spec.headers, body: spec.body });

/**
 * Sequential requests from one client, after `warmup` unmeasured ones: median and p99 in
 * milliseconds. `next(i)` gives the i-th request (a fixed page, or a fresh sign-in each time).
 */
export async function latencyOf(next: (i: number) => RequestSpec, count: number, warmup = Math.min(20, count)): Promise<{ median: number; p99: number; bytes: number; requests: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < warmup; i++) await send(agent, next(i));
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const spec = next(warmup + i);
    const start = performance.now();
    const res = await send(agent, spec);
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${spec.method ?? 'GET'} ${spec.url} answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
    bytes = res.body.length;
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), bytes, requests: warmup + count };
}

/** `connections` clients in parallel for `seconds`: requests per second (every answer must be 200). */
export async function throughputOf(next: (i: number) => RequestSpec, connections: number, seconds: number): Promise<{ perSecond: number; requests: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const deadline = performance.now() + seconds * 1000;
  let sent = 0;
  let done = 0;
  let failed = 0;
  let firstFailure = '';
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const res = await send(agent, next(sent++));
        if (res.status === 200) done += 1;
        else {
          failed += 1;
          firstFailure ||= `${res.status} ${res.body.toString().slice(0, 200)}`;
        }
      }
    }),
  );
  agent.destroy();
  if (failed > 0) throw new Error(`${failed} of ${done + failed} requests failed, the first with ${firstFailure}`);
  return { perSecond: done / seconds, requests: done };
}

/** Signs in to the console as a demo admin and answers the session cookie. */
export async function signIn(origin: string, email = 'admin@contoso.com'): Promise<string> {
  const res = await fetchRaw(`${origin}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ email, password: 'riskdesk-demo' }).toString(),
  });
  const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0];
  if (res.status !== 303 || !cookie) throw new Error(`sign-in failed with ${res.status}`);
  return cookie;
}

/** The first capture of `pattern` in a page, as a path (HTML's &amp; undone). */
export const firstLink = (html: string, pattern: RegExp) => pattern.exec(html)?.[1]?.replaceAll('&amp;', '&');

/** The console pages of the targets, with the links a user would follow found on the pages themselves. */
export async function consolePages(origin: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const get = async (path: string) => decoded(await fetchRaw(`${origin}${path}`, { headers }));
  // The demo has few risky sign-ins; pages of 20 make sure there is a second one to follow.
  const risky = await get('/security/risky-sign-ins?limit=20');
  const users = await get('/security/users-at-risk');
  const types = await get('/security/risk-events');
  const log = await get('/security/sign-ins');
  const pages: Record<string, string | undefined> = {
    'risky sign-ins (default)': '/security/risky-sign-ins',
    'risky sign-ins (level+status+country)': '/security/risky-sign-ins?level=medium&status=active&country=RU',
    'risky sign-ins (page 2 of 20 by cursor)': firstLink(risky, /href="(\/security\/risky-sign-ins\?[^"]*cursor=[^"]+)"/),
    'risky sign-ins (user= prefix)': '/security/risky-sign-ins?user=jo',
    'users at risk': '/security/users-at-risk',
    'user blade': firstLink(users, /href="(\/security\/users\/[^"?#]+)"/),
    'risk event types': '/security/risk-events',
    'type blade': firstLink(types, /href="(\/security\/risk-events\/[A-Za-z]+)"/),
    'sign-in log': '/security/sign-ins',
    'sign-in log (page 2 by cursor)': firstLink(log, /href="(\/security\/sign-ins\?[^"]*cursor=[^"]+)"/),
    'sign-in log (user= prefix)': '/security/sign-ins?user=jo',
  };
  return Object.fromEntries(Object.entries(pages).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
