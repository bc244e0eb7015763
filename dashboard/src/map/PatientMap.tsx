// Map of every patient's latest triage: colour by category, symbol by stage, clustered, updated in place.
import { memo, useEffect, useRef } from 'react';
import type { PatientRow } from '../domain/patients.js';
import { categoryRank, type PatientCategory } from '../domain/vocabulary.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { stageGlyphSvg } from './glyphs.js';
import { createMap, escapeHtml, L } from './leaflet.js';

export interface PatientMapProps {
  center: { lat: number; lon: number };
  radiusKm: number;
  rows: readonly PatientRow[];
  /** Ids of patients whose latest triage is under 15 minutes old; their markers get a ring. */
  recentIds: ReadonlySet<string>;
  /** Zooms to this patient and opens its popup when it changes. */
  focus: { patientId: string; serial: number } | undefined;
}

interface MarkerEntry {
  marker: L.Marker;
  /** Fingerprint of the row fields the icon and popup show; a changed key rebuilds them. */
  key: string;
}

/** Cluster bubbles take the colour of their most urgent patient and show how many they hold. */
function clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
  let worst: PatientCategory = 'untriaged';
  for (const marker of cluster.getAllChildMarkers()) {
    const category = (marker.options as { category?: PatientCategory }).category;
    if (category && categoryRank(category) < categoryRank(worst)) worst = category;
  }
  const count = cluster.getChildCount();
  return L.divIcon({
    className: 'cluster-icon-wrapper',
    html: `<span class="cluster-icon cat-${worst}">${count}</span>`,
    iconSize: [36, 36],
  });
}

export const PatientMap = memo(function PatientMap({
  center,
  radiusKm,
  rows,
  recentIds,
  focus,
}: PatientMapProps) {
  const { config } = useSession();
  const { t, language, formatDateTime } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | undefined>(undefined);
  const clusterRef = useRef<L.MarkerClusterGroup | undefined>(undefined);
  const markersRef = useRef(new Map<string, MarkerEntry>());
  const fittedRef = useRef(false);
  const mapLabel = t.disaster.mapLabel;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = createMap(container, config);
    const centerLatLng = L.latLng(center.lat, center.lon);
    map.fitBounds(centerLatLng.toBounds(Math.max(200, radiusKm * 2000)));
    L.circle(centerLatLng, { radius: radiusKm * 1000, className: 'disaster-area', interactive: false }).addTo(
      map,
    );
    const cluster = L.markerClusterGroup({
      iconCreateFunction: clusterIcon,
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      animate: false,
    });
    map.addLayer(cluster);
    mapRef.current = map;
    clusterRef.current = cluster;
    const markers = markersRef.current;
    return () => {
      map.remove();
      markers.clear();
      mapRef.current = undefined;
      clusterRef.current = undefined;
      fittedRef.current = false;
    };
  }, [config, center.lat, center.lon, radiusKm]);

  useEffect(() => {
    containerRef.current?.setAttribute('aria-label', mapLabel);
  }, [mapLabel]);

  useEffect(() => {
    const cluster = clusterRef.current;
    const map = mapRef.current;
    if (!cluster || !map) return;
    const markers = markersRef.current;
    const seen = new Set<string>();
    const added: L.Marker[] = [];
    const changed: L.Marker[] = [];

    for (const row of rows) {
      if (!row.position) continue;
      seen.add(row.id);
      const recent = recentIds.has(row.id);
      const key = [
        language,
        row.category,
        row.stage,
        recent,
        row.status,
        row.capturedAt,
        row.pendingConfirmation,
      ].join('|');
      const latLng = L.latLng(row.position.lat, row.position.lon);
      const entry = markers.get(row.id);
      if (entry && entry.key === key) {
        if (!entry.marker.getLatLng().equals(latLng)) entry.marker.setLatLng(latLng);
        continue;
      }
      const categoryName = t.categories[row.category];
      const stageName = row.stage ? t.stages[row.stage] : t.app.none;
      const title = `${row.cardCode}: ${categoryName}, ${stageName}`;
      const icon = L.divIcon({
        className: 'patient-marker-wrapper',
        html: `<span class="patient-marker cat-${row.category}${recent ? ' recent' : ''}" data-patient-id="${escapeHtml(row.id)}" data-card-code="${escapeHtml(row.cardCode)}" data-category="${row.category}" data-stage="${row.stage ?? ''}">${row.stage ? stageGlyphSvg(row.stage) : ''}</span>`,
        iconSize: [28, 28],
        iconAnchor: [14, 14],
        popupAnchor: [0, -14],
      });
      const popup = [
        `<strong>${escapeHtml(row.cardCode)}</strong>`,
        `${escapeHtml(categoryName)}${row.pendingConfirmation ? ` (${escapeHtml(t.disaster.pending)})` : ''}`,
        escapeHtml(stageName),
        escapeHtml(t.patientStatuses[row.status]),
        row.capturedAt ? escapeHtml(formatDateTime(row.capturedAt)) : '',
      ]
        .filter(Boolean)
        .join('<br>');
      if (entry) {
        entry.marker.setLatLng(latLng);
        entry.marker.setIcon(icon);
        (entry.marker.options as { category?: PatientCategory }).category = row.category;
        entry.marker.options.title = title;
        entry.marker.getElement()?.setAttribute('title', title);
        entry.marker.setPopupContent(popup);
        entry.key = key;
        changed.push(entry.marker);
      } else {
        const marker = L.marker(latLng, { icon, title, keyboard: true, alt: title });
        (marker.options as { category?: PatientCategory }).category = row.category;
        marker.bindPopup(popup);
        markers.set(row.id, { marker, key });
        added.push(marker);
      }
    }

    const removed: L.Marker[] = [];
    for (const [id, entry] of markers) {
      if (!seen.has(id)) {
        removed.push(entry.marker);
        markers.delete(id);
      }
    }
    if (removed.length > 0) cluster.removeLayers(removed);
    if (added.length > 0) cluster.addLayers(added);
    if (changed.length > 0) cluster.refreshClusters(changed);

    // The first patients widen the view to include them all; later changes leave the user's view alone.
    if (!fittedRef.current && markers.size > 0) {
      fittedRef.current = true;
      const bounds = L.latLngBounds([]);
      for (const { marker } of markers.values()) bounds.extend(marker.getLatLng());
      bounds.extend(L.latLng(center.lat, center.lon).toBounds(Math.max(200, radiusKm * 2000)));
      map.fitBounds(bounds, { padding: [16, 16] });
    }
  }, [rows, recentIds, language, t, formatDateTime, center.lat, center.lon, radiusKm]);

  useEffect(() => {
    if (!focus) return;
    const entry = markersRef.current.get(focus.patientId);
    const cluster = clusterRef.current;
    if (!entry || !cluster) return;
    cluster.zoomToShowLayer(entry.marker, () => {
      entry.marker.openPopup();
      entry.marker.getElement()?.focus();
    });
  }, [focus]);

  return <div ref={containerRef} className="map patient-map" />;
});
