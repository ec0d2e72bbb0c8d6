import { Hono, type Context } from 'hono';
import { compressResponses } from './http/compress.js';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps, AppEnv } from './app-env.js';
import { refuse } from './http/render.js';
import { Metrics, measureRequests } from './http/metrics.js';
import { staticFiles } from './http/static.js';
import { routeMatcher } from './http/known-routes.js';
import { bodyCap, requestGate } from './http/limits.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { apiErrorResponse } from './routes/api/http.js';
import { requestContext } from './http/request-context.js';
import { requireSession } from './auth/middleware.js';
import { requireSameOrigin } from './auth/same-origin.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { apiRoutes } from './routes/api/index.js';
import { homeRoutes } from './routes/home.js';
import { loginRoutes } from './routes/login.js';
import { accountRoutes } from './routes/settings/account.js';
import { adminsRoutes } from './routes/settings/admins.js';
import { apiKeysRoutes } from './routes/settings/api-keys.js';
import { directoryRoutes } from './routes/settings/directory.js';
import { ipListsRoutes } from './routes/settings/ip-lists.js';
import { leakedCredentialsRoutes } from './routes/settings/leaked-credentials.js';
import { trustedLocationsRoutes } from './routes/settings/trusted-locations.js';
import { webhooksRoutes } from './routes/settings/webhooks.js';
import { auditRoutes } from './routes/audit.js';
import { riskySignInFeedbackRoutes } from './routes/security/risky-sign-in-feedback.js';
import { riskySignInsRoutes } from './routes/security/risky-sign-ins.js';
import { exportRoutes } from './routes/security/exports.js';
import { signInsRoutes } from './routes/security/sign-ins.js';
import { usersAtRiskRoutes } from './routes/security/users-at-risk.js';
import { riskEventsRoutes } from './routes/security/risk-events.js';
import { riskEventStatusRoutes } from './routes/security/risk-events-status.js';
import { usersRoutes } from './routes/security/users.js';
import { policiesRoutes } from './routes/security/policies.js';
import { detectionSettingsRoutes } from './routes/settings/detection.js';
import { log } from './log.js';

const MAX_QUERY_BYTES = 8 * 1024;

/** Builds the whole application around the given database; the server and the tests both call it. */
export function createApp(deps: AppDeps) {
  const resolved: Required<AppDeps> = { now: () => new Date(), ...deps };
  const app = new Hono<AppEnv>();
  const metrics = new Metrics();

  app.use(async (c, next) => {
    c.set('deps', resolved);
    await next();
  });
  app.use(requestContext());
  app.use(measureRequests(metrics));
  app.use(
    requestGate({ maxInFlight: resolved.config.maxConcurrentRequests, maxQueued: resolved.config.maxQueuedRequests }, (c) =>
      c.req.path.startsWith('/api/') ? apiErrorResponse(c, 503, 'The server is busy; retry in a moment.') : unavailablePage(c, 'The server is busy. Try again in a moment.'),
    ),
  );
  app.use(
    bodyCap((c) =>
      c.req.path.startsWith('/api/')
        ? apiErrorResponse(c, 413, 'The body is over 1 MB.')
        : refuse(c, { status: 413, message: 'The form sent is over 1 MB.' }),
    ),
  );
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      strictTransportSecurity: resolved.config.nodeEnv === 'production' ? 'max-age=31536000; includeSubDomains' : false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(async (c, next) => {
    const query = c.req.url.indexOf('?');
    if (query !== -1 && Buffer.byteLength(c.req.url) - query - 1 > MAX_QUERY_BYTES) {
      return refuse(c, { status: 414, message: 'The query string is over 8 KB. Narrow the filters and try again.' });
    }
    await next();
  });
  app.use(compressResponses());
  app.use('/static/*', staticFiles());

  app.route('/', healthRoutes);
  app.route('/', metricsRoutes(metrics));
  app.route('/', apiRoutes);
  app.use(requireSameOrigin());
  app.use(requireSession(routeMatcher(app)));
  app.route('/', loginRoutes);
  app.route('/', accountRoutes);
  app.route('/', adminsRoutes);
  app.route('/', apiKeysRoutes);
  app.route('/', trustedLocationsRoutes);
  app.route('/', leakedCredentialsRoutes);
  app.route('/', ipListsRoutes);
  app.route('/', directoryRoutes);
  app.route('/', webhooksRoutes);
  app.route('/', homeRoutes);
  app.route('/', riskySignInFeedbackRoutes);
  app.route('/', auditRoutes);
  app.route('/', riskySignInsRoutes);
  app.route('/', exportRoutes);
  app.route('/', usersAtRiskRoutes);
  app.route('/', signInsRoutes);
  app.route('/', riskEventsRoutes);
  app.route('/', riskEventStatusRoutes);
  app.route('/', usersRoutes);
  app.route('/', policiesRoutes);
  app.route('/', detectionSettingsRoutes);

  app.notFound((c) => refuse(c, { status: 404, message: 'There is nothing at this address, or you cannot see it.' }));
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      log.warn('database unavailable', { method: c.req.method, path: c.req.path, error: String((error as Error)?.message ?? error) });
      return unavailablePage(c, 'The database is not answering. Nothing was changed; try again in a moment.');
    }
    log.error('request failed', { method: c.req.method, path: c.req.path, error: String(error?.stack ?? error) });
    return refuse(c, { status: 500, message: 'The request could not be completed. It has been logged.' });
  });
  return app;
}

function unavailablePage(c: Context<AppEnv>, message: string) {
  c.header('Cache-Control', 'no-store');
  return refuse(c, { status: 503, message, retryAfterSeconds: 1 });
}

export type App = ReturnType<typeof createApp>;
