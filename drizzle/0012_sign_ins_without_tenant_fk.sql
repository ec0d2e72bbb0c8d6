-- sign_ins and sign_in_ids take every ingested sign-in, and a foreign key checks each row it writes:
-- one lookup of the tenant, locked FOR KEY SHARE, a row (3-4 microseconds). On an import of 200,000
-- sign-ins the two checks were 12-20 % of the time (docs/ingestion-performance.md). What they
-- guarded is kept another way:
-- - A batch locks its tenant's row FOR KEY SHARE once, beside its ingestion lock (src/ingest/locks.ts),
--   so a tenant cannot be deleted under a batch, and a batch for a deleted tenant stops with nothing written.
-- - Deleting a tenant deletes its sign-ins and their ids, by the trigger below, as the cascade did.
ALTER TABLE "sign_ins" DROP CONSTRAINT IF EXISTS "sign_ins_tenant_id_tenants_id_fk";--> statement-breakpoint
ALTER TABLE "sign_in_ids" DROP CONSTRAINT IF EXISTS "sign_in_ids_tenant_id_tenants_id_fk";--> statement-breakpoint
CREATE OR REPLACE FUNCTION "riskdesk_delete_tenant_sign_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "sign_ins" WHERE "tenant_id" = OLD."id";
  DELETE FROM "sign_in_ids" WHERE "tenant_id" = OLD."id";
  RETURN NULL;
END
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "tenants_delete_sign_ins" ON "tenants";--> statement-breakpoint
CREATE TRIGGER "tenants_delete_sign_ins" AFTER DELETE ON "tenants" FOR EACH ROW EXECUTE FUNCTION "riskdesk_delete_tenant_sign_ins"();
