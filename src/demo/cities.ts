import { haversineKm } from '../detection/geo.js';
export interface City {
  name: string;
  state: string;
  country: string;
  latitude: number;
  longitude: number;
  /** Standard time; the demo ignores daylight saving. */
  utcOffsetHours: number;
}

type Row = [name: string, state: string, country: string, latitude: number, longitude: number, utcOffsetHours: number];

const ROWS: Row[] = [
  ['Seattle', 'Washington', 'US', 47.6062, -122.3321, -8],
  ['Portland', 'Oregon', 'US', 45.5152, -122.6784, -8],
  ['San Francisco', 'California', 'US', 37.7749, -122.4194, -8],
  ['Los Angeles', 'California', 'US', 34.0522, -118.2437, -8],
  ['Austin', 'Texas', 'US', 30.2672, -97.7431, -6],
  ['Dallas', 'Texas', 'US', 32.7767, -96.797, -6],
  ['Chicago', 'Illinois', 'US', 41.8781, -87.6298, -6],
  ['Detroit', 'Michigan', 'US', 42.3314, -83.0458, -5],
  ['New York', 'New York', 'US', 40.7128, -74.006, -5],
  ['Boston', 'Massachusetts', 'US', 42.3601, -71.0589, -5],
  ['Washington', 'District of Columbia', 'US', 38.9072, -77.0369, -5],
  ['Vancouver', 'British Columbia', 'CA', 49.2827, -123.1207, -8],
  ['Toronto', 'Ontario', 'CA', 43.6532, -79.3832, -5],
  ['Mexico City', 'Ciudad de México', 'MX', 19.4326, -99.1332, -6],
  ['São Paulo', 'São Paulo', 'BR', -23.5505, -46.6333, -3],
  ['Rio de Janeiro', 'Rio de Janeiro', 'BR', -22.9068, -43.1729, -3],
  ['London', 'England', 'GB', 51.5074, -0.1278, 0],
  ['Manchester', 'England', 'GB', 53.4808, -2.2426, 0],
  ['Edinburgh', 'Scotland', 'GB', 55.9533, -3.1883, 0],
  ['Dublin', 'Leinster', 'IE', 53.3498, -6.2603, 0],
  ['Amsterdam', 'North Holland', 'NL', 52.3676, 4.9041, 1],
  ['Rotterdam', 'South Holland', 'NL', 51.9244, 4.4777, 1],
  ['Brussels', 'Brussels-Capital', 'BE', 50.8503, 4.3517, 1],
  ['Paris', 'Île-de-France', 'FR', 48.8566, 2.3522, 1],
  ['Lyon', 'Auvergne-Rhône-Alpes', 'FR', 45.764, 4.8357, 1],
  ['Berlin', 'Berlin', 'DE', 52.52, 13.405, 1],
  ['Hamburg', 'Hamburg', 'DE', 53.5511, 9.9937, 1],
  ['Frankfurt', 'Hesse', 'DE', 50.1109, 8.6821, 1],
  ['Munich', 'Bavaria', 'DE', 48.1351, 11.582, 1],
  ['Madrid', 'Community of Madrid', 'ES', 40.4168, -3.7038, 1],
  ['Valencia', 'Valencian Community', 'ES', 39.4699, -0.3763, 1],
  ['Stockholm', 'Stockholm County', 'SE', 59.3293, 18.0686, 1],
  ['Oslo', 'Oslo', 'NO', 59.9139, 10.7522, 1],
  ['Warsaw', 'Masovia', 'PL', 52.2297, 21.0122, 1],
  ['Bucharest', 'Bucharest', 'RO', 44.4268, 26.1025, 2],
  ['Moscow', 'Moscow', 'RU', 55.7558, 37.6173, 3],
  ['Saint Petersburg', 'Saint Petersburg', 'RU', 59.9311, 30.3609, 3],
  ['Novosibirsk', 'Novosibirsk Oblast', 'RU', 55.0084, 82.9357, 7],
  ['Istanbul', 'Istanbul', 'TR', 41.0082, 28.9784, 3],
  ['Dubai', 'Dubai', 'AE', 25.2048, 55.2708, 4],
  ['Lagos', 'Lagos', 'NG', 6.5244, 3.3792, 1],
  ['Abuja', 'Federal Capital Territory', 'NG', 9.0765, 7.3986, 1],
  ['Johannesburg', 'Gauteng', 'ZA', -26.2041, 28.0473, 2],
  ['Bengaluru', 'Karnataka', 'IN', 12.9716, 77.5946, 5.5],
  ['Chennai', 'Tamil Nadu', 'IN', 13.0827, 80.2707, 5.5],
  ['Hyderabad', 'Telangana', 'IN', 17.385, 78.4867, 5.5],
  ['Mumbai', 'Maharashtra', 'IN', 19.076, 72.8777, 5.5],
  ['Pune', 'Maharashtra', 'IN', 18.5204, 73.8567, 5.5],
  ['Singapore', 'Singapore', 'SG', 1.3521, 103.8198, 8],
  ['Beijing', 'Beijing', 'CN', 39.9042, 116.4074, 8],
  ['Shanghai', 'Shanghai', 'CN', 31.2304, 121.4737, 8],
  ['Seoul', 'Seoul', 'KR', 37.5665, 126.978, 9],
  ['Tokyo', 'Tokyo', 'JP', 35.6762, 139.6503, 9],
  ['Osaka', 'Osaka', 'JP', 34.6937, 135.5023, 9],
  ['Sydney', 'New South Wales', 'AU', -33.8688, 151.2093, 10],
  ['Canberra', 'Australian Capital Territory', 'AU', -35.2809, 149.13, 10],
  ['Melbourne', 'Victoria', 'AU', -37.8136, 144.9631, 10],
];

export const CITIES: readonly City[] = ROWS.map(([name, state, country, latitude, longitude, utcOffsetHours]) => ({
  name,
  state,
  country,
  latitude,
  longitude,
  utcOffsetHours,
}));

export function findCity(name: string): City {
  const city = CITIES.find((candidate) => candidate.name === name);
  if (!city) throw new Error(`no demo city named ${name}`);
  return city;
}

/** Other cities within a day trip or a short flight, for sign-ins that are unfamiliar but not unlikely travel. */
export function findCitiesNear(home: City, minKm: number, maxKm: number): City[] {
  return CITIES.filter((city) => city !== home && haversineKm(home, city) >= minKm && haversineKm(home, city) <= maxKm);
}
