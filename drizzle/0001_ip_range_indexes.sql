-- Custom SQL migration: containment lookups (ip <<= cidr) for the anonymous/malware lists and trusted locations.
CREATE INDEX IF NOT EXISTS "ip_list_entries_cidr_gist" ON "ip_list_entries" USING gist ("cidr" inet_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "trusted_locations_cidr_gist" ON "trusted_locations" USING gist ("cidr" inet_ops);
