ALTER TABLE "sign_ins" ADD COLUMN "truncated_fields" text[];
