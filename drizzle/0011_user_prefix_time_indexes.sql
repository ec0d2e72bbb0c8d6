-- The sign-in log's `user=` (queries/sign-ins.ts) reads a prefix's sign-ins name by name, each name's
-- in time order: (tenant, lower(name), time, id) serves the walk, the skip from name to name and the
-- bounded count, and replaces 0010's (tenant, lower(name)) indexes on sign_ins. Not INCLUDE (name),
-- which would let PostgreSQL answer from the index alone: a stored name of 1,536 bytes twice in one
-- entry passes btree's 2,704-byte limit and the sign-in could not be stored. Mirrored in schema.ts.
CREATE INDEX IF NOT EXISTS "sign_ins_upn_prefix_time_idx" ON "sign_ins" USING btree ("tenant_id", lower("user_principal_name") text_pattern_ops, "created_date_time" DESC NULLS LAST, "id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sign_ins_display_name_prefix_time_idx" ON "sign_ins" USING btree ("tenant_id", lower("user_display_name") text_pattern_ops, "created_date_time" DESC NULLS LAST, "id" DESC NULLS LAST);--> statement-breakpoint
DROP INDEX IF EXISTS "sign_ins_upn_prefix_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "sign_ins_display_name_prefix_idx";
