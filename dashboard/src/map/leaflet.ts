// Leaflet with the markercluster plugin. Leaflet's UMD build sets window.L, which the plugin extends, so
// Leaflet must be evaluated first: keep the import order.
import L from 'leaflet';
import 'leaflet.markercluster';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import type { DashboardConfig } from '../config.js';

export { L };

/**
 * Creates a map in `container`. Without a tile URL the map has no base layer but still shows markers, so it
 * works offline. `maxZoom` is always set, because Leaflet otherwise takes it from the tile layers.
 *
 * Zoom animations are off: Leaflet 1.9 finishes them in timers that `map.remove()` does not cancel, and a
 * timer that fires after the page left the map throws on the removed panes.
 */
export function createMap(container: HTMLElement, config: DashboardConfig): L.Map {
  const map = L.map(container, {
    maxZoom: config.maxZoom,
    minZoom: 2,
    zoomControl: true,
    keyboard: true,
    worldCopyJump: true,
    zoomSnap: 0.5,
    zoomAnimation: false,
    markerZoomAnimation: false,
    fadeAnimation: false,
  });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: config.maxZoom, attribution: config.tileAttribution }).addTo(map);
  }
  // Leaflet makes the container focusable for its keyboard panning; the caller labels the region.
  container.setAttribute('role', 'region');
  return map;
}

/** Escapes text for the HTML of popups and marker icons. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
