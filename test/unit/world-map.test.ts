import { describe, expect, it } from 'vitest';
import { MAP_HEIGHT, MAP_WIDTH, renderTravelMap, travelMapsDrawn } from '../../views/components/world-map.js';
import { travelSentence } from '../../views/components/evidence.js';

const PLACES: [string, number, number][] = [
  ['Seattle, Washington, US', 47.6062, -122.3321],
  ['Tokyo, Tokyo, JP', 35.6762, 139.6503],
  ['Sydney, New South Wales, AU', -33.87, 151.21],
  ['Reykjavík, Capital Region, IS', 64.15, -21.94],
  ['Ushuaia, Tierra del Fuego Province, AR', -54.8, -68.3],
  ['Auckland, Auckland, NZ', -36.85, 174.76],
  ['Lyon, Auvergne-Rhône-Alpes, FR', 45.76, 4.84],
  ['Geneva, Geneva, CH', 46.2, 6.14],
];

/** The box a label's text takes at 12 px, by the same generous glyph width the map assumes. */
function labelBoxes(svg: string) {
  return [...svg.matchAll(/<text x="([\d.-]+)" y="([\d.-]+)" text-anchor="(\w+)"[^>]*>([^<]*)<\/text>/g)].map(([, x, y, anchor, text]) => {
    const width = text.replace(/&[a-z#0-9]+;/g, '&').length * 7;
    const left = anchor === 'start' ? Number(x) : anchor === 'end' ? Number(x) - width : Number(x) - width / 2;
    return { left, right: left + width, top: Number(y) - 12, bottom: Number(y) + 3 };
  });
}

describe('the travel map', () => {
  it('keeps both labels inside the map for pairs all over the world, near the edges and next to each other', () => {
    for (const [a, ...fromA] of PLACES.map((p) => p))
      for (const b of PLACES) {
        if (a === b[0]) continue;
        const svg = renderTravelMap({ label: a, latitude: fromA[0], longitude: fromA[1] }, { label: b[0], latitude: b[1], longitude: b[2] }, `${a} to ${b[0]}`);
        expect(svg).not.toContain('NaN');
        const boxes = labelBoxes(svg);
        expect(boxes).toHaveLength(2);
        for (const box of boxes) {
          expect(box.left, `${a} → ${b[0]}`).toBeGreaterThanOrEqual(0);
          expect(box.right, `${a} → ${b[0]}`).toBeLessThanOrEqual(MAP_WIDTH);
          expect(box.top, `${a} → ${b[0]}`).toBeGreaterThanOrEqual(0);
          expect(box.bottom, `${a} → ${b[0]}`).toBeLessThanOrEqual(MAP_HEIGHT);
        }
      }
  });

  it('draws countries, the great-circle path and both markers, escaping the labels', () => {
    const svg = renderTravelMap({ label: '<b>Paris</b>', latitude: 48.86, longitude: 2.35 }, { label: 'Moscow', latitude: 55.75, longitude: 37.62 }, 'Paris & Moscow');
    expect((svg.match(/<path d=/g) ?? []).length).toBeGreaterThan(20);
    expect(svg).toMatch(/<path d="M[^"]+" fill="none"[^>]*data-testid="great-circle"/);
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('&lt;b&gt;Paris&lt;/b&gt;');
    expect(svg).toContain('aria-label="Paris &amp; Moscow"');
    expect(svg).not.toContain('<b>');
  });

  it('is computed once per pair: the second call returns the cached markup', () => {
    const from = { label: 'Oslo, NO', latitude: 59.91, longitude: 10.75 };
    const to = { label: 'Lima, PE', latitude: -12.05, longitude: -77.04 };
    const first = renderTravelMap(from, to, 'x');
    const drawn = travelMapsDrawn();
    for (let i = 0; i < 20; i++) expect(renderTravelMap(from, to, 'x')).toBe(first);
    expect(travelMapsDrawn()).toBe(drawn);
    renderTravelMap(from, { ...to, label: 'Lima, Lima, PE' }, 'x');
    expect(travelMapsDrawn()).toBe(drawn + 1);
  });
});

describe('the travel evidence in words', () => {
  it('reads like the detector measured it', () => {
    const evidence = (km: string, minutes: string, speed: string) => [
      { key: 'previousLocation', value: 'Seattle, Washington, US' },
      { key: 'distanceKm', value: km },
      { key: 'elapsedMinutes', value: minutes },
      { key: 'speedKmh', value: speed },
    ];
    expect(travelSentence(evidence('7804.3', '31', '15105'))).toBe('7,804 km from Seattle, Washington, US in 31 min: 15,105 km/h');
    expect(travelSentence(evidence('7804.3', '300', '1561'))).toBe('7,804 km from Seattle, Washington, US in 5 h 0 min: 1,561 km/h');
    expect(travelSentence(evidence('900', '0', 'Infinity'))).toBe('900 km from Seattle, Washington, US at the same instant: no speed is fast enough');
  });
});
