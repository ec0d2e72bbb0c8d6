-- Two reads of the risk event pages read every event of the period, and on a tenant with many events
-- (60,000 in 30 days) fetching each event's table row was most of their time. With the columns they
-- need in the index, PostgreSQL reads the index alone (docs/scaling.md, "A tenant with many risk events"):
-- - the risk event types aggregate (queries/risk-events.ts, countRiskEventsByType) on (tenant, time,
--   id) plus type, level, status, user and detection time: 38 of 89 ms were table reads;
-- - the type blade's timeline and its users (getDetectionTimeline, listUsersOfType) on (tenant, type,
--   time, id) plus status, level and user: 9-10 ms each for 10,000 events of a type.
-- Key columns, not INCLUDE (Drizzle's schema has no INCLUDE): the leading columns serve every read the
-- old indexes served, in the same order. Every entry stays far under btree's 2,704 bytes: ids are at
-- most 128 characters (src/db/ids.ts), type, level and status are names of ours. Mirrored in schema.ts.
CREATE INDEX IF NOT EXISTS "risk_events_time_summary_idx" ON "risk_events" USING btree ("tenant_id", "activity_date_time" DESC NULLS LAST, "id" DESC NULLS LAST, "risk_event_type", "risk_level", "status", "user_id", "detected_date_time");--> statement-breakpoint
DROP INDEX IF EXISTS "risk_events_time_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "risk_events_type_time_summary_idx" ON "risk_events" USING btree ("tenant_id", "risk_event_type", "activity_date_time" DESC NULLS LAST, "id" DESC NULLS LAST, "status", "risk_level", "user_id");--> statement-breakpoint
DROP INDEX IF EXISTS "risk_events_type_time_idx";
