ALTER TABLE "sign_ins" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "correlation_id" text;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "app_id" text;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "is_interactive" boolean;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "conditional_access_status" text;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "authentication_requirement" text;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "entra_risk_level_during_sign_in" text;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD COLUMN "entra_risk_state" text;--> statement-breakpoint
CREATE TABLE "graph_connections" (
	"tenant_id" uuid PRIMARY KEY NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
	"directory_tenant_id" text NOT NULL,
	"client_id" text NOT NULL,
	"sealed_client_secret" text NOT NULL,
	"schedule_minutes" integer,
	"last_pulled_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
