/** Where Graph lives and how to reach it; URLs come from GRAPH_BASE_URL / GRAPH_TOKEN_URL. */
export interface GraphEndpoint {
  baseUrl: string;
  tokenUrl: string;
  directoryTenantId: string;
  clientId: string;
  clientSecret: string;
}

const MAX_RETRIES = 5;
const MAX_WAIT_SECONDS = 120;

export class GraphError extends Error {}

/** OAuth2 client-credentials flow against the identity platform's v2.0 token endpoint. */
export async function fetchToken(endpoint: GraphEndpoint): Promise<string> {
  const url = `${endpoint.tokenUrl}/${encodeURIComponent(endpoint.directoryTenantId)}/oauth2/v2.0/token`;
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: endpoint.clientId,
    client_secret: endpoint.clientSecret,
    scope: `${new URL(endpoint.baseUrl).origin}/.default`,
  });
  const response = await withRetries(() => fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }));
  const answer = (await response.json().catch(() => null)) as { access_token?: unknown; error?: unknown; error_description?: unknown } | null;
  if (!response.ok || typeof answer?.access_token !== 'string') {
    const reason = typeof answer?.error === 'string' ? answer.error : `HTTP ${response.status}`;
    throw new GraphError(`the token endpoint refused the app registration's client credentials (${reason}); check the directory tenant id, client id and secret`);
  }
  return answer.access_token;
}

/** GETs one Graph page, waiting out 429 and 503 as Retry-After says. */
export async function fetchPage(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await withRetries(() => fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }));
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

async function withRetries(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      throw new GraphError(`cannot reach Microsoft Graph: ${(error as Error).cause ?? (error as Error).message}`);
    }
    if ((response.status !== 429 && response.status !== 503) || attempt >= MAX_RETRIES) return response;
    await response.body?.cancel();
    await sleep(retryAfterSeconds(response.headers.get('Retry-After'), attempt) * 1000);
  }
}

/** Retry-After in seconds or as an HTTP date; without one, a doubling wait. */
export function retryAfterSeconds(header: string | null, attempt: number): number {
  const seconds = header === null ? NaN : /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
  const wait = Number.isFinite(seconds) ? Math.max(0, seconds) : 2 ** attempt;
  return Math.min(wait, MAX_WAIT_SECONDS);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
