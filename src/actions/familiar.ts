import { sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';

export interface LearnedPlace {
  countryOrRegion: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  at: Date;
}

/**
 * Makes a place familiar to a user because an admin marked a sign-in from there a false positive
 * (docs/detection.md). Keyed like the detector's own learning: (country, city), '' for a
 * missing part. A place already familiar keeps its source and gains coordinates it lacked.
 */
export async function learnFamiliarLocation(db: Queryable, tenantId: string, userId: string, place: LearnedPlace): Promise<boolean> {
  const hasName = Boolean(place.countryOrRegion || place.city);
  const hasCoordinates = place.latitude !== null && place.longitude !== null;
  if (!hasName && !hasCoordinates) return false;
  const at = place.at.toISOString();
  const latitude = hasCoordinates ? place.latitude : null;
  const longitude = hasCoordinates ? place.longitude : null;
  // The select guards the foreign key: a user missing from the directory learns nothing.
  await db.execute(sql`
    insert into familiar_locations
      (tenant_id, user_id, country_or_region, city, latitude, longitude, source, first_seen_at, last_seen_at)
    select ${tenantId}::uuid, ${userId}::text, ${place.countryOrRegion ?? ''}::text, ${place.city ?? ''}::text,
           ${latitude}::double precision, ${longitude}::double precision, 'feedback', ${at}::timestamptz, ${at}::timestamptz
     where exists (select 1 from directory_users where tenant_id = ${tenantId} and id = ${userId})
    on conflict (tenant_id, user_id, country_or_region, city) do update set
      latitude = case when familiar_locations.latitude is null then excluded.latitude else familiar_locations.latitude end,
      longitude = case when familiar_locations.latitude is null then excluded.longitude else familiar_locations.longitude end,
      first_seen_at = least(familiar_locations.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(familiar_locations.last_seen_at, excluded.last_seen_at)`);
  return true;
}
