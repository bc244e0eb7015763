// The data of one disaster page: read over REST, kept current by WebSocket events, reloaded after a reconnect.
import type { KatAppClient, Schemas } from '@katapp/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { applyPatientChanged, applyTriageCreated, buildRows, type PatientRow } from '../domain/patients.js';
import { describeError, problemCode } from '../errors.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';

type Disaster = Schemas['Disaster'];
type MapPatient = Schemas['MapPatient'];
type Patient = Schemas['Patient'];
type Triage = Schemas['Triage'];

/** The API's maximum page size of patient records. */
const PAGE_LIMIT = 500;

/** The API's maximum page size of map patients. */
const MARKER_PAGE_LIMIT = 2000;

/** Live announcements are collected this long, so a burst of triages becomes one message for screen readers. */
const ANNOUNCE_DELAY_MS = 1500;

export interface DisasterData {
  status: 'loading' | 'ready' | 'error' | 'not-found';
  error: string | undefined;
  disaster: Disaster | undefined;
  rows: ReadonlyMap<string, PatientRow>;
  /** Triages of the disaster, superseded ones excluded. */
  triagesTotal: number;
  /** Server time minus this browser's time when the overview was read, in milliseconds. */
  clockOffsetMs: number;
  /** False when the user may not list patients (no ActionViewPatient); the rows then have no trends. */
  patientsListed: boolean;
  /** The latest text for the live region. */
  announcement: string;
  reload(): void;
}

type LiveEvent =
  | { type: 'triage.created'; triage: Triage }
  | { type: 'patient.changed'; patient: Patient }
  | { type: 'disaster.changed'; disaster: Disaster };

