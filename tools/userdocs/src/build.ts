// `make docs-user`: builds the user documentation (site/docs, VitePress) into site/dist/docs.
// A rerun with unchanged inputs only compares a stamp and exits. The build runs next to the output and replaces
// it at the end, so a server never reads a half-built site. After the build it checks that no page keeps an
// inline script, that every internal link resolves, and it lists the dashboard screenshots still missing.
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vitepress';
import { checkSite, findExternalCssReferences, findInlineScripts } from './links.js';
import { docsOutputDirectory, docsSourceDirectory, repositoryRoot } from './paths.js';
import { listMissingScreenshots } from './screenshots.js';
import { computeInputsHash, readStamp, runsWithoutNetwork, writeStamp } from './stamp.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: docsOutputDirectory },
    force: { type: 'boolean', default: false },
    'require-offline': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: tsx tools/userdocs/src/build.ts [options]
  --out DIR           output folder (default site/dist/docs); replaced as a whole on every build
  --force             rebuild even when the stamp says nothing changed
  --require-offline   rebuild unless the current output was built without a network, and fail when this
                      process has a network interface other than loopback (run it inside "unshare -rn")
Environment:
  KATAPP_DOCS_BASE    URL path the site is served under (default /)
  KATAPP_APIDOC_URL   URL of the API documentation, absolute or relative to the docs root
                      (default http://127.0.0.1:3003/, the API docs of make up)`);
  process.exit(0);
}

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const outputDirectory = resolve(values.out);
const base = process.env.KATAPP_DOCS_BASE ?? '/';
const offline = runsWithoutNetwork();

if (values['require-offline'] && !offline) {
  throw new Error(
    'docs-user: --require-offline was given, but this process has a network interface besides loopback. Run the build inside "unshare -rn".',
  );
}

const inputs = await computeInputsHash({
  base,
  apidocUrl: process.env.KATAPP_APIDOC_URL ?? '',
});
const current = await readStamp(outputDirectory);
if (!values.force && current?.inputs === inputs && (current.offline || !values['require-offline'])) {
  console.log(`docs-user: ${relative(process.cwd(), outputDirectory)} is up to date (${elapsed()})`);
  process.exit(0);
}

const buildDirectory = `${outputDirectory}.building-${process.pid}`;
const temporaryDirectory = join(repositoryRoot, `.cache/vitepress-docs/temp-${process.pid}`);
await rm(buildDirectory, { recursive: true, force: true });
await mkdir(buildDirectory, { recursive: true });

try {
  const buildStarted = performance.now();
  // VitePress links its own Vue into the node_modules of the working directory's package when none exists
  // there, so the build runs from the repository root, whose node_modules has Vue.
  process.chdir(repositoryRoot);
  await build(docsSourceDirectory, {
    outDir: buildDirectory,
    // VitePress writes its server bundle into .vitepress/.temp by default, inside the source tree.
    onAfterConfigResolve: (siteConfig) => {
      siteConfig.tempDir = temporaryDirectory;
    },
  });
  const durationMs = Math.round(performance.now() - buildStarted);

  const report = await checkSite(buildDirectory, base);
  const problems = [...report.problems, ...(await findExternalCssReferences(buildDirectory))];
  for (const page of report.pages) {
    for (const script of findInlineScripts(await readFile(join(buildDirectory, page), 'utf8'))) {
      problems.push({ page, url: script, reason: 'is an inline script, which the docs CSP blocks' });
    }
  }
  if (problems.length > 0) {
    const lines = problems.map((problem) => `  ${problem.page}: ${problem.url} ${problem.reason}`);
    throw new Error(`docs-user: the built site has ${problems.length} problems:\n${lines.join('\n')}`);
  }

  await writeStamp(buildDirectory, { inputs, offline, durationMs, builtAt: new Date().toISOString() });
  await rm(outputDirectory, { recursive: true, force: true });
  await rename(buildDirectory, outputDirectory);

  const missing = await listMissingScreenshots();
  if (missing.length > 0) {
    console.warn(
      `docs-user: ${missing.length} dashboard screenshots are missing in site/docs/public/screenshots/:\n${missing.map((entry) => `  ${entry}`).join('\n')}`,
    );
  }
  console.log(
    `docs-user: built ${relative(process.cwd(), outputDirectory)} (${report.pages.length} pages, ${report.checkedLinks} internal links checked, ${offline ? 'without network' : 'with network available'}) in ${elapsed()}`,
  );
} finally {
  await rm(buildDirectory, { recursive: true, force: true });
  await rm(temporaryDirectory, { recursive: true, force: true });
}
