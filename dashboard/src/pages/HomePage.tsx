// Home: the disasters on a clustered map and in a table, filtered by start time and status, with
// "nearest disaster" and "my position" from the browser's geolocation.
import type { Schemas } from '@katapp/client';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { nearest } from '../domain/geo.js';
import { describeError } from '../errors.js';
import { useI18n } from '../i18n/i18n.js';
import { DisasterMap, type MapTarget } from '../map/DisasterMap.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

type Disaster = Schemas['Disaster'];
type DisasterStatus = Schemas['DisasterStatus'];

interface DisasterQuery {
  /** Values of the datetime-local inputs (local time, no offset), empty when unset. */
  startedAfter: string;
  startedBefore: string;
  status: DisasterStatus | 'all';
}

const EMPTY_QUERY: DisasterQuery = { startedAfter: '', startedBefore: '', status: 'all' };

/** Zoom level for "nearest disaster" and "my position", about a city district on screen. */
const DETAIL_ZOOM = 13;

function toTimestamp(localValue: string): string | undefined {
  if (!localValue) return undefined;
  const time = new Date(localValue);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

type Located = { lat: number; lon: number };

/** Asks the browser for the position; rejects with a GeolocationPositionError when denied or unavailable. */
function locate(): Promise<Located> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error('The browser has no geolocation.'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ lat: position.coords.latitude, lon: position.coords.longitude }),
      reject,
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

