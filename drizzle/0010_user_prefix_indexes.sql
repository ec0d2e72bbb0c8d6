-- `user=` is a case-insensitive prefix match on UPN or display name (queries/risky-sign-ins.ts userPrefix):
-- text_pattern_ops lets `lower(col) like 'jo%'` use a btree range under any collation; the OR of the
-- two becomes a BitmapOr of these indexes instead of a sequential scan.
CREATE INDEX "sign_ins_upn_prefix_idx" ON "sign_ins" USING btree ("tenant_id", lower("user_principal_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "sign_ins_display_name_prefix_idx" ON "sign_ins" USING btree ("tenant_id", lower("user_display_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "risk_events_upn_prefix_idx" ON "risk_events" USING btree ("tenant_id", lower("user_principal_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "risk_events_display_name_prefix_idx" ON "risk_events" USING btree ("tenant_id", lower("user_display_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "directory_users_upn_prefix_idx" ON "directory_users" USING btree ("tenant_id", lower("user_principal_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "directory_users_display_name_prefix_idx" ON "directory_users" USING btree ("tenant_id", lower("display_name") text_pattern_ops);
