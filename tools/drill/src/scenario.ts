// Drill scenario: patients, devices and every triage of a mass-casualty drill, generated from a seed.
// Times are scenario milliseconds from the start of the incident; the player maps them to wall time.
import { Random } from './prng.js';

export const STAGES = ['incident', 'collection-point', 'treatment-area', 'transport', 'hospital'] as const;
export type Stage = (typeof STAGES)[number];
export const CATEGORIES = ['red', 'yellow', 'green', 'blue', 'dead', 'white'] as const;
export type Category = (typeof CATEGORIES)[number];
export type FirstCategory = 'red' | 'yellow' | 'green' | 'blue' | 'dead';
export type DeviceGroup = 'incident' | 'treatment-area' | 'transport' | 'hospital';
export type AgeGroup = 'adult' | 'child';

export interface ScenarioOptions {
  seed: number;
  patients: number;
  durationMinutes: number;
  childShare: number;
  /** First-triage category weights. */
  mix: Record<FirstCategory, number>;
  /** Share of patients first-triaged within `firstWaveMinutes`; the rest follow until `lastFirstMinutes`. */
  firstWaveShare: number;
  firstWaveMinutes: number;
  lastFirstMinutes: number;
  devices: Record<DeviceGroup, number>;
  /** Incident devices that belong to emergency physicians (role Physician); the others use DeviceUser. */
  incidentPhysicians: number;
  /** Trajectory shares. */
  greenWorsens: number;
  yellowWorsens: number;
  redImproves: number;
  redDies: number;
  overTriage: number;
  /** Share of site triages captured while their device is offline (queued, then uploaded in a burst). */
  lateShare: number;
  lateMinMinutes: number;
  lateMaxMinutes: number;
  duplicateShare: number;
  skewedDevices: number;
  maxSkewSeconds: number;
  /** Share of treatment-area and hospital triages with a photo. */
  photoShare: number;
  /** Share of red first triages by a physician with a name; share of later physician triages with a name. */
  nameShareFirst: number;
  nameShareLater: number;
}

export const DEFAULT_OPTIONS: ScenarioOptions = {
  seed: 1,
  patients: 500,
  durationMinutes: 120,
  childShare: 0.175,
  mix: { red: 18, yellow: 22, green: 52, blue: 2, dead: 6 },
  firstWaveShare: 0.7,
  firstWaveMinutes: 60,
  lastFirstMinutes: 90,
  devices: { incident: 16, 'treatment-area': 8, transport: 6, hospital: 10 },
  incidentPhysicians: 2,
  greenWorsens: 0.1,
  yellowWorsens: 0.15,
  redImproves: 0.2,
  redDies: 0.04,
  overTriage: 0.15,
  lateShare: 0.25,
  lateMinMinutes: 1,
  lateMaxMinutes: 20,
  duplicateShare: 0.02,
  skewedDevices: 3,
  maxSkewSeconds: 120,
  photoShare: 0.3,
  nameShareFirst: 0.15,
  nameShareLater: 0.3,
};

export interface ScenarioDevice {
  index: number;
  group: DeviceGroup;
  role: 'DeviceUser' | 'Physician';
  /** Device clock minus true time, in milliseconds. */
  skewMs: number;
  /** Scenario intervals in which the device has no network. */
  offline: Array<{ from: number; to: number }>;
}

export interface ScenarioTriage {
  /** Position in the scenario's triage list, which is ordered by true capture time. */
  index: number;
  patient: number;
  device: number;
  /** True capture time; the device reports `at + skewMs`. */
  at: number;
  stage: Stage;
  category: FirstCategory;
  kind: 'pre-triage' | 'physician-triage';
  /** Index of the triage this one corrects. */
  supersedes?: number;
  withName: boolean;
  withPhoto: boolean;
  /** Sent a second time directly, as after a lost response. */
  duplicate: boolean;
  /** Captured while the device was offline. */
  late: boolean;
}

export interface ScenarioPatient {
  index: number;
  ageGroup: AgeGroup;
  ageRange: string;
  gender: 'female' | 'male' | 'diverse' | 'unknown';
  firstName: string;
  lastName: string;
}

