import { Hono } from 'hono';
import type { ApiEnv } from './http.js';

// GET /api/v1/openapi.json, open without a key: the API as OpenAPI 3.1.

const error = { $ref: '#/components/responses/Error' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const listParameters = [
  { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } },
  { name: 'until', in: 'query', schema: { type: 'string', format: 'date-time' } },
  { name: 'riskEventType', in: 'query', schema: { type: 'string' } },
  { name: 'riskState', in: 'query', schema: { type: 'string', enum: ['none', 'atRisk', 'confirmedCompromised', 'confirmedSafe', 'remediated', 'dismissed'] } },
  { name: 'userPrincipalName', in: 'query', schema: { type: 'string' } },
  { name: '$top', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
  { name: '$skiptoken', in: 'query', description: 'Opaque cursor; follow @odata.nextLink instead of building it.', schema: { type: 'string' } },
];
const page = (item: string) => ({
  type: 'object',
  required: ['value'],
  properties: { value: { type: 'array', items: ref(item) }, '@odata.nextLink': { type: 'string', format: 'uri' } },
});
const userAction = (summary: string) => ({
  post: {
    summary,
    requestBody: { required: true, content: json(ref('UserIds')) },
    responses: { '204': { description: 'Done for every user.' }, '400': error, '401': error, '404': error },
  },
});
const decision = (controls: string[]) => ({ type: 'string', enum: ['allow', ...controls] });

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Riskdesk API', version: '1.0.0', description: 'Risky sign-ins and users at risk, in Microsoft Graph shapes. See docs/api.md.' },
  servers: [{ url: '/' }],
  security: [{ apiKey: [] }],
  paths: {
    '/api/v1/sign-ins': {
      post: {
        summary: 'Ingest a batch of sign-ins (at most 10,000 records or 10 MB; one bad record rejects the batch).',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { oneOf: [{ type: 'array', items: ref('SignIn') }, { type: 'object', properties: { value: { type: 'array', items: ref('SignIn') } } }] } },
            'application/x-ndjson': { schema: { type: 'string', description: 'One Graph signIn object a line.' } },
          },
        },
        responses: { '200': { description: 'Counts', content: json(ref('IngestResult')) }, '400': error, '401': error, '413': error },
      },
    },
    '/api/v1/sign-ins/evaluate': {
      post: {
        summary: 'Judge and store one sign-in now; answers its risk detections and both policy decisions.',
        requestBody: { required: true, content: json(ref('SignIn')) },
        responses: { '200': { description: 'Evaluation', content: json(ref('Evaluation')) }, '400': error, '401': error, '413': error },
      },
    },
    '/api/v1/risk-detections': {
      get: { summary: 'Risk detections, oldest detection first.', parameters: listParameters, responses: { '200': { description: 'A Graph page', content: json(page('RiskDetection')) }, '400': error, '401': error } },
    },
    '/api/v1/risk-detections/delta': {
      get: {
        summary: 'Every detection created or changed since the $deltatoken (Graph delta query); @odata.nextLink while paging, @odata.deltaLink at the end.',
        parameters: [
          { name: '$deltatoken', in: 'query', schema: { type: 'string' }, description: 'From the last @odata.deltaLink; "latest" starts from now.' },
          { name: '$skiptoken', in: 'query', schema: { type: 'string' } },
          { name: '$top', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 } },
        ],
        responses: { '200': { description: 'A Graph delta page', content: json(page('RiskDetection')) }, '400': error, '401': error },
      },
    },
    '/api/v1/risky-users': {
      get: { summary: 'Users who have or had risk.', parameters: listParameters, responses: { '200': { description: 'A Graph page', content: json(page('RiskyUser')) }, '400': error, '401': error } },
    },
    '/api/v1/risky-users/dismiss': userAction("Dismiss every active risk event of the users (riskDetail adminDismissedAllRiskForUser)."),
    '/api/v1/risky-users/confirmCompromised': userAction('Confirm the users compromised (a high adminConfirmedUserCompromised event each).'),
    '/api/v1/risky-users/passwordChanged': userAction('The users changed their password: active events become remediated, a pending reset clears.'),
    '/api/v1/risk/users/{upn}': {
      get: {
        summary: "A user's risk and the user risk policy's decision; an unknown user is allowed.",
        parameters: [{ name: 'upn', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'Decision', content: json(ref('UserRiskDecision')) }, '400': error, '401': error },
      },
    },
    '/api/v1/openapi.json': { get: { summary: 'This document.', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
  },
  components: {
    securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key rdk_<id>.<secret> from Settings > API keys or `riskdesk apikey create`.' } },
    responses: { Error: { description: 'Error', content: json(ref('Error')) } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' }, index: { type: 'integer' }, field: { type: 'string' } },
          },
        },
      },
      SignIn: {
        type: 'object',
        required: ['id', 'createdDateTime', 'userPrincipalName'],
        description: 'A Microsoft Graph signIn; unknown properties are ignored.',
        properties: {
          id: { type: 'string' },
          createdDateTime: { type: 'string', format: 'date-time' },
          userId: { type: 'string' },
          userPrincipalName: { type: 'string' },
          userDisplayName: { type: 'string' },
          appDisplayName: { type: 'string' },
          clientAppUsed: { type: 'string' },
          ipAddress: { type: 'string' },
          status: { type: 'object', properties: { errorCode: { type: 'integer' }, failureReason: { type: 'string' } } },
          location: { type: 'object', properties: { city: { type: 'string' }, state: { type: 'string' }, countryOrRegion: { type: 'string' }, geoCoordinates: { type: 'object' } } },
          deviceDetail: { type: 'object', properties: { browser: { type: 'string' }, operatingSystem: { type: 'string' } } },
        },
      },
      IngestResult: {
        type: 'object',
        required: ['received', 'inserted', 'duplicates', 'riskDetections'],
        properties: { received: { type: 'integer' }, inserted: { type: 'integer' }, duplicates: { type: 'integer' }, riskDetections: { type: 'integer' } },
      },
      RiskDetection: { type: 'object', description: 'A Microsoft Graph riskDetection; evidence in additionalInfo.', properties: { id: { type: 'string' }, riskEventType: { type: 'string' }, riskLevel: { type: 'string' }, riskState: { type: 'string' }, detectedDateTime: { type: 'string', format: 'date-time' } } },
      RiskyUser: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          userPrincipalName: { type: 'string' },
          userDisplayName: { type: ['string', 'null'] },
          riskLevel: { type: 'string', enum: ['none', 'low', 'medium', 'high'] },
          riskState: { type: 'string' },
          riskDetail: { type: 'string' },
          riskLastUpdatedDateTime: { type: 'string', format: 'date-time' },
          isDeleted: { type: 'boolean' },
          isProcessing: { type: 'boolean' },
        },
      },
      UserIds: { type: 'object', required: ['userIds'], properties: { userIds: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string' } } } },
      UserRiskDecision: {
        type: 'object',
        properties: { userPrincipalName: { type: 'string' }, riskLevel: { type: 'string' }, riskState: { type: 'string' }, decision: decision(['block', 'requirePasswordChange']) },
      },
      Evaluation: {
        type: 'object',
        properties: {
          signIn: { type: 'object', properties: { id: { type: 'string' } } },
          riskDetections: { type: 'array', items: ref('RiskDetection') },
          riskLevel: { type: 'string', enum: ['none', 'low', 'medium', 'high'] },
          decision: { type: 'object', properties: { userRisk: decision(['block', 'requirePasswordChange']), signInRisk: decision(['block', 'requireMfa']) } },
        },
      },
    },
  },
} as const;

export const openApiRoutes = new Hono<ApiEnv>().get('/api/v1/openapi.json', (c) => c.json(OPENAPI));
