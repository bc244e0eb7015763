// VitePress configuration of the KatApp user and operator documentation: German at the root, English under /en/.
// The build must stay offline and load nothing from other hosts, and the pages must run under the docs site's
// Content-Security-Policy (`script-src 'self'`), so inline scripts are moved into files (see inline-scripts.ts).
import { defineConfigWithTheme } from 'vitepress';
import { externalizeInlineScripts } from './inline-scripts.js';
import { englishLocale, germanLocale, type KatAppThemeConfig, searchTranslations } from './locales.js';

/**
 * Path prefix the site is served under, for example `/` (own host) or `/docs/` (a folder of another site).
 * Set with KATAPP_DOCS_BASE at build time.
 */
function siteBase(): string {
  const base = process.env.KATAPP_DOCS_BASE ?? '/';
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(base)) {
    throw new Error(
      `KATAPP_DOCS_BASE must be a URL path that starts and ends with "/", such as / or /docs/; got "${base}".`,
    );
  }
  return base;
}

/**
 * Where the generated API documentation lives: an absolute http(s) URL, or a path relative to the root of this
 * site such as `../api/` when both sites share one host (site/dist served as a whole with base `/docs/`).
 * The default is the API docs site of the local platform (`make up`). Set with KATAPP_APIDOC_URL at build time;
 * a deployed stage sets its apidoc URL.
 */
function apidocUrl(base: string): string {
  const url = process.env.KATAPP_APIDOC_URL ?? 'http://127.0.0.1:3003/';
  if (/^https?:\/\//i.test(url)) return url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/')) {
    throw new Error(
      `KATAPP_APIDOC_URL must be an http(s) URL or a path relative to the docs root such as ../api/; got "${url}".`,
    );
  }
  // From the docs root, each leading "../" must leave one folder of the base, or the link ends on this site.
  const climbs = url.match(/^(\.\.\/)*/)?.[0].length ?? 0;
  const baseFolders = base.split('/').filter(Boolean).length;
  if (climbs / 3 > baseFolders) {
    throw new Error(
      `KATAPP_APIDOC_URL "${url}" climbs ${climbs / 3} folders above the docs root, but the base ${base} has only ${baseFolders}; set KATAPP_DOCS_BASE (for example /docs/) or use an absolute URL.`,
    );
  }
  return url;
}

export default defineConfigWithTheme<KatAppThemeConfig>({
  title: 'KatApp',
  base: siteBase(),
  srcExclude: ['README.md'],
  outDir: '../dist/docs',
  // Kept out of the source tree; .cache/ is ignored by git.
  cacheDir: '../../.cache/vitepress-docs',
  // Links end in .html: the docs distribution maps only folder paths to index.html.
  cleanUrls: false,
  // The page metadata goes into a script file instead of an inline script in every page.
  metaChunk: true,
  lastUpdated: false,
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: `${siteBase()}favicon.svg` }]],
  transformHtml: externalizeInlineScripts,
  locales: {
    root: germanLocale,
    en: englishLocale,
  },
  themeConfig: {
    apidocUrl: apidocUrl(siteBase()),
    search: {
      provider: 'local',
      options: { locales: searchTranslations },
    },
  },
});