export interface Scenario {
  options: ScenarioOptions;
  durationMs: number;
  devices: ScenarioDevice[];
  patients: ScenarioPatient[];
  triages: ScenarioTriage[];
}

const MINUTE = 60_000;
const FIRST_NAMES = [
  'Anna',
  'Jonas',
  'Lea',
  'Lukas',
  'Mia',
  'Finn',
  'Emma',
  'Paul',
  'Sofia',
  'Ben',
  'Marie',
  'Elias',
];
const LAST_NAMES = [
  'Becker',
  'Schmidt',
  'Weber',
  'Wagner',
  'Fischer',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
];

/** Builds the scenario for `options`; equal options give an equal scenario. */
export function generateScenario(options: ScenarioOptions): Scenario {
  const random = new Random(options.seed);
  const durationMs = options.durationMinutes * MINUTE;
  const scale = options.durationMinutes / DEFAULT_OPTIONS.durationMinutes;

  const devices: ScenarioDevice[] = [];
  for (const group of ['incident', 'treatment-area', 'transport', 'hospital'] as const) {
    for (let count = 0; count < options.devices[group]; count += 1) {
      const physician =
        group === 'treatment-area' ||
        group === 'hospital' ||
        (group === 'incident' && count < options.incidentPhysicians);
      devices.push({
        index: devices.length,
        group,
        role: physician ? 'Physician' : 'DeviceUser',
        skewMs: 0,
        offline: [],
      });
    }
  }
  if (devices.length === 0) throw new Error('The scenario needs at least one device.');
  for (let count = 0; count < Math.min(options.skewedDevices, devices.length); count += 1) {
    const device = random.pick(devices);
    device.skewMs = Math.round(random.between(-options.maxSkewSeconds, options.maxSkewSeconds) * 1000);
  }
  // Offline windows on the incident devices until they cover `lateShare` of the time the site is busy.
  const siteEnd = Math.min(durationMs, options.lastFirstMinutes * scale * MINUTE);
  for (const device of devices.filter((candidate) => candidate.group === 'incident')) {
    let covered = 0;
    let attempts = 0;
    while (covered < options.lateShare * siteEnd && attempts < 100) {
      attempts += 1;
      const length =
        random.between(options.lateMinMinutes, options.lateMaxMinutes) * MINUTE * Math.max(scale, 0.05);
      const from = random.between(0, Math.max(1, siteEnd - length));
      const window = { from, to: from + length };
      if (device.offline.some((other) => window.from < other.to + MINUTE && other.from < window.to + MINUTE))
        continue;
      device.offline.push(window);
      covered += length;
    }
    device.offline.sort((left, right) => left.from - right.from);
  }
  const offlineAt = (device: ScenarioDevice, at: number) =>
    device.offline.some((window) => at >= window.from && at < window.to);
  const byGroup = (group: DeviceGroup) => {
    const found = devices.filter((device) => device.group === group);
    return found.length > 0 ? found : devices;
  };

  const patients: ScenarioPatient[] = [];
  const drafts: Array<Omit<ScenarioTriage, 'index' | 'supersedes'> & { supersedesDraft?: number }> = [];
  for (let index = 0; index < options.patients; index += 1) {
    const child = random.chance(options.childShare);
    patients.push({
      index,
      ageGroup: child ? 'child' : 'adult',
      ageRange: child
        ? random.pick(['child-1-5', 'child-6-17'])
        : random.pick(['adult-18-70', 'adult-18-70', 'adult-over-70']),
      gender: random.pick(['female', 'male', 'male', 'female', 'diverse', 'unknown'] as const),
      firstName: random.pick(FIRST_NAMES),
      lastName: random.pick(LAST_NAMES),
    });
    const firstAt = random.chance(options.firstWaveShare)
      ? random.between(0, options.firstWaveMinutes * scale * MINUTE)
      : random.between(options.firstWaveMinutes * scale * MINUTE, options.lastFirstMinutes * scale * MINUTE);
    const first = random.weighted(options.mix);
    const incident = random.pick(byGroup('incident'));
    const late = offlineAt(incident, firstAt);
    const physicianOnSite = incident.role === 'Physician';
    const firstDraft = drafts.length;
    drafts.push({
      patient: index,
      device: incident.index,
      at: firstAt,
      stage: 'incident',
      category: first,
      kind: 'pre-triage',
      withName: physicianOnSite && first === 'red' && random.chance(options.nameShareFirst),
      withPhoto: false,
      duplicate: !late && random.chance(options.duplicateShare),
      late,
    });

    // Follow-ups: the stages each first category passes and how the category changes on the way.
    let category = first;
    let at = firstAt;
    const follow = (
      stage: Stage,
      group: DeviceGroup,
      next: FirstCategory,
      kind: ScenarioTriage['kind'],
      supersedesDraft?: number,
    ) => {
      at = Math.min(durationMs - 1, at + random.between(5, 25) * MINUTE * Math.max(scale, 0.05));
      const device = random.pick(byGroup(group));
      category = next;
      drafts.push({
        patient: index,
        device: device.index,
        at,
        stage,
        category: next,
        kind,
        ...(supersedesDraft === undefined ? {} : { supersedesDraft }),
        withName: device.role === 'Physician' && random.chance(options.nameShareLater),
        withPhoto: (stage === 'treatment-area' || stage === 'hospital') && random.chance(options.photoShare),
        duplicate: random.chance(options.duplicateShare),
        late: false,
      });
    };
    switch (first) {
      case 'red': {
        // Over-triage: the physician's first look corrects the pre-triage to yellow.
        const corrected = !late && random.chance(options.overTriage);
        if (corrected) {
          follow('treatment-area', 'treatment-area', 'yellow', 'physician-triage', firstDraft);
        } else {
          follow(
            'treatment-area',
            'treatment-area',
            random.chance(options.redImproves) ? 'yellow' : 'red',
            'physician-triage',
          );
        }
        const dies = random.chance(options.redDies);
        follow('transport', 'transport', dies ? 'dead' : category, 'pre-triage');
        if (!dies && random.chance(0.5)) follow('hospital', 'hospital', category, 'physician-triage');
        break;
      }
      case 'yellow':
        follow(
          'treatment-area',
          'treatment-area',
          random.chance(options.yellowWorsens) ? 'red' : 'yellow',
          'physician-triage',
        );
        follow('hospital', 'hospital', category, 'physician-triage');
        break;
      case 'green':
        follow(
          'collection-point',
          'treatment-area',
          random.chance(options.greenWorsens) ? 'yellow' : 'green',
          'physician-triage',
        );
        break;
      case 'blue':
        follow('treatment-area', 'treatment-area', random.chance(0.5) ? 'dead' : 'blue', 'physician-triage');
        break;
      case 'dead':
        if (random.chance(0.5)) follow('treatment-area', 'treatment-area', 'dead', 'physician-triage');
        break;
    }
  }

  const order = drafts
    .map((_, index) => index)
    .sort((left, right) => (drafts[left]?.at ?? 0) - (drafts[right]?.at ?? 0));
  const position = new Map(order.map((draftIndex, sorted) => [draftIndex, sorted]));
  const triages: ScenarioTriage[] = order.map((draftIndex, sorted) => {
    const { supersedesDraft, ...draft } = drafts[draftIndex] as (typeof drafts)[number];
    return {
      ...draft,
      index: sorted,
      ...(supersedesDraft === undefined ? {} : { supersedes: position.get(supersedesDraft) ?? 0 }),
    };
  });
  return { options, durationMs, devices, patients, triages };
}

/** Counts the scenario's parts for the summary. */
export function describeScenario(scenario: Scenario): Record<string, number> {
  const triages = scenario.triages;
  return {
    patients: scenario.patients.length,
    children: scenario.patients.filter((patient) => patient.ageGroup === 'child').length,
    triages: triages.length,
    late: triages.filter((triage) => triage.late).length,
    duplicates: triages.filter((triage) => triage.duplicate).length,
    corrections: triages.filter((triage) => triage.supersedes !== undefined).length,
    photos: triages.filter((triage) => triage.withPhoto).length,
    names: triages.filter((triage) => triage.withName).length,
    devices: scenario.devices.length,
    skewedDevices: scenario.devices.filter((device) => device.skewMs !== 0).length,
  };
}
