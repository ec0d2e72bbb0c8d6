CREATE TABLE "password_handoffs" (
	"tenant_id" uuid NOT NULL,
	"token_hash" bytea NOT NULL,
	"admin_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"sealed_password" bytea NOT NULL,
	"remediated_events" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "password_handoffs_tenant_id_token_hash_pk" PRIMARY KEY("tenant_id","token_hash")
);
--> statement-breakpoint
ALTER TABLE "password_handoffs" ADD CONSTRAINT "password_handoffs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "password_handoffs_expiry_idx" ON "password_handoffs" USING btree ("tenant_id","expires_at");
