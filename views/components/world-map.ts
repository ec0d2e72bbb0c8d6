import { createRequire } from 'node:module';
import { geoAzimuthalEqualArea, geoCircle, geoDistance, geoInterpolate, geoPath } from 'd3-geo';
import type { FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

// The travel evidence as a world map drawn on the server: Natural Earth's countries at 1:110m from
// the world-atlas package (about 100 KB, read once on first use), projected with d3-geo. The SVG
// of a pair of points never changes (an event's evidence is fixed when it is detected), so each is
// rendered once and kept in a small LRU; colours come from CSS classes, so light and dark mode
// share one rendering.

export interface MapPoint {
  latitude: number;
  longitude: number;
  label: string;
}

export const MAP_WIDTH = 420;
export const MAP_HEIGHT = 250;
const PAD = 22;
const FONT = 12;
// A generous average glyph width of the UI font at 12 px, so a label's box is never underestimated.
const CHAR_WIDTH = 7;
const MAX_LABEL = 40;
const CACHE_SIZE = 256;

let countries: FeatureCollection<Geometry> | null = null;

function worldCountries(): FeatureCollection<Geometry> {
  if (!countries) {
    const topology = createRequire(import.meta.url)('world-atlas/countries-110m.json') as Topology<{ countries: GeometryCollection }>;
    countries = feature(topology, topology.objects.countries) as FeatureCollection<Geometry>;
  }
  return countries;
}

const cache = new Map<string, string>();
let drawn = 0;

/** How many maps were projected since start (the cache's misses), for the metrics and the tests. */
export function travelMapsDrawn(): number {
  return drawn;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function clipLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

interface Placed {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

/**
 * Puts a label above its point (below when there is no room or when the other label sits there),
 * shifted inward so its whole box stays inside the map.
 */
export function placeLabel(point: [number, number], text: string, below: boolean): Placed {
  const width = text.length * CHAR_WIDTH;
  let y = below ? point[1] + 12 + FONT : point[1] - 12;
  if (y - FONT < 2) y = point[1] + 12 + FONT;
  if (y > MAP_HEIGHT - 4) y = point[1] - 12;
  let x = point[0];
  let anchor: Placed['anchor'] = 'middle';
  if (x - width / 2 < 4) {
    x = Math.max(4, x - 8);
    anchor = 'start';
  } else if (x + width / 2 > MAP_WIDTH - 4) {
    x = Math.min(MAP_WIDTH - 4, x + 8);
    anchor = 'end';
  }
  return { x: round(x), y: round(y), anchor };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The SVG markup of both sign-ins, the great-circle path between them and the countries around. */
export function renderTravelMap(from: MapPoint, to: MapPoint, summary: string): string {
  const key = JSON.stringify([from, to, summary]);
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const svg = drawMap(from, to, summary);
  drawn++;
  cache.set(key, svg);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return svg;
}

function drawMap(from: MapPoint, to: MapPoint, summary: string): string {
  const a: [number, number] = [from.longitude, from.latitude];
  const b: [number, number] = [to.longitude, to.latitude];
  const middle = geoInterpolate(a, b)(0.5);
  const halfDegrees = (geoDistance(a, b) * 180) / Math.PI / 2;
  // Centred on the path's midpoint, showing at least 12 degrees around it so short hops keep context.
  const view = geoCircle().center(middle).radius(Math.min(170, Math.max(12, halfDegrees * 1.35)))();
  const projection = geoAzimuthalEqualArea()
    .rotate([-middle[0], -middle[1]])
    .fitExtent(
      [
        [PAD, PAD],
        [MAP_WIDTH - PAD, MAP_HEIGHT - PAD],
      ],
      view,
    )
    .clipExtent([
      [0, 0],
      [MAP_WIDTH, MAP_HEIGHT],
    ]);
  const path = geoPath(projection).digits(1);
  const land = worldCountries()
    .features.map((country) => path(country))
    .filter((d): d is string => Boolean(d))
    .map((d) => `<path d="${d}"/>`)
    .join('');
  const route = path({ type: 'LineString', coordinates: [a, b] }) ?? '';
  const pa = projection(a) ?? [0, 0];
  const pb = projection(b) ?? [0, 0];
  const labelA = clipLabel(from.label);
  const labelB = clipLabel(to.label);
  // When the points are close on screen, one label goes above and the other below.
  const close = Math.abs(pa[1] - pb[1]) < 2 * FONT + 8 && Math.abs(pa[0] - pb[0]) < (Math.max(labelA.length, labelB.length) * CHAR_WIDTH) / 2 + 16;
  const upper = pa[1] <= pb[1];
  const placedA = placeLabel(pa, labelA, close && !upper);
  const placedB = placeLabel(pb, labelB, close && upper);
  const marker = (p: [number, number], role: string, point: MapPoint, classes: string) =>
    `<g><title>${escapeXml(`${role}: ${point.label} (${point.latitude}, ${point.longitude})`)}</title><circle cx="${round(p[0])}" cy="${round(p[1])}" r="6" class="${classes} stroke-white dark:stroke-slate-900" stroke-width="2"/></g>`;
  const text = (placed: Placed, label: string) =>
    `<text x="${placed.x}" y="${placed.y}" text-anchor="${placed.anchor}" font-size="${FONT}" paint-order="stroke" stroke-width="3" stroke-linejoin="round" class="fill-slate-900 stroke-white dark:fill-slate-100 dark:stroke-slate-900">${escapeXml(label)}</text>`;
  return [
    `<svg viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" class="h-auto w-full max-w-xl" role="img" aria-label="${escapeXml(summary)}" data-testid="world-map">`,
    `<title>${escapeXml(summary)}</title>`,
    `<rect width="${MAP_WIDTH}" height="${MAP_HEIGHT}" class="fill-sky-50 dark:fill-slate-950"/>`,
    `<g class="fill-slate-200 stroke-white dark:fill-slate-700 dark:stroke-slate-900" stroke-width="0.5">${land}</g>`,
    `<path d="${route}" fill="none" class="stroke-blue-700 dark:stroke-blue-400" stroke-width="2" stroke-dasharray="6 4" data-testid="great-circle"/>`,
    marker(pa, 'Previous sign-in', from, 'fill-slate-600 dark:fill-slate-300'),
    marker(pb, 'This sign-in', to, 'fill-red-600 dark:fill-red-400'),
    text(placedA, labelA),
    text(placedB, labelB),
    '</svg>',
  ].join('');
}
