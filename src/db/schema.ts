import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  cidr,
  customType,
  doublePrecision,
  foreignKey,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// Tenant-owned tables carry tenant_id, and every primary, unique and foreign key of theirs starts
// with it, so they can be distributed by tenant (docs/scaling.md). Install-wide tables
// (admins, sessions, recovery codes, API keys, login attempts, global IP lists) are keyed on their own.

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const EDITIONS = ['free', 'basic', 'premium_p1', 'premium_p2'] as const;
export type Edition = (typeof EDITIONS)[number];
export const ROLES = ['global_admin', 'security_admin', 'security_reader'] as const;
export type Role = (typeof ROLES)[number];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const EVENT_STATUSES = [
  'active',
  'dismissedAsFixed',
  'dismissedAsFalsePositive',
  'dismissedAsIgnore',
  'remediated',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const RISK_STATES = ['none', 'atRisk', 'confirmedCompromised', 'confirmedSafe', 'remediated', 'dismissed'] as const;
export type RiskState = (typeof RISK_STATES)[number];
export const RISK_EVENT_TYPES = [
  'leakedCredentials',
  'anonymizedIPAddress',
  'malwareInfectedIPAddress',
  'suspiciousIPAddress',
  'unlikelyTravel',
  'unfamiliarFeatures',
  'adminConfirmedUserCompromised',
] as const;
export type RiskEventType = (typeof RISK_EVENT_TYPES)[number];

/** Detection thresholds a premium tenant can tune; defaults are in docs/detection.md. */
export interface DetectionSettings {
  travelMinDistanceKm: number;
  travelMaxSpeedKmh: number;
  familiarRadiusKm: number;
  learningDays: number;
  learningMinSignIns: number;
  sprayWindowMinutes: number;
  sprayMinDistinctUpns: number;
}

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  travelMinDistanceKm: 500,
  travelMaxSpeedKmh: 900,
  familiarRadiusKm: 100,
  learningDays: 14,
  learningMinSignIns: 5,
  sprayWindowMinutes: 60,
  sprayMinDistinctUpns: 5,
};

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  domain: text('domain').notNull().unique(),
  edition: text('edition').$type<Edition>().notNull(),
  mfaRequired: boolean('mfa_required').notNull().default(false),
  detectionSettings: jsonb('detection_settings').$type<Partial<DetectionSettings>>().notNull().default({}),
  detectionSettingsVersion: integer('detection_settings_version').notNull().default(1),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const admins = pgTable(
  'admins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    displayName: text('display_name'),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    role: text('role').$type<Role>().notNull(),
    totpSecret: bytea('totp_secret'),
    totpLastCounter: bigint('totp_last_counter', { mode: 'number' }),
    timezone: text('timezone').notNull().default('UTC'),
    version: integer('version').notNull().default(1),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('admins_email_key').on(sql`lower(${t.email})`), index('admins_tenant_idx').on(t.tenantId)],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    adminId: uuid('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: tz('used_at'),
  },
  (t) => [primaryKey({ columns: [t.adminId, t.codeHash] })],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: bytea('secret_hash').notNull(),
    adminId: uuid('admin_id')
      .notNull()
      .references(() => admins.id, { onDelete: 'cascade' }),
    twoFactorVerified: boolean('two_factor_verified').notNull().default(false),
    createdAt: tz('created_at').notNull(),
    lastVerifiedAt: tz('last_verified_at').notNull(),
  },
  (t) => [index('sessions_admin_idx').on(t.adminId)],
);

export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    email: text('email').notNull(),
    ipAddress: text('ip_address').notNull(),
    succeeded: boolean('succeeded').notNull(),
    attemptedAt: tz('attempted_at').notNull(),
  },
  (t) => [
    index('login_attempts_email_idx').on(t.email, t.attemptedAt),
    index('login_attempts_ip_idx').on(t.ipAddress, t.attemptedAt),
  ],
);

