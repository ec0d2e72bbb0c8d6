ALTER TABLE "sign_ins" ADD COLUMN "truncated_fields" text[];--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "client_address" inet;
