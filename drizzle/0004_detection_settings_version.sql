-- The detection thresholds form carries this version back, so two admins editing at once get a 409 rather than a silent overwrite.
ALTER TABLE "tenants" ADD COLUMN "detection_settings_version" integer DEFAULT 1 NOT NULL;
