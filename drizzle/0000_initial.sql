CREATE TABLE "admins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"email" text NOT NULL,
	"display_name" text,
	"password_hash" text NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"role" text NOT NULL,
	"totp_secret" "bytea",
	"totp_last_counter" bigint,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	CONSTRAINT "audit_log_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "directory_users" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"user_principal_name" text NOT NULL,
	"display_name" text,
	"mail" text,
	"risk_level" text DEFAULT 'none' NOT NULL,
	"risk_state" text DEFAULT 'none' NOT NULL,
	"risk_detail" text DEFAULT 'none' NOT NULL,
	"risk_last_updated_at" timestamp with time zone,
	"active_event_count" integer DEFAULT 0 NOT NULL,
	"password_reset_required" boolean DEFAULT false NOT NULL,
	"last_clean_sign_in_id" text,
	"last_clean_at" timestamp with time zone,
	"last_clean_city" text,
	"last_clean_state" text,
	"last_clean_country" text,
	"last_clean_latitude" double precision,
	"last_clean_longitude" double precision,
	"first_clean_at" timestamp with time zone,
	"clean_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_users_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "familiar_locations" (
	"tenant_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"country_or_region" text NOT NULL,
	"city" text NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"source" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "familiar_locations_tenant_id_user_id_country_or_region_city_pk" PRIMARY KEY("tenant_id","user_id","country_or_region","city")
);
--> statement-breakpoint
CREATE TABLE "ip_list_entries" (
	"list_id" uuid NOT NULL,
	"cidr" "cidr" NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ip_list_entries_list_id_cidr_pk" PRIMARY KEY("list_id","cidr")
);
--> statement-breakpoint
CREATE TABLE "ip_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leak_list_entries" (
	"tenant_id" uuid NOT NULL,
	"value" text NOT NULL,
	"source" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leak_list_entries_tenant_id_value_pk" PRIMARY KEY("tenant_id","value")
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"ip_address" text NOT NULL,
	"succeeded" boolean NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"include_all" boolean DEFAULT true NOT NULL,
	"include_upns" text[] DEFAULT '{}'::text[] NOT NULL,
	"exclude_upns" text[] DEFAULT '{}'::text[] NOT NULL,
	"threshold" text DEFAULT 'high' NOT NULL,
	"control" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policies_tenant_id_kind_pk" PRIMARY KEY("tenant_id","kind")
);
--> statement-breakpoint
CREATE TABLE "recovery_codes" (
	"admin_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "recovery_codes_admin_id_code_hash_pk" PRIMARY KEY("admin_id","code_hash")
);
--> statement-breakpoint
CREATE TABLE "risk_events" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"risk_event_type" text NOT NULL,
	"risk_level" text NOT NULL,
	"detection_timing_type" text NOT NULL,
	"activity" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"request_id" text,
	"user_id" text NOT NULL,
	"user_principal_name" text NOT NULL,
	"user_display_name" text,
	"ip_address" "inet",
	"city" text,
	"state" text,
	"country_or_region" text,
	"latitude" double precision,
	"longitude" double precision,
	"activity_date_time" timestamp with time zone NOT NULL,
	"detected_date_time" timestamp with time zone NOT NULL,
	"last_updated_date_time" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"risk_detail" text DEFAULT 'none' NOT NULL,
	"closed_at" timestamp with time zone,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "risk_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"admin_id" uuid NOT NULL,
	"two_factor_verified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_verified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_ids" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"created_date_time" timestamp with time zone NOT NULL,
	CONSTRAINT "sign_in_ids_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sign_ins" (
	"tenant_id" uuid NOT NULL,
	"id" text NOT NULL,
	"created_date_time" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"user_principal_name" text NOT NULL,
	"user_display_name" text,
	"app_display_name" text,
	"client_app_used" text,
	"ip_address" "inet",
	"error_code" integer DEFAULT 0 NOT NULL,
	"failure_reason" text,
	"city" text,
	"state" text,
	"country_or_region" text,
	"latitude" double precision,
	"longitude" double precision,
	"browser" text,
	"operating_system" text,
	"risk_level" text,
	"risk_event_types" text[],
	"risk_status" text,
	"risk_updated_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sign_ins_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"domain" text NOT NULL,
	"edition" text NOT NULL,
	"mfa_required" boolean DEFAULT false NOT NULL,
	"detection_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_domain_unique" UNIQUE("domain")
);
--> statement-breakpoint
CREATE TABLE "trusted_locations" (
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"cidr" "cidr" NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trusted_locations_tenant_id_name_cidr_pk" PRIMARY KEY("tenant_id","name","cidr")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"tenant_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"webhook_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"response_status" integer,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhooks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "admins" ADD CONSTRAINT "admins_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_users" ADD CONSTRAINT "directory_users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "familiar_locations" ADD CONSTRAINT "familiar_locations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "familiar_locations" ADD CONSTRAINT "familiar_locations_tenant_id_user_id_directory_users_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."directory_users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ip_list_entries" ADD CONSTRAINT "ip_list_entries_list_id_ip_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."ip_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leak_list_entries" ADD CONSTRAINT "leak_list_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_admin_id_admins_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."admins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_admin_id_admins_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."admins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_in_ids" ADD CONSTRAINT "sign_in_ids_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD CONSTRAINT "sign_ins_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trusted_locations" ADD CONSTRAINT "trusted_locations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_webhook_id_webhooks_tenant_id_id_fk" FOREIGN KEY ("tenant_id","webhook_id") REFERENCES "public"."webhooks"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admins_email_key" ON "admins" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "admins_tenant_idx" ON "admins" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "audit_log_time_idx" ON "audit_log" USING btree ("tenant_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("tenant_id","target_type","target_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "directory_users_upn_idx" ON "directory_users" USING btree ("tenant_id",lower("user_principal_name"));--> statement-breakpoint
CREATE INDEX "directory_users_risk_idx" ON "directory_users" USING btree ("tenant_id","risk_last_updated_at" DESC NULLS LAST,"id") WHERE risk_state <> 'none';--> statement-breakpoint
CREATE UNIQUE INDEX "ip_lists_kind_name_key" ON "ip_lists" USING btree ("kind","name");--> statement-breakpoint
CREATE INDEX "login_attempts_email_idx" ON "login_attempts" USING btree ("email","attempted_at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_idx" ON "login_attempts" USING btree ("ip_address","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_events_dedupe_key" ON "risk_events" USING btree ("tenant_id","risk_event_type","dedupe_key");--> statement-breakpoint
CREATE INDEX "risk_events_time_idx" ON "risk_events" USING btree ("tenant_id","activity_date_time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "risk_events_status_time_idx" ON "risk_events" USING btree ("tenant_id","status","activity_date_time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "risk_events_user_time_idx" ON "risk_events" USING btree ("tenant_id","user_id","activity_date_time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "risk_events_type_time_idx" ON "risk_events" USING btree ("tenant_id","risk_event_type","activity_date_time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "risk_events_request_idx" ON "risk_events" USING btree ("tenant_id","request_id");--> statement-breakpoint
CREATE INDEX "risk_events_detected_idx" ON "risk_events" USING btree ("tenant_id","detected_date_time","id");--> statement-breakpoint
CREATE INDEX "sessions_admin_idx" ON "sessions" USING btree ("admin_id");--> statement-breakpoint
CREATE INDEX "sign_ins_time_idx" ON "sign_ins" USING btree ("tenant_id","created_date_time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sign_ins_user_time_idx" ON "sign_ins" USING btree ("tenant_id","user_id","created_date_time" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sign_ins_risky_time_idx" ON "sign_ins" USING btree ("tenant_id","created_date_time" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE risk_level is not null;--> statement-breakpoint
CREATE INDEX "sign_ins_risky_status_time_idx" ON "sign_ins" USING btree ("tenant_id","risk_status","created_date_time" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE risk_level is not null;--> statement-breakpoint
CREATE INDEX "sign_ins_risky_level_time_idx" ON "sign_ins" USING btree ("tenant_id","risk_level","created_date_time" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE risk_level is not null;--> statement-breakpoint
CREATE INDEX "sign_ins_failures_ip_idx" ON "sign_ins" USING btree ("tenant_id","ip_address","created_date_time") WHERE error_code in (50126, 50053);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("status","next_attempt_at");