export const directoryUsers = pgTable(
  'directory_users',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    userPrincipalName: text('user_principal_name').notNull(),
    displayName: text('display_name'),
    mail: text('mail'),
    riskLevel: text('risk_level').$type<RiskLevel | 'none'>().notNull().default('none'),
    riskState: text('risk_state').$type<RiskState>().notNull().default('none'),
    riskDetail: text('risk_detail').notNull().default('none'),
    riskLastUpdatedAt: tz('risk_last_updated_at'),
    activeEventCount: integer('active_event_count').notNull().default(0),
    passwordResetRequired: boolean('password_reset_required').notNull().default(false),
    // The detector's profile (docs/detection.md); kept here so it outlives sign-in retention.
    lastCleanSignInId: text('last_clean_sign_in_id'),
    lastCleanAt: tz('last_clean_at'),
    lastCleanCity: text('last_clean_city'),
    lastCleanState: text('last_clean_state'),
    lastCleanCountry: text('last_clean_country'),
    lastCleanLatitude: doublePrecision('last_clean_latitude'),
    lastCleanLongitude: doublePrecision('last_clean_longitude'),
    firstCleanAt: tz('first_clean_at'),
    cleanCount: integer('clean_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('directory_users_upn_idx').on(t.tenantId, sql`lower(${t.userPrincipalName})`),
    index('directory_users_upn_prefix_idx').on(t.tenantId, sql`lower(${t.userPrincipalName}) text_pattern_ops`),
    index('directory_users_display_name_prefix_idx').on(t.tenantId, sql`lower(${t.displayName}) text_pattern_ops`),
    index('directory_users_risk_idx').on(t.tenantId, t.riskLastUpdatedAt.desc(), t.id).where(sql`risk_state <> 'none'`),
  ],
);

