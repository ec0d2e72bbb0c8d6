import type { FamiliarLocation, Place } from './types.js';

const EARTH_RADIUS_KM = 6371.0088;

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** Great-circle distance by the haversine formula, on the mean Earth radius. */
export function haversineKm(from: Coordinates, to: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (to.latitude - from.latitude) * rad;
  const dLon = (to.longitude - from.longitude) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(from.latitude * rad) * Math.cos(to.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function hasCoordinates(place: Place): place is Place & { latitude: number; longitude: number } {
  return place.latitude !== null && place.longitude !== null;
}

export function placeKey(place: Pick<Place, 'countryOrRegion' | 'city'>): string | null {
  if (!place.countryOrRegion && !place.city) return null;
  return `${place.countryOrRegion ?? ''}\u0000${place.city ?? ''}`;
}

export function hasLocation(place: Place): boolean {
  return placeKey(place) !== null || hasCoordinates(place);
}

export interface Familiarity {
  familiar: boolean;
  nearest: { location: FamiliarLocation; distanceKm: number } | null;
}

/** Familiar by (country, city), or within the radius (inclusive); without coordinates only the name can match. */
export function judgeFamiliarity(place: Place, familiar: FamiliarLocation[], radiusKm: number): Familiarity {
  const key = placeKey(place);
  let nearest: Familiarity['nearest'] = null;
  let familiarByName = false;
  for (const location of familiar) {
    if (key !== null && placeKey(location) === key) familiarByName = true;
    if (!hasCoordinates(place) || location.latitude === null || location.longitude === null) continue;
    const distanceKm = haversineKm(place, { latitude: location.latitude, longitude: location.longitude });
    if (nearest === null || distanceKm < nearest.distanceKm) nearest = { location, distanceKm };
  }
  return { familiar: familiarByName || (nearest !== null && nearest.distanceKm <= radiusKm), nearest };
}

export function describePlace(place: Pick<Place, 'city' | 'state' | 'countryOrRegion'>): string {
  return [place.city, place.state, place.countryOrRegion].filter(Boolean).join(', ') || 'unknown';
}
