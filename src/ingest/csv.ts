/**
 * CSV columns (docs/import-formats.md): the flat names below, or Graph's dotted paths for the nested
 * ones (status.errorCode, location.city, location.geoCoordinates.latitude, deviceDetail.browser, ...).
 */
const NESTED: Record<string, [string, ...string[]]> = {
  errorCode: ['status', 'errorCode'],
  failureReason: ['status', 'failureReason'],
  city: ['location', 'city'],
  state: ['location', 'state'],
  countryOrRegion: ['location', 'countryOrRegion'],
  latitude: ['location', 'geoCoordinates', 'latitude'],
  longitude: ['location', 'geoCoordinates', 'longitude'],
  browser: ['deviceDetail', 'browser'],
  operatingSystem: ['deviceDetail', 'operatingSystem'],
};
const NUMERIC = new Set(['errorCode', 'latitude', 'longitude']);

for (const [flat, path] of Object.entries(NESTED)) NESTED[path.join('.')] = NESTED[flat];
for (const numeric of [...NUMERIC]) NUMERIC.add(NESTED[numeric].join('.'));

const FLAT = ['id', 'createdDateTime', 'userId', 'userPrincipalName', 'userDisplayName', 'appDisplayName', 'appId', 'clientAppUsed', 'ipAddress', 'userAgent', 'correlationId'];

export function isGraphCsvColumn(name: string): boolean {
  return FLAT.includes(name) || name in NESTED;
}

/** Turns one CSV row (header -> cell) into the Graph signIn object the JSON validator reads. */
export function graphObjectFromCsvRow(row: Record<string, string>): Record<string, unknown> {
  const graph: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(row)) {
    const name = column.trim();
    if (cell === '' || cell === undefined) continue;
    const value = NUMERIC.has(name) ? numberOrText(cell) : name === 'isInteractive' ? booleanOrText(cell) : cell;
    setPath(graph, NESTED[name] ?? [name], value);
  }
  return graph;
}

function booleanOrText(cell: string): boolean | string {
  const lower = cell.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : cell;
}

function numberOrText(cell: string): number | string {
  const trimmed = cell.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : cell;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
