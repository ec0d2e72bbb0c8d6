// Impossible travel: the two sign-ins plotted on a latitude/longitude grid (equirectangular), a
// line between them, with the distance, time and speed the rule measured. No world outline: the
// grid and the place names say enough, and the page stays light.

export interface TravelPoint {
  latitude: number;
  longitude: number;
  label: string;
}

export interface TravelMapProps {
  from: TravelPoint;
  to: TravelPoint;
  distanceKm: string | null;
  elapsedMinutes: string | null;
  speedKmh: string | null;
}

const WIDTH = 480;
const HEIGHT = 260;
const PAD = 40;

/** Grid spacing in degrees that gives a handful of lines over the span. */
function gridStep(span: number): number {
  return [1, 2, 5, 10, 15, 30, 45].find((step) => span / step <= 8) ?? 60;
}

export function TravelMap({ from, to, distanceKm, elapsedMinutes, speedKmh }: TravelMapProps) {
  // The box around both points, at least 10 degrees each way and in the map's proportions.
  let minLon = Math.min(from.longitude, to.longitude);
  let maxLon = Math.max(from.longitude, to.longitude);
  let minLat = Math.min(from.latitude, to.latitude);
  let maxLat = Math.max(from.latitude, to.latitude);
  const span = Math.max(10, maxLon - minLon, (maxLat - minLat) * ((WIDTH - 2 * PAD) / (HEIGHT - 2 * PAD)));
  const lonCentre = (minLon + maxLon) / 2;
  const latCentre = (minLat + maxLat) / 2;
  const latSpan = span * ((HEIGHT - 2 * PAD) / (WIDTH - 2 * PAD));
  minLon = lonCentre - span / 2;
  maxLon = lonCentre + span / 2;
  minLat = latCentre - latSpan / 2;
  maxLat = latCentre + latSpan / 2;
  const round = (n: number) => Math.round(n * 10) / 10;
  const x = (lon: number) => round(PAD + ((lon - minLon) / (maxLon - minLon)) * (WIDTH - 2 * PAD));
  const y = (lat: number) => round(HEIGHT - PAD - ((lat - minLat) / (maxLat - minLat)) * (HEIGHT - 2 * PAD));
  const step = gridStep(span);
  const lons: number[] = [];
  for (let lon = Math.ceil(minLon / step) * step; lon <= maxLon; lon += step) lons.push(lon);
  const lats: number[] = [];
  for (let lat = Math.ceil(minLat / step) * step; lat <= maxLat; lat += step) lats.push(lat);
  const points = [
    { ...from, role: 'Previous sign-in', fill: '#64748b' },
    { ...to, role: 'This sign-in', fill: '#dc2626' },
  ];
  const summary = `From ${from.label} to ${to.label}: ${distanceKm ?? '?'} km in ${elapsedMinutes ?? '?'} minutes, ${speedKmh ?? '?'} km/h`;
  return (
    <figure class="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="travel-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} class="h-auto w-full max-w-xl" role="img" aria-label={summary}>
        <title>{summary}</title>
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} fill="#f8fafc" />
        {lons.map((lon) => (
          <g>
            <line x1={x(lon)} y1={PAD / 2} x2={x(lon)} y2={HEIGHT - PAD / 2} stroke="#e2e8f0" stroke-width="1" />
            <text x={x(lon)} y={HEIGHT - 4} font-size="10" text-anchor="middle" fill="#64748b">{`${lon}°`}</text>
          </g>
        ))}
        {lats.map((lat) => (
          <g>
            <line x1={PAD / 2} y1={y(lat)} x2={WIDTH - PAD / 2} y2={y(lat)} stroke="#e2e8f0" stroke-width="1" />
            <text x="4" y={y(lat) + 3} font-size="10" fill="#64748b">{`${lat}°`}</text>
          </g>
        ))}
        <line x1={x(from.longitude)} y1={y(from.latitude)} x2={x(to.longitude)} y2={y(to.latitude)} stroke="#1d4ed8" stroke-width="2" stroke-dasharray="6 4" />
        {points.map((point) => (
          <g>
            <title>{`${point.role}: ${point.label} (${point.latitude}, ${point.longitude})`}</title>
            <circle cx={x(point.longitude)} cy={y(point.latitude)} r="6" fill={point.fill} stroke="#ffffff" stroke-width="2" />
            <text x={x(point.longitude)} y={y(point.latitude) - 10} font-size="12" text-anchor="middle" fill="#0f172a">
              {point.label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption class="mt-2 text-sm">
        <dl class="flex flex-wrap gap-x-6 gap-y-1">
          <div>
            <dt class="inline text-slate-600 dark:text-slate-400">Distance: </dt>
            <dd class="inline font-medium">{distanceKm ?? '—'} km</dd>
          </div>
          <div>
            <dt class="inline text-slate-600 dark:text-slate-400">Elapsed: </dt>
            <dd class="inline font-medium">{elapsedMinutes ?? '—'} minutes</dd>
          </div>
          <div>
            <dt class="inline text-slate-600 dark:text-slate-400">Speed needed: </dt>
            <dd class="inline font-medium">{speedKmh ?? '—'} km/h</dd>
          </div>
        </dl>
      </figcaption>
    </figure>
  );
}
