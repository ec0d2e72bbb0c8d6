import { raw } from 'hono/html';
import type { EvidenceItem } from '../../src/db/schema.js';
import { evidenceValue, formatDuration } from './evidence.js';
import { renderTravelMap, type MapPoint } from './world-map.js';

// Impossible travel: both sign-ins on a world map with the great-circle path between them, and the
// same facts in words under it (the text alternative that screen readers and copy-paste get).

export type TravelPoint = MapPoint;

export interface TravelMapProps {
  from: TravelPoint;
  to: TravelPoint;
  distanceKm: string | null;
  elapsedMinutes: string | null;
  speedKmh: string | null;
}

function amount(value: string | null, unit: string): string {
  const n = value === null ? Number.NaN : Number(value);
  if (value === 'Infinity') return `no finite ${unit}`;
  return Number.isFinite(n) ? `${Math.round(n).toLocaleString('en-US')} ${unit}` : '—';
}

function elapsed(value: string | null): string {
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) ? formatDuration(n) : '—';
}

export function TravelMap({ from, to, distanceKm, elapsedMinutes, speedKmh }: TravelMapProps) {
  const summary = `Map: the previous sign-in in ${from.label} and this sign-in in ${to.label}, ${amount(distanceKm, 'km')} apart, ${elapsed(elapsedMinutes)} between them, ${amount(speedKmh, 'km/h')} needed.`;
  return (
    <figure class="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="travel-map">
      {raw(renderTravelMap(from, to, summary))}
      <figcaption class="mt-2 text-sm">
        <p class="sr-only">{summary}</p>
        <ul class="mb-1 flex flex-wrap gap-x-4 text-xs text-slate-700 dark:text-slate-300" aria-hidden="true">
          <li>
            <span class="mr-1 inline-block size-2.5 rounded-full bg-slate-600 align-middle dark:bg-slate-300"></span>Previous sign-in: {from.label}
          </li>
          <li>
            <span class="mr-1 inline-block size-2.5 rounded-full bg-red-600 align-middle dark:bg-red-400"></span>This sign-in: {to.label}
          </li>
        </ul>
        <dl class="flex flex-wrap gap-x-6 gap-y-1">
          <div>
            <dt class="inline text-slate-600 dark:text-slate-300">Distance: </dt>
            <dd class="inline font-medium">{amount(distanceKm, 'km')}</dd>
          </div>
          <div>
            <dt class="inline text-slate-600 dark:text-slate-300">Elapsed: </dt>
            <dd class="inline font-medium">{elapsed(elapsedMinutes)}</dd>
          </div>
          <div>
            <dt class="inline text-slate-600 dark:text-slate-300">Speed needed: </dt>
            <dd class="inline font-medium">{amount(speedKmh, 'km/h')}</dd>
          </div>
        </dl>
      </figcaption>
    </figure>
  );
}

function finite(value: string | null): number | null {
  const n = value === null ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}

export function TravelEvidenceMap({ event }: { event: { evidence: EvidenceItem[]; latitude: number | null; longitude: number | null; city: string | null; state: string | null; countryOrRegion: string | null } }) {
  const previousLat = finite(evidenceValue(event.evidence, 'previousLatitude'));
  const previousLon = finite(evidenceValue(event.evidence, 'previousLongitude'));
  if (event.latitude === null || event.longitude === null || previousLat === null || previousLon === null) return null;
  const here = [event.city, event.state, event.countryOrRegion].filter(Boolean).join(', ');
  return (
    <TravelMap
      from={{ latitude: previousLat, longitude: previousLon, label: evidenceValue(event.evidence, 'previousLocation') ?? 'Previous sign-in' }}
      to={{ latitude: event.latitude, longitude: event.longitude, label: here || 'This sign-in' }}
      distanceKm={evidenceValue(event.evidence, 'distanceKm')}
      elapsedMinutes={evidenceValue(event.evidence, 'elapsedMinutes')}
      speedKmh={evidenceValue(event.evidence, 'speedKmh')}
    />
  );
}