export const signIns = pgTable(
  'sign_ins',
  {
    // No foreign key (migration 0012): a batch locks its tenant once, and deleting a tenant deletes these by trigger.
    tenantId: uuid('tenant_id').notNull(),
    id: text('id').notNull(),
    createdDateTime: tz('created_date_time').notNull(),
    userId: text('user_id').notNull(),
    userPrincipalName: text('user_principal_name').notNull(),
    userDisplayName: text('user_display_name'),
    appDisplayName: text('app_display_name'),
    clientAppUsed: text('client_app_used'),
    ipAddress: inet('ip_address'),
    errorCode: integer('error_code').notNull().default(0),
    failureReason: text('failure_reason'),
    city: text('city'),
    state: text('state'),
    countryOrRegion: text('country_or_region'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    browser: text('browser'),
    operatingSystem: text('operating_system'),
    // As Entra recorded them (migration 0003); the entra_risk_* columns are Entra's judgement, never Riskdesk's.
    userAgent: text('user_agent'),
    correlationId: text('correlation_id'),
    appId: text('app_id'),
    isInteractive: boolean('is_interactive'),
    conditionalAccessStatus: text('conditional_access_status'),
    authenticationRequirement: text('authentication_requirement'),
    entraRiskLevelDuringSignIn: text('entra_risk_level_during_sign_in'),
    entraRiskState: text('entra_risk_state'),
    // Fields cut to the stored text limit on import (Graph paths), null when none was.
    truncatedFields: text('truncated_fields').array(),
    // Clean (no risk event): lets a late-arriving sign-in be judged against the profile as it stood then.
    clean: boolean('clean').notNull().default(false),
    // Risk summary: set when the sign-in has at least one risk event (a risky sign-in).
    riskLevel: text('risk_level').$type<RiskLevel>(),
    riskEventTypes: text('risk_event_types').array(),
    riskStatus: text('risk_status').$type<EventStatus>(),
    riskUpdatedAt: tz('risk_updated_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('sign_ins_time_idx').on(t.tenantId, t.createdDateTime.desc(), t.id.desc()),
    index('sign_ins_user_time_idx').on(t.tenantId, t.userId, t.createdDateTime.desc(), t.id.desc()),
    index('sign_ins_upn_prefix_time_idx').on(t.tenantId, sql`lower(${t.userPrincipalName}) text_pattern_ops`, t.createdDateTime.desc(), t.id.desc()),
    index('sign_ins_display_name_prefix_time_idx').on(t.tenantId, sql`lower(${t.userDisplayName}) text_pattern_ops`, t.createdDateTime.desc(), t.id.desc()),
    index('sign_ins_risky_time_idx')
      .on(t.tenantId, t.createdDateTime.desc(), t.id.desc())
      .where(sql`risk_level is not null`),
    index('sign_ins_risky_status_time_idx')
      .on(t.tenantId, t.riskStatus, t.createdDateTime.desc(), t.id.desc())
      .where(sql`risk_level is not null`),
    index('sign_ins_risky_level_time_idx')
      .on(t.tenantId, t.riskLevel, t.createdDateTime.desc(), t.id.desc())
      .where(sql`risk_level is not null`),
    index('sign_ins_failures_ip_idx')
      .on(t.tenantId, t.ipAddress, t.createdDateTime)
      .where(sql`error_code in (50126, 50053)`),
  ],
);

/** Every sign-in id a tenant ingested, kept past retention so a re-sent export is still a duplicate. */
export const signInIds = pgTable(
  'sign_in_ids',
  {
    // No foreign key, as sign_ins (migration 0012).
    tenantId: uuid('tenant_id').notNull(),
    id: text('id').notNull(),
    createdDateTime: tz('created_date_time').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export interface EvidenceItem {
  key: string;
  value: string;
}

export const riskEvents = pgTable(
  'risk_events',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    riskEventType: text('risk_event_type').$type<RiskEventType>().notNull(),
    riskLevel: text('risk_level').$type<RiskLevel>().notNull(),
    detectionTimingType: text('detection_timing_type').$type<'realtime' | 'offline'>().notNull(),
    activity: text('activity').$type<'signin' | 'user'>().notNull(),
    // One event per type per sign-in (the sign-in id), per user and leak entry, or per admin action.
    dedupeKey: text('dedupe_key').notNull(),
    requestId: text('request_id'),
    userId: text('user_id').notNull(),
    userPrincipalName: text('user_principal_name').notNull(),
    userDisplayName: text('user_display_name'),
    ipAddress: inet('ip_address'),
    city: text('city'),
    state: text('state'),
    countryOrRegion: text('country_or_region'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    activityDateTime: tz('activity_date_time').notNull(),
    detectedDateTime: tz('detected_date_time').notNull(),
    lastUpdatedDateTime: tz('last_updated_date_time').notNull(),
    status: text('status').$type<EventStatus>().notNull().default('active'),
    riskDetail: text('risk_detail').notNull().default('none'),
    closedAt: tz('closed_at'),
    evidence: jsonb('evidence').$type<EvidenceItem[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    // Set on insert and by a trigger on update (0009): the delta feed's order (queries/api-risk-detections-delta.ts).
    changeXid: bigint('change_xid', { mode: 'number' })
      .notNull()
      .default(sql`(pg_current_xact_id()::text::bigint)`),
    changeSeq: bigint('change_seq', { mode: 'number' })
      .notNull()
      .default(sql`nextval('risk_event_change_seq')`),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('risk_events_change_idx').on(t.tenantId, t.changeXid, t.changeSeq),
    uniqueIndex('risk_events_dedupe_key').on(t.tenantId, t.riskEventType, t.dedupeKey),
    // Wide so that the risk event types aggregate reads the index alone (0013).
    index('risk_events_time_summary_idx').on(t.tenantId, t.activityDateTime.desc(), t.id.desc(), t.riskEventType, t.riskLevel, t.status, t.userId, t.detectedDateTime),
    index('risk_events_status_time_idx').on(t.tenantId, t.status, t.activityDateTime.desc(), t.id.desc()),
    index('risk_events_user_time_idx').on(t.tenantId, t.userId, t.activityDateTime.desc(), t.id.desc()),
    index('risk_events_upn_prefix_idx').on(t.tenantId, sql`lower(${t.userPrincipalName}) text_pattern_ops`),
    index('risk_events_display_name_prefix_idx').on(t.tenantId, sql`lower(${t.userDisplayName}) text_pattern_ops`),
    // Wide so that the type blade's timeline and users read the index alone (0013).
    index('risk_events_type_time_summary_idx').on(t.tenantId, t.riskEventType, t.activityDateTime.desc(), t.id.desc(), t.status, t.riskLevel, t.userId),
    index('risk_events_request_idx').on(t.tenantId, t.requestId),
    index('risk_events_detected_idx').on(t.tenantId, t.detectedDateTime, t.id),
  ],
);

export const familiarLocations = pgTable(
  'familiar_locations',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    countryOrRegion: text('country_or_region').notNull(),
    city: text('city').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    source: text('source').$type<'clean' | 'feedback'>().notNull(),
    firstSeenAt: tz('first_seen_at').notNull(),
    lastSeenAt: tz('last_seen_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.countryOrRegion, t.city] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [directoryUsers.tenantId, directoryUsers.id] }).onDelete(
      'cascade',
    ),
  ],
);

export const ipLists = pgTable(
  'ip_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'anonymous' | 'malware'>().notNull(),
    name: text('name').notNull(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ip_lists_kind_name_key').on(t.kind, t.name)],
);

export const ipListEntries = pgTable(
  'ip_list_entries',
  {
    listId: uuid('list_id')
      .notNull()
      .references(() => ipLists.id, { onDelete: 'cascade' }),
    cidr: cidr('cidr').notNull(),
    addedAt: tz('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.cidr] })],
);

export const leakListEntries = pgTable(
  'leak_list_entries',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    value: text('value').notNull(),
    source: text('source').notNull(),
    addedAt: tz('added_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.value] })],
);

/** A tenant's named trusted location (e.g. the corporate VPN); its ranges are the trusted_locations rows of that name. */
export const trustedLocationNames = pgTable(
  'trusted_location_names',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('trusted_location_names_tenant_name_key').on(t.tenantId, t.name)],
);

export const trustedLocations = pgTable(
  'trusted_locations',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    cidr: cidr('cidr').notNull(),
    addedAt: tz('added_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.name, t.cidr] }),
    foreignKey({ name: 'trusted_locations_tenant_id_name_fk', columns: [t.tenantId, t.name], foreignColumns: [trustedLocationNames.tenantId, trustedLocationNames.name] })
      .onDelete('cascade')
      .onUpdate('cascade'),
  ],
);

export const policies = pgTable(
  'policies',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'userRisk' | 'signInRisk'>().notNull(),
    enabled: boolean('enabled').notNull().default(false),
    includeAll: boolean('include_all').notNull().default(true),
    includeUpns: text('include_upns').array().notNull().default(sql`'{}'::text[]`),
    excludeUpns: text('exclude_upns').array().notNull().default(sql`'{}'::text[]`),
    threshold: text('threshold').$type<RiskLevel>().notNull().default('high'),
    control: text('control').$type<'block' | 'requirePasswordChange' | 'requireMfa'>().notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

/** A tenant's app registration for pulling sign-ins from Microsoft Graph; the secret is sealed with SECRETS_KEY. */
export const graphConnections = pgTable('graph_connections', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  directoryTenantId: text('directory_tenant_id').notNull(),
  clientId: text('client_id').notNull(),
  sealedClientSecret: text('sealed_client_secret').notNull(),
  /** Pull every N minutes from the server; null: only by command. */
  scheduleMinutes: integer('schedule_minutes'),
  lastPulledAt: tz('last_pulled_at'),
  lastError: text('last_error'),
  createdAt: tz('created_at').notNull().defaultNow(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});
export type GraphConnection = typeof graphConnections.$inferSelect;

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    secretHash: bytea('secret_hash').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
    lastUsedAt: tz('last_used_at'),
    revokedAt: tz('revoked_at'),
  },
  (t) => [index('api_keys_tenant_idx').on(t.tenantId)],
);

export const WEBHOOK_EVENTS = ['riskDetection.created', 'riskDetection.statusChanged', 'riskyUser.riskChanged'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const webhooks = pgTable(
  'webhooks',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull().default(''),
    url: text('url').notNull(),
    events: text('events').array().$type<WebhookEvent[]>().notNull().default(sql`'{}'`),
    /** Sealed with SECRETS_KEY (crypto/secrets.ts). */
    secret: text('secret').notNull(),
    /** The secret before the last rotation, still signing until previous_secret_until. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: tz('previous_secret_until'),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    version: integer('version').notNull().default(1),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    webhookId: uuid('webhook_id').notNull(),
    /** The payload's id: the same for every endpoint and every redelivery of one event. */
    eventId: uuid('event_id').notNull().defaultRandom(),
    event: text('event').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tz('next_attempt_at').notNull().defaultNow(),
    retryUntil: tz('retry_until').notNull(),
    lastAttemptAt: tz('last_attempt_at'),
    deliveredAt: tz('delivered_at'),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.webhookId], foreignColumns: [webhooks.tenantId, webhooks.id] }).onDelete('cascade'),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.tenantId, t.webhookId, t.id),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    webhookId: uuid('webhook_id').notNull(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    event: text('event').notNull(),
    at: tz('at').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    responseBody: text('response_body'),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.webhookId], foreignColumns: [webhooks.tenantId, webhooks.id] }).onDelete('cascade'),
    index('webhook_attempts_webhook_idx').on(t.tenantId, t.webhookId, t.id.desc()),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    at: tz('at').notNull().defaultNow(),
    actorType: text('actor_type').$type<'admin' | 'apiKey' | 'system'>().notNull(),
    actorId: text('actor_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    /** Where the request that made the change came from (src/auth/client-address.ts); null for the CLI and jobs. */
    clientAddress: inet('client_address'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_log_time_idx').on(t.tenantId, t.at.desc(), t.id.desc()),
    index('audit_log_target_idx').on(t.tenantId, t.targetType, t.targetId, t.at.desc()),
  ],
);

/**
 * A reset user's temporary password waiting to be shown, once, to the admin who reset it: looked up
 * by the SHA-256 of a single-use token and sealed with a key derived from that token, so the row
 * alone reveals nothing. Gone when shown or after 10 minutes.
 */
export const passwordHandoffs = pgTable(
  'password_handoffs',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    tokenHash: bytea('token_hash').notNull(),
    // No foreign key: tenant-owned keys start with tenant_id, and the row lives 10 minutes at most.
    adminId: uuid('admin_id').notNull(),
    userId: text('user_id').notNull(),
    sealedPassword: bytea('sealed_password').notNull(),
    remediatedEvents: integer('remediated_events').notNull(),
    expiresAt: tz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.tokenHash] }), index('password_handoffs_expiry_idx').on(t.tenantId, t.expiresAt)],
);

export type Tenant = typeof tenants.$inferSelect;
export type Admin = typeof admins.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type DirectoryUser = typeof directoryUsers.$inferSelect;
export type SignIn = typeof signIns.$inferSelect;
export type NewSignIn = typeof signIns.$inferInsert;
export type RiskEvent = typeof riskEvents.$inferSelect;
export type NewRiskEvent = typeof riskEvents.$inferInsert;
export type AuditEntry = typeof auditLog.$inferInsert;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
