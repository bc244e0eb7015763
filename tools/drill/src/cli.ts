// katapp drill: generates a scenario from a seed, plays it against a running platform and checks the result.
// Usage: tsx tools/drill/src/cli.ts [--api URL] [--speed N] [--seed N] [--patients N] ... (see --help)
import { parseArgs } from 'node:util';
import { checkRun, formatMismatches } from './check.js';
import { type PlayProgress, playScenario } from './play.js';
import { DEFAULT_OPTIONS, describeScenario, generateScenario, type ScenarioOptions } from './scenario.js';

const NUMBER_FLAGS: Record<string, keyof ScenarioOptions> = {
  seed: 'seed',
  patients: 'patients',
  duration: 'durationMinutes',
  'child-share': 'childShare',
  'first-wave-share': 'firstWaveShare',
  'first-wave-minutes': 'firstWaveMinutes',
  'last-first-minutes': 'lastFirstMinutes',
  'incident-physicians': 'incidentPhysicians',
  'green-worsens': 'greenWorsens',
  'yellow-worsens': 'yellowWorsens',
  'red-improves': 'redImproves',
  'red-dies': 'redDies',
  'over-triage': 'overTriage',
  'late-share': 'lateShare',
  'late-min-minutes': 'lateMinMinutes',
  'late-max-minutes': 'lateMaxMinutes',
  'duplicate-share': 'duplicateShare',
  'skewed-devices': 'skewedDevices',
  'max-skew-seconds': 'maxSkewSeconds',
  'photo-share': 'photoShare',
  'name-share-first': 'nameShareFirst',
  'name-share-later': 'nameShareLater',
};

const HELP = `Usage: tsx tools/drill/src/cli.ts [options]

Plays a generated mass-casualty drill against a running KatApp platform and checks the server's state.

Connection:
  --api URL                 REST API (default http://127.0.0.1:3000, the one of make up)
  --admin-email, --admin-password     tenant admin who registers the devices (default: the demo admin)
  --viewer-email, --viewer-password   user with the dashboard rights who reads the result (default: the demo dashboard user)
  --speed N                 scenario time runs N times faster than real time (default 1)
  --dry-run                 print the scenario summary only

Scenario (defaults in brackets):
${Object.entries(NUMBER_FLAGS)
  .map(([flag, key]) => `${`  --${flag} N`.padEnd(28)}[${String(DEFAULT_OPTIONS[key])}]`)
  .join('\n')}
  --mix red:18,yellow:22,green:52,blue:2,dead:6     first-triage category weights
  --devices incident:16,treatment-area:8,transport:6,hospital:10
`;

function parsePairs<T extends Record<string, number>>(text: string, base: T): T {
  const result = { ...base };
  for (const part of text.split(',')) {
    const [key, value] = part.split(':');
    if (!key || value === undefined || !(key in base) || Number.isNaN(Number(value))) {
      throw new Error(
        `Cannot read "${part}" in "${text}"; expected name:number with names ${Object.keys(base).join(', ')}.`,
      );
    }
    (result as Record<string, number>)[key] = Number(value);
  }
  return result;
}

/** A progress bar on stderr when it is a terminal, otherwise a line every 10 %. */
function progressReporter(): { update(progress: PlayProgress): void; done(): void } {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update({ captured, pending, total }) {
      const uploaded = captured - pending;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && uploaded < total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round((uploaded / Math.max(total, 1)) * width);
        process.stderr.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] captured ${captured}/${total}, queued ${pending}  `,
        );
      } else {
        const decile = Math.floor((captured / Math.max(total, 1)) * 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          process.stderr.write(`captured ${captured}/${total}, queued ${pending}\n`);
        }
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      api: { type: 'string', default: 'http://127.0.0.1:3000' },
      'admin-email': { type: 'string', default: 'admin@demo.katapp.example' },
      'admin-password': { type: 'string', default: 'admin-local-password' },
      'viewer-email': { type: 'string', default: 'dashboard@demo.katapp.example' },
      'viewer-password': { type: 'string', default: 'dashboard-local-password' },
      speed: { type: 'string', default: '1' },
      mix: { type: 'string' },
      devices: { type: 'string' },
      ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const options: ScenarioOptions = { ...DEFAULT_OPTIONS };
  const raw = values as Record<string, string | boolean | undefined>;
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const value = raw[flag];
    if (typeof value !== 'string') continue;
    const number = Number(value);
    if (Number.isNaN(number)) throw new Error(`--${flag} must be a number, got "${value}".`);
    (options as unknown as Record<string, number>)[key] = number;
  }
  if (values.mix) options.mix = parsePairs(values.mix, DEFAULT_OPTIONS.mix);
  if (values.devices) options.devices = parsePairs(values.devices, DEFAULT_OPTIONS.devices);
  const speed = Number(values.speed);
  if (!(speed >= 1)) throw new Error(`--speed must be 1 or more, got "${values.speed}".`);

  const scenario = generateScenario(options);
  const summary = describeScenario(scenario);
  process.stdout.write(`Scenario (seed ${options.seed}): ${JSON.stringify(summary)}\n`);
  process.stdout.write(
    `Playing ${options.durationMinutes} min at speed ${speed} (about ${((options.durationMinutes * 60) / speed).toFixed(0)} s) against ${values.api}\n`,
  );
  if (values['dry-run']) return 0;

  const progress = progressReporter();
  const run = await playScenario(scenario, {
    api: values.api,
    admin: { email: values['admin-email'], password: values['admin-password'] },
    speed,
    onProgress: (state) => progress.update(state),
  });
  progress.done();
  const result = await checkRun(scenario, run, {
    api: values.api,
    viewer: { email: values['viewer-email'], password: values['viewer-password'] },
  });
  const counts = result.overview.countsByStageAndCategory;
  process.stdout.write(
    `Disaster ${run.disasterId}: ${result.patients} patients, ${result.triages} triages stored\n`,
  );
  process.stdout.write(
    `Setup ${(run.setupMs / 1000).toFixed(1)} s, play and drain ${(run.playMs / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write('Patients by current stage and category (from the overview):\n');
  for (const [stage, row] of Object.entries(counts)) {
    process.stdout.write(
      `  ${stage.padEnd(17)} ${Object.entries(row)
        .map(([category, count]) => `${category} ${count}`)
        .join(', ')}\n`,
    );
  }
  if (result.mismatches.length > 0) {
    process.stdout.write(
      `MISMATCH: ${result.mismatches.length} differences between the scenario and the server:\n`,
    );
    process.stdout.write(`${formatMismatches(result.mismatches, 200)}\n`);
    return 1;
  }
  process.stdout.write('OK: the server state matches the scenario.\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`drill failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
