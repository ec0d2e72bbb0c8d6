-- Custom SQL migration: a trusted location gets an id and a version of its own, so the console can
-- link to, rename and remove it; its ranges stay in trusted_locations (one row per CIDR, which the
-- detector's gist containment lookup reads) and follow a rename through ON UPDATE CASCADE.
CREATE TABLE "trusted_location_names" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trusted_location_names_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "trusted_location_names" ADD CONSTRAINT "trusted_location_names_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_location_names_tenant_name_key" ON "trusted_location_names" USING btree ("tenant_id","name");--> statement-breakpoint
INSERT INTO "trusted_location_names" ("tenant_id", "name", "created_at")
	SELECT "tenant_id", "name", min("added_at") FROM "trusted_locations" GROUP BY "tenant_id", "name";--> statement-breakpoint
ALTER TABLE "trusted_locations" ADD CONSTRAINT "trusted_locations_tenant_id_name_fk" FOREIGN KEY ("tenant_id","name") REFERENCES "public"."trusted_location_names"("tenant_id","name") ON DELETE cascade ON UPDATE cascade;