export function HomePage() {
  const { client, hasRight } = useSession();
  const { t, formatDateTime, formatNumber } = useI18n();
  const [draft, setDraft] = useState<DisasterQuery>(EMPTY_QUERY);
  const [query, setQuery] = useState<DisasterQuery>(EMPTY_QUERY);
  const [disasters, setDisasters] = useState<Disaster[]>();
  const [failure, setFailure] = useState<unknown>();
  const [ownPosition, setOwnPosition] = useState<Located>();
  const [target, setTarget] = useState<MapTarget>();
  const [locationMessage, setLocationMessage] = useState<string>();
  const canView = hasRight('ActionViewDisaster');

  useEffect(() => {
    if (!canView) return;
    let cancelled = false;
    void (async () => {
      try {
        const items: Disaster[] = [];
        let cursor: string | undefined;
        do {
          const startedAfter = toTimestamp(query.startedAfter);
          const startedBefore = toTimestamp(query.startedBefore);
          const { data } = await client.GET('/disasters', {
            params: {
              query: {
                limit: 500,
                ...(startedAfter ? { startedAfter } : {}),
                ...(startedBefore ? { startedBefore } : {}),
                ...(query.status === 'all' ? {} : { status: query.status }),
                ...(cursor ? { cursor } : {}),
              },
            },
          });
          items.push(...data.items);
          cursor = data.nextCursor ?? undefined;
        } while (cursor);
        if (!cancelled) {
          setDisasters(items);
          setFailure(undefined);
        }
      } catch (caught) {
        if (!cancelled) setFailure(caught);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, query, canView]);

  const findPosition = useCallback(async (): Promise<Located | undefined> => {
    setLocationMessage(t.home.locating);
    try {
      const position = await locate();
      setOwnPosition(position);
      setLocationMessage(undefined);
      return position;
    } catch (caught) {
      const denied = (caught as GeolocationPositionError | undefined)?.code === 1;
      setLocationMessage(denied ? t.home.geolocationDenied : t.home.geolocationUnavailable);
      return undefined;
    }
  }, [t]);

  const goToMyPosition = async () => {
    const position = await findPosition();
    if (position)
      setTarget((current) => ({ ...position, zoom: DETAIL_ZOOM, serial: (current?.serial ?? 0) + 1 }));
  };

  const goToNearest = async () => {
    const position = await findPosition();
    if (!position || !disasters) return;
    const found = nearest(position, disasters, (disaster) => disaster.position);
    if (!found) {
      setLocationMessage(t.home.noDisasters);
      return;
    }
    setLocationMessage(
      t.home.nearestResult(found.item.name, t.time.distanceKm(formatNumber(found.distanceKm, 1))),
    );
    setTarget((current) => ({
      lat: found.item.position.lat,
      lon: found.item.position.lon,
      zoom: DETAIL_ZOOM,
      serial: (current?.serial ?? 0) + 1,
    }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(draft);
  };

  if (!canView) {
    return (
      <section>
        <h1 tabIndex={-1}>{t.home.title}</h1>
        <p>{t.home.noRight}</p>
      </section>
    );
  }

  return (
    <div className="home-page">
      <h1 tabIndex={-1}>{t.home.title}</h1>
      <form className="disaster-filters" onSubmit={submit} aria-label={t.home.filters}>
        <label>
          {t.home.startedAfter}
          <input
            type="datetime-local"
            name="startedAfter"
            value={draft.startedAfter}
            onChange={(event) => setDraft({ ...draft, startedAfter: event.target.value })}
          />
        </label>
        <label>
          {t.home.startedBefore}
          <input
            type="datetime-local"
            name="startedBefore"
            value={draft.startedBefore}
            onChange={(event) => setDraft({ ...draft, startedBefore: event.target.value })}
          />
        </label>
        <label>
          {t.home.status}
          <select
            name="status"
            value={draft.status}
            onChange={(event) =>
              setDraft({ ...draft, status: event.target.value as DisasterQuery['status'] })
            }
          >
            <option value="all">{t.app.all}</option>
            <option value="active">{t.disasterStatuses.active}</option>
            <option value="closed">{t.disasterStatuses.closed}</option>
          </select>
        </label>
        <button type="submit">{t.home.apply}</button>
        <button
          type="button"
          onClick={() => {
            setDraft(EMPTY_QUERY);
            setQuery(EMPTY_QUERY);
          }}
        >
          {t.home.reset}
        </button>
      </form>

      <div className="map-tools">
        <button
          type="button"
          onClick={() => void goToNearest()}
          disabled={!disasters || disasters.length === 0}
        >
          {t.home.nearest}
        </button>
        <button type="button" onClick={() => void goToMyPosition()}>
          {t.home.myPosition}
        </button>
        <output aria-live="polite" className="location-message">
          {locationMessage}
        </output>
      </div>

      {failure !== undefined && (
        <p role="alert" className="error">
          {describeError(failure, t)}
        </p>
      )}

      <DisasterMap disasters={disasters ?? []} ownPosition={ownPosition} target={target} />

      {disasters === undefined && failure === undefined ? (
        <p aria-busy="true">{t.app.loading}</p>
      ) : (
        <table className="disaster-table">
          <caption>{t.home.count(disasters?.length ?? 0)}</caption>
          <thead>
            <tr>
              <th scope="col">{t.home.name}</th>
              <th scope="col">{t.home.mode}</th>
              <th scope="col">{t.home.status}</th>
              <th scope="col">{t.home.started}</th>
            </tr>
          </thead>
          <tbody>
            {(disasters ?? []).map((disaster) => (
              <tr key={disaster.id} data-disaster-id={disaster.id}>
                <th scope="row">
                  <Link href={`/disasters/${disaster.id}`} aria-label={t.home.openDisaster(disaster.name)}>
                    {disaster.name}
                  </Link>
                </th>
                <td>{t.disasterModes[disaster.mode]}</td>
                <td>
                  <span className={`badge status-${disaster.status}`}>
                    {t.disasterStatuses[disaster.status]}
                  </span>
                </td>
                <td>
                  <time dateTime={disaster.startedAt}>{formatDateTime(disaster.startedAt)}</time>
                </td>
              </tr>
            ))}
            {disasters?.length === 0 && (
              <tr>
                <td colSpan={4}>{t.home.noDisasters}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
