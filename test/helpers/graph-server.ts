import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphOptions {
  /** Graph signIn objects it holds, served oldest first. */
  signIns: Record<string, unknown>[];
  pageSize: number;
  clientSecret: string;
  /** Answer 429 with this Retry-After (seconds) the first time each of these pages (1-based) is asked for. */
  throttlePages?: number[];
  /** Answer 500 to these pages (1-based) until `heal()` is called. */
  failPages?: number[];
}

/**
 * A small Microsoft Graph of the test's own on 127.0.0.1: the v2.0 token endpoint (client
 * credentials) and `GET /v1.0/auditLogs/signIns` with $filter createdDateTime ge, paged by @odata.nextLink.
 */
export async function startFakeGraph(options: FakeGraphOptions) {
  const requests: { path: string; at: number; status: number }[] = [];
  const throttled = new Set<number>();
  let failing = new Set(options.failPages ?? []);
  const token = 'token-' + Math.random().toString(36).slice(2);

  const answer = (res: ServerResponse, req: IncomingMessage, status: number, body: unknown, headers: Record<string, string> = {}) => {
    requests.push({ path: req.url ?? '', at: Date.now(), status });
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      let text = '';
      for await (const chunk of req) text += chunk;
      const form = new URLSearchParams(text);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== options.clientSecret) {
        return answer(res, req, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      }
      return answer(res, req, 200, { token_type: 'Bearer', expires_in: 3599, access_token: token });
    }
    if (req.method === 'GET' && url.pathname === '/v1.0/auditLogs/signIns') {
      if (req.headers.authorization !== `Bearer ${token}`) return answer(res, req, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } });
      const filter = /createdDateTime ge (\S+)/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      const from = filter ? Date.parse(filter) : -Infinity;
      const matching = options.signIns.filter((signIn) => Date.parse(String(signIn.createdDateTime)) >= from);
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = skip / options.pageSize + 1;
      if (options.throttlePages?.includes(page) && !throttled.has(page)) {
        throttled.add(page);
        return answer(res, req, 429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'Retry-After': '1' });
      }
      if (failing.has(page)) return answer(res, req, 500, { error: { code: 'UnknownError', message: 'page failed' } });
      const value = matching.slice(skip, skip + options.pageSize);
      const next = skip + options.pageSize < matching.length ? new URL(req.url ?? '', base) : null;
      next?.searchParams.set('$skiptoken', String(skip + options.pageSize));
      return answer(res, req, 200, { '@odata.context': `${base}/v1.0/$metadata#auditLogs/signIns`, value, ...(next ? { '@odata.nextLink': next.toString() } : {}) });
    }
    answer(res, req, 404, { error: { code: 'NotFound' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${base}/v1.0`,
    tokenUrl: base,
    requests,
    heal: () => {
      failing = new Set();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
