// The viewer-request CloudFront Function of the synthesized sites, run by the local site server.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../src/log.js';
import { REPO_ROOT } from '../src/platform.js';
import { distributionBehaviours, runViewerRequest, SiteServer } from '../src/sites/server.js';
import { LocalStack } from '../src/template/stack.js';

const CDK_OUT = join(REPO_ROOT, 'infra', 'cdk.out');
const hasTemplate = existsSync(join(CDK_OUT, 'KatApp-dev.template.json'));

const APPEND_INDEX = `function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) { request.uri = request.uri + 'index.html'; }
  return request;
}`;

describe('runViewerRequest', () => {
  it('returns the rewritten uri', () => {
    expect(runViewerRequest(APPEND_INDEX, '/en/')).toBe('/en/index.html');
  });

  it('keeps a uri the function leaves alone', () => {
    expect(runViewerRequest(APPEND_INDEX, '/assets/app.js')).toBe('/assets/app.js');
  });
});

// `make test` synthesizes the template before the suite; a bare `vitest run` without it skips these.
describe.skipIf(!hasTemplate)('synthesized site distributions', () => {
  const siteDir = mkdtempSync(join(tmpdir(), 'katapp-local-docs-'));
  afterAll(() => rmSync(siteDir, { recursive: true, force: true }));

  const behaviours = hasTemplate
    ? distributionBehaviours(new LocalStack({ cdkOutDir: CDK_OUT, stackName: 'KatApp-dev' }))
    : [];
  const docs = behaviours.find((entry) => entry.path.includes('/Docs/'));
  const dashboard = behaviours.find((entry) => entry.path.includes('/Dashboard/'));

  it('docs distribution maps folders to index.html', () => {
    expect(docs?.behaviour.viewerRequestCode).toBeDefined();
    expect(runViewerRequest(docs?.behaviour.viewerRequestCode ?? '', '/en/')).toBe('/en/index.html');
    expect(runViewerRequest(docs?.behaviour.viewerRequestCode ?? '', '/en/guide')).toBe(
      '/en/guide/index.html',
    );
  });

  it('dashboard distribution has no viewer function', () => {
    expect(dashboard).toBeDefined();
    expect(dashboard?.behaviour.viewerRequestCode).toBeUndefined();
  });

  it('site server serves a folder url as its index', async () => {
    mkdirSync(join(siteDir, 'en'));
    writeFileSync(join(siteDir, 'en', 'index.html'), '<!doctype html><title>en</title>');
    if (!docs) {
      throw new Error(`no docs distribution among ${behaviours.map((entry) => entry.path).join(', ')}`);
    }
    const server = new SiteServer({
      name: 'docs',
      root: siteDir,
      buildTarget: 'docs',
      behaviour: docs.behaviour,
      port: 0,
      logger: memoryLogger(),
    });
    const url = await server.start();
    try {
      const response = await fetch(`${url}/en/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>en</title>');
    } finally {
      await server.stop();
    }
  });
});
