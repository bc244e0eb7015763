// Distances on the WGS 84 sphere for "nearest disaster".

export interface LatLon {
  lat: number;
  lon: number;
}

/** Mean Earth radius in kilometres (IUGG). */
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres (haversine formula); accurate to about 0.5 % on the ellipsoid. */
export function distanceKm(from: LatLon, to: LatLon): number {
  const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = toRadians(to.lat - from.lat);
  const dLon = toRadians(to.lon - from.lon);
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(from.lat)) * Math.cos(toRadians(to.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Returns the item nearest to `origin` with its distance, or undefined for an empty list. */
export function nearest<T>(
  origin: LatLon,
  items: readonly T[],
  positionOf: (item: T) => LatLon,
): { item: T; distanceKm: number } | undefined {
  let best: { item: T; distanceKm: number } | undefined;
  for (const item of items) {
    const distance = distanceKm(origin, positionOf(item));
    if (!best || distance < best.distanceKm) best = { item, distanceKm: distance };
  }
  return best;
}
