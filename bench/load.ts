import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';

// A small HTTP load generator over keep-alive connections (no extra packages), run from the
// benchmark process against the server process on loopback.

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
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

export function decoded(response: Response): string {
  return (response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body) : response.body).toString('utf8');
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Sequential requests from one client: median and p99 in milliseconds. */
export async function latency(url: string, headers: Record<string, string>, count: number): Promise<{ median: number; p99: number; bytes: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < Math.min(20, count); i++) await fetchRaw(url, { agent, headers });
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const res = await fetchRaw(url, { agent, headers });
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    bytes = res.body.length;
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99), bytes };
}

/** `connections` clients in parallel for `seconds`: requests per second. */
export async function throughput(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const res = await fetchRaw(url, { agent, headers });
        if (res.status === 200) done += 1;
        else failed += 1;
      }
    }),
  );
  agent.destroy();
  if (failed > 0) throw new Error(`${failed} requests to ${url} failed`);
  return done / seconds;
}
