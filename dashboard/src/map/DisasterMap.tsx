// Map of the disasters, clustered; popups link to each disaster's page.
import type { Schemas } from '@katapp/client';
import { type MouseEvent, useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { createMap, escapeHtml, L } from './leaflet.js';

type Disaster = Schemas['Disaster'];

export interface MapTarget {
  lat: number;
  lon: number;
  zoom: number;
  /** Changes on every request, so the same place can be flown to twice. */
  serial: number;
}

export interface DisasterMapProps {
  disasters: readonly Disaster[];
  /** The user's own position, shown as a dot once known. */
  ownPosition: { lat: number; lon: number } | undefined;
  target: MapTarget | undefined;
}

export function DisasterMap({ disasters, ownPosition, target }: DisasterMapProps) {
  const { config } = useSession();
  const { t, formatDateTime } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | undefined>(undefined);
  const clusterRef = useRef<L.MarkerClusterGroup | undefined>(undefined);
  const ownMarkerRef = useRef<L.CircleMarker | undefined>(undefined);
  const mapLabel = t.home.mapLabel;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = createMap(container, config);
    // Germany until the disasters are known.
    map.setView([51.2, 10.4], 6);
    const cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      animate: false,
    });
    map.addLayer(cluster);
    mapRef.current = map;
    clusterRef.current = cluster;
    return () => {
      map.remove();
      mapRef.current = undefined;
      clusterRef.current = undefined;
      ownMarkerRef.current = undefined;
    };
  }, [config]);

  useEffect(() => {
    containerRef.current?.setAttribute('aria-label', mapLabel);
  }, [mapLabel]);

  useEffect(() => {
    const map = mapRef.current;
    const cluster = clusterRef.current;
    if (!map || !cluster) return;
    cluster.clearLayers();
    const markers = disasters.map((disaster) => {
      const title = `${disaster.name} (${t.disasterStatuses[disaster.status]}, ${t.disasterModes[disaster.mode]})`;
      const marker = L.marker([disaster.position.lat, disaster.position.lon], {
        title,
        alt: title,
        keyboard: true,
        icon: L.divIcon({
          className: 'disaster-marker-wrapper',
          html: `<span class="disaster-marker status-${disaster.status} mode-${disaster.mode}" data-disaster-id="${escapeHtml(disaster.id)}"></span>`,
          iconSize: [24, 24],
          iconAnchor: [12, 12],
          popupAnchor: [0, -12],
        }),
      });
      marker.bindPopup(
        [
          `<strong>${escapeHtml(disaster.name)}</strong>`,
          `${escapeHtml(t.disasterModes[disaster.mode])}, ${escapeHtml(t.disasterStatuses[disaster.status])}`,
          `${escapeHtml(t.home.started)}: ${escapeHtml(formatDateTime(disaster.startedAt))}`,
          `<a href="/disasters/${escapeHtml(disaster.id)}" data-internal>${escapeHtml(t.home.open)}</a>`,
        ].join('<br>'),
      );
      return marker;
    });
    cluster.addLayers(markers);
    if (markers.length > 0) {
      map.fitBounds(L.latLngBounds(markers.map((marker) => marker.getLatLng())), {
        padding: [32, 32],
        maxZoom: 12,
      });
    }
  }, [disasters, t, formatDateTime]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ownPosition) return;
    const latLng = L.latLng(ownPosition.lat, ownPosition.lon);
    if (ownMarkerRef.current) ownMarkerRef.current.setLatLng(latLng);
    else
      ownMarkerRef.current = L.circleMarker(latLng, {
        radius: 8,
        className: 'own-position',
        interactive: false,
      }).addTo(map);
  }, [ownPosition]);

  useEffect(() => {
    if (target) mapRef.current?.flyTo([target.lat, target.lon], target.zoom, { duration: 0.6 });
  }, [target]);

  // Links in popups navigate inside the app instead of reloading the page.
  const handleClick = (event: MouseEvent<HTMLDivElement>) => {
    const link = (event.target as Element).closest('a[data-internal]');
    const href = link?.getAttribute('href');
    if (!href) return;
    event.preventDefault();
    navigate(href);
  };

  // biome-ignore lint/a11y/noStaticElementInteractions: the handler only catches clicks on links inside Leaflet popups, which are keyboard-reachable themselves.
  // biome-ignore lint/a11y/useKeyWithClickEvents: Enter on a focused popup link fires the same click event.
  return <div ref={containerRef} className="map disaster-map" onClick={handleClick} />;
}