async function listAllMarkers(client: KatAppClient, disasterId: string): Promise<MapPatient[]> {
  const markers: MapPatient[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await client.GET('/disasters/{disasterId}/markers', {
      params: { path: { disasterId }, query: { limit: MARKER_PAGE_LIMIT, ...(cursor ? { cursor } : {}) } },
    });
    markers.push(...data.items);
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  return markers;
}

async function listAllPatients(client: KatAppClient, disasterId: string): Promise<Patient[]> {
  const patients: Patient[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await client.GET('/disasters/{disasterId}/patients', {
      params: { path: { disasterId }, query: { limit: PAGE_LIMIT, ...(cursor ? { cursor } : {}) } },
    });
    patients.push(...data.items);
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  return patients;
}

export function useDisasterData(disasterId: string): DisasterData {
  const { client, socket, subscriptions, hasRight } = useSession();
  const { t } = useI18n();
  const patientsListed = hasRight('ActionViewPatient');

  const [status, setStatus] = useState<DisasterData['status']>('loading');
  const [failure, setFailure] = useState<unknown>();
  const [disaster, setDisaster] = useState<Disaster>();
  const [rows, setRows] = useState<ReadonlyMap<string, PatientRow>>(new Map());
  const [triagesTotal, setTriagesTotal] = useState(0);
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const [loadSerial, setLoadSerial] = useState(0);

  /** Events that arrive while a REST read is running; applied on top of its result. */
  const bufferRef = useRef<LiveEvent[] | undefined>([]);
  const seenTriagesRef = useRef(new Set<string>());
  const overviewTimeRef = useRef(0);
  const pendingAnnouncementsRef = useRef<string[]>([]);
  const announceTimerRef = useRef<ReturnType<typeof setTimeout>>(undefined);
  const tRef = useRef(t);
  tRef.current = t;

  const announce = useCallback((text: string) => {
    pendingAnnouncementsRef.current.push(text);
    if (announceTimerRef.current) return;
    announceTimerRef.current = setTimeout(() => {
      const texts = pendingAnnouncementsRef.current;
      pendingAnnouncementsRef.current = [];
      announceTimerRef.current = undefined;
      setAnnouncement(
        texts.length === 1 ? (texts[0] ?? '') : tRef.current.disaster.announceMany(texts.length),
      );
    }, ANNOUNCE_DELAY_MS);
  }, []);

  const apply = useCallback(
    (event: LiveEvent) => {
      switch (event.type) {
        case 'patient.changed':
          setRows((current) => applyPatientChanged(current, event.patient));
          return;
        case 'disaster.changed':
          setDisaster(event.disaster);
          return;
        case 'triage.created': {
          const { triage } = event;
          setRows((current) => applyTriageCreated(current, triage));
          // A triage received after the overview was read is missing from its count. Later events of the same
          // triage (a confirmation) add nothing, and neither do corrections, because they replace a triage.
          const isNew =
            !seenTriagesRef.current.has(triage.id) && Date.parse(triage.receivedAt) > overviewTimeRef.current;
          seenTriagesRef.current.add(triage.id);
          if (isNew && !triage.supersedes) setTriagesTotal((total) => total + 1);
          if (isNew) {
            const text = tRef.current;
            announce(
              text.disaster.announceTriage(
                triage.cardCode,
                text.categories[triage.category],
                text.stages[triage.stage],
              ),
            );
          }
          return;
        }
      }
    },
    [announce],
  );

  // Live events: buffered while a read runs, applied at once otherwise.
  useEffect(() => {
    if (!socket || !subscriptions) return;
    const receive = (event: LiveEvent & { disasterId: string }) => {
      if (event.disasterId !== disasterId) return;
      if (bufferRef.current) bufferRef.current.push(event);
      else apply(event);
    };
    const disposers = [
      socket.on('triage.created', receive),
      socket.on('patient.changed', receive),
      socket.on('disaster.changed', receive),
      // Events sent while the connection was down are lost, so the page reads everything again.
      socket.onResync(({ disasterIds }) => {
        if (disasterIds.includes(disasterId)) {
          setAnnouncement(tRef.current.disaster.resynced);
          setLoadSerial((serial) => serial + 1);
        }
      }),
    ];
    const release = subscriptions.retain(disasterId);
    return () => {
      release();
      for (const dispose of disposers) dispose();
    };
  }, [socket, subscriptions, disasterId, apply]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: loadSerial is the trigger of a reload after a reconnect or "Try again".
  useEffect(() => {
    let cancelled = false;
    bufferRef.current = [];
    void (async () => {
      try {
        // The map and table show as soon as the overview and the map patients are in. The patient records add
        // trends and profiles and are read afterwards, so they do not delay the first picture. Until they arrive,
        // live events wait in the buffer, so none is lost.
        const [{ data: overview }, markers] = await Promise.all([
          client.GET('/disasters/{disasterId}/overview', { params: { path: { disasterId } } }),
          listAllMarkers(client, disasterId),
        ]);
        if (cancelled) return;
        overviewTimeRef.current = Date.parse(overview.generatedAt);
        seenTriagesRef.current = new Set();
        setClockOffsetMs(overviewTimeRef.current - Date.now());
        setDisaster(overview.disaster);
        setRows(buildRows(markers, []));
        setTriagesTotal(overview.triagesTotal);
        setStatus('ready');
        setFailure(undefined);
        const patients = patientsListed ? await listAllPatients(client, disasterId) : [];
        if (cancelled) return;
        if (patients.length > 0) setRows(buildRows(markers, patients));
        const buffered = bufferRef.current ?? [];
        bufferRef.current = undefined;
        for (const event of buffered) apply(event);
      } catch (caught) {
        if (cancelled) return;
        bufferRef.current = undefined;
        setFailure(caught);
        setStatus(problemCode(caught) === 'NOT_FOUND' ? 'not-found' : 'error');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, disasterId, patientsListed, apply, loadSerial]);

  useEffect(() => () => clearTimeout(announceTimerRef.current), []);

  const reload = useCallback(() => setLoadSerial((serial) => serial + 1), []);

  return {
    status,
    error: failure === undefined ? undefined : describeError(failure, t),
    disaster,
    rows,
    triagesTotal,
    clockOffsetMs,
    patientsListed,
    announcement,
    reload,
  };
}
