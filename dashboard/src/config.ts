// Runtime configuration: API and WebSocket URLs and the map tile server, read from config.json next to index.html.

export interface DashboardConfig {
  /** REST API base URL, such as https://api.katapp.example or http://127.0.0.1:3000. */
  apiUrl: string;
  /** WebSocket API URL including the stage, such as wss://ws.katapp.example or ws://127.0.0.1:3001/dev. */
  webSocketUrl: string;
  /** Tile URL template with {z}/{x}/{y} (and optionally {s}); empty shows the maps without a tile layer. */
  tileUrl: string;
  /** Attribution shown with the tiles; required by most tile servers. */
  tileAttribution: string;
  /** Highest zoom level of the maps (the tile server's, or 18 without tiles). */
  maxZoom: number;
}

const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

/** Returns the values of `make up`, used for every key that config.json leaves out. */
export function defaultConfig(env: Record<string, string | undefined> = import.meta.env): DashboardConfig {
  const tileUrl = env.VITE_TILE_URL ?? '';
  return {
    apiUrl: 'http://127.0.0.1:3000',
    webSocketUrl: 'ws://127.0.0.1:3001/dev',
    tileUrl,
    tileAttribution: env.VITE_TILE_ATTRIBUTION ?? (tileUrl.includes('openstreetmap') ? OSM_ATTRIBUTION : ''),
    maxZoom: 18,
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Merges a parsed config.json over the defaults; keys of the wrong type are ignored. */
export function mergeConfig(defaults: DashboardConfig, raw: unknown): DashboardConfig {
  if (typeof raw !== 'object' || raw === null) return defaults;
  const values = raw as Record<string, unknown>;
  const tileUrl = stringOr(values.tileUrl, defaults.tileUrl);
  const tileAttribution = stringOr(
    values.tileAttribution,
    tileUrl === defaults.tileUrl
      ? defaults.tileAttribution
      : tileUrl.includes('openstreetmap')
        ? OSM_ATTRIBUTION
        : '',
  );
  const maxZoom =
    typeof values.maxZoom === 'number' && values.maxZoom > 0 ? values.maxZoom : defaults.maxZoom;
  return {
    apiUrl: stringOr(values.apiUrl, defaults.apiUrl).replace(/\/+$/, ''),
    webSocketUrl: stringOr(values.webSocketUrl, defaults.webSocketUrl),
    tileUrl,
    tileAttribution,
    maxZoom,
  };
}

/**
 * Fetches config.json from the site root. A missing or invalid file falls back to the defaults with a
 * warning, so a plain `vite` dev server without the file still starts.
 */
export async function loadConfig(): Promise<DashboardConfig> {
  const defaults = defaultConfig();
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
    if (!response.ok) {
      console.warn(
        `Reading config.json failed with status ${response.status}; using the defaults of make up.`,
      );
      return defaults;
    }
    return mergeConfig(defaults, await response.json());
  } catch (error) {
    console.warn('Reading config.json failed; using the defaults of make up.', error);
    return defaults;
  }
}
