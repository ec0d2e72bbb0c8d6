import { Hono } from 'hono';
import { evaluateSignIn } from '../../actions/api-evaluate.js';
import { apiKeyActor } from '../../auth/api-keys.js';
import { ingestSignIns } from '../../ingest/ingest.js';
import { parseSignIns } from '../../ingest/parse.js';
import { validateSignIn } from '../../ingest/validate.js';
import { capBody } from '../../http/limits.js';
import { ApiError, apiErrorResponse, readJson, type ApiEnv } from './http.js';

export const MAX_RECORDS = 10_000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_EVALUATE_BYTES = 64 * 1024;

function limit(maxSize: number, label: string) {
  return capBody<ApiEnv>({ maxSize, onError: (c) => apiErrorResponse(c, 413, `The body is over ${label}.`) });
}

export const signInsApiRoutes = new Hono<ApiEnv>()
  .post('/api/v1/sign-ins', limit(MAX_BODY_BYTES, '10 MB'), async (c) => {
    // The layout and dialect are told by content; the Content-Type is not needed to read it.
    const { records, received, skipped } = parseSignIns(await c.req.text());
    if (received > MAX_RECORDS) throw new ApiError(413, `A batch holds at most ${MAX_RECORDS} records; this one has ${received}. Split it.`);
    const result = await ingestSignIns(c.var.deps.database.db, c.var.tenant, records, { now: c.var.deps.now(), actor: apiKeyActor(c.var.apiKey), skipped });
    return c.json(result);
  })
  .post('/api/v1/sign-ins/evaluate', limit(MAX_EVALUATE_BYTES, '64 KB'), async (c) => {
    const record = validateSignIn(await readJson(c), { index: 0 });
    const evaluation = await evaluateSignIn(c.var.deps.database.db, c.var.tenant, record, apiKeyActor(c.var.apiKey), c.var.deps.now());
    return c.json(evaluation);
  });
