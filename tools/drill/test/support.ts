// Boots the local platform on free ports for the drill tests.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

interface LocalPlatform {
  urls: { rest: string; websocket: string; dynamodb: string };
  demo?: { admin: { email: string; password: string }; dashboardUser: { email: string; password: string } };
  stop(): Promise<void>;
}

export interface DrillPlatform {
  api: string;
  websocket: string;
  dynamodb: string;
  admin: { email: string; password: string };
  viewer: { email: string; password: string };
  stop(): Promise<void>;
}

export async function startDrillPlatform(dataDir: string): Promise<DrillPlatform> {
  const { startPlatform } = (await import(join(REPO_ROOT, 'local/src/platform.ts'))) as {
    startPlatform: (options: object) => Promise<LocalPlatform>;
  };
  const platform = await startPlatform({
    ports: 0,
    dataDir,
    fresh: true,
    sites: false,
    functionOutput: () => undefined,
    logger: { log: () => undefined },
  });
  const demo = platform.demo;
  if (!demo) {
    await platform.stop();
    throw new Error(
      'The local platform seeded no demo tenant; the drill needs its admin and dashboard user.',
    );
  }
  return {
    api: platform.urls.rest,
    websocket: platform.urls.websocket,
    dynamodb: platform.urls.dynamodb,
    admin: { email: demo.admin.email, password: demo.admin.password },
    viewer: { email: demo.dashboardUser.email, password: demo.dashboardUser.password },
    stop: () => platform.stop(),
  };
}
