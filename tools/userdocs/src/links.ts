// Link checker for a built static site. It resolves each href and src of every HTML page as a browser does for
// a site served under `base`, and maps the URL to a file as the docs CloudFront distribution does. It reports
// links whose file or fragment does not exist, and resources that a page loads from other hosts.
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface LinkProblem {
  /** Page the link is on, relative to the site root. */
  page: string;
  url: string;
  reason: string;
}

export interface LinkReport {
  pages: string[];
  /** Links and resource references that point into the site and were checked. */
  checkedLinks: number;
  problems: LinkProblem[];
}

/** Hosts whose resources a page may load besides its own: loopback only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Origin the checker pretends the site runs on; never contacted. */
const SITE_ORIGIN = 'http://docs.invalid';

const ATTRIBUTE = /\s(href|src)="([^"]*)"/g;
const ELEMENT = /<(a|link|script|img|source|iframe|video|audio)\b([^>]*)>/gi;
const ID = /\sid="([^"]+)"/g;

export async function listHtmlFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/**
 * Maps a URL path inside the site to a file, as the docs distribution's viewer-request function does. A path
 * that ends in "/" or whose last segment has no dot gets `index.html`, and any other path is the file itself.
 */
export function fileForPath(sitePath: string): string {
  if (sitePath === '' || sitePath.endsWith('/')) return `${sitePath}index.html`;
  const lastSegment = sitePath.slice(sitePath.lastIndexOf('/') + 1);
  return lastSegment.includes('.') ? sitePath : `${sitePath}/index.html`;
}

/** Tells whether an element loads the URL when the page loads, as opposed to a link the reader may follow. */
function loadsResource(element: string, attributes: string, attribute: string): boolean {
  if (attribute === 'src') return true;
  if (element.toLowerCase() !== 'link') return false;
  const rel = /\srel="([^"]*)"/i.exec(attributes)?.[1] ?? '';
  return /\b(stylesheet|preload|modulepreload|prefetch|icon|manifest)\b/i.test(rel);
}

/** Checks every internal link and resource of a site built for `base` (a path that starts and ends with "/"). */
export async function checkSite(root: string, base = '/'): Promise<LinkReport> {
  const pages = await listHtmlFiles(root);
  const idsByPage = new Map<string, Set<string>>();
  const htmlByPage = new Map<string, string>();
  for (const page of pages) {
    const html = await readFile(join(root, page), 'utf8');
    htmlByPage.set(page, html);
    idsByPage.set(page, new Set([...html.matchAll(ID)].map((match) => decodeEntities(match[1] ?? ''))));
  }

  const problems: LinkProblem[] = [];
  let checkedLinks = 0;
  for (const page of pages) {
    const html = htmlByPage.get(page) ?? '';
    const pageUrl = new URL(`${base}${page}`, SITE_ORIGIN);
    for (const elementMatch of html.matchAll(ELEMENT)) {
      const element = elementMatch[1] ?? '';
      const attributes = elementMatch[2] ?? '';
      for (const attributeMatch of attributes.matchAll(ATTRIBUTE)) {
        const attribute = attributeMatch[1] ?? '';
        const value = decodeEntities(attributeMatch[2] ?? '');
        if (value === '' || /^(mailto|tel|data|blob):/i.test(value)) continue;

        let url: URL;
        try {
          url = new URL(value, pageUrl);
        } catch {
          problems.push({ page, url: value, reason: 'is not a valid URL' });
          continue;
        }
        if (url.origin !== SITE_ORIGIN) {
          if (loadsResource(element, attributes, attribute) && !LOOPBACK_HOSTS.has(url.host)) {
            problems.push({ page, url: value, reason: `loads a resource from the other host ${url.host}` });
          }
          continue;
        }
        const path = decodeURIComponent(url.pathname);
        // A path outside the base belongs to another site on the same host, such as the API docs.
        if (!path.startsWith(base)) continue;
        checkedLinks += 1;
        const file = fileForPath(path.slice(base.length));
        const absolute = join(root, file);
        if (!existsSync(absolute) || !statSync(absolute).isFile()) {
          problems.push({ page, url: value, reason: `no file ${file} in the site` });
          continue;
        }
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (fragment !== '' && file.endsWith('.html') && !idsByPage.get(file)?.has(fragment)) {
          problems.push({ page, url: value, reason: `${file} has no element with id "${fragment}"` });
        }
      }
    }
  }
  return { pages, checkedLinks, problems };
}

/** Finds CSS files that load fonts, images or styles from another host with url() or @import. */
export async function findExternalCssReferences(root: string): Promise<LinkProblem[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const problems: LinkProblem[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.css')) continue;
    const file = join(entry.parentPath, entry.name);
    const css = await readFile(file, 'utf8');
    const references = [
      ...css.matchAll(/url\(\s*['"]?((?:https?:)?\/\/[^'")\s]+)/gi),
      ...css.matchAll(/@import\s+(?:url\()?\s*['"]((?:https?:)?\/\/[^'"]+)/gi),
    ];
    for (const match of references) {
      const host = new URL(match[1] ?? '', 'https://invalid').host;
      if (!LOOPBACK_HOSTS.has(host)) {
        problems.push({
          page: relative(root, file),
          url: match[1] ?? '',
          reason: `loads from the other host ${host}`,
        });
      }
    }
  }
  return problems;
}

/** Finds inline <script> elements (without src), which the docs site's Content-Security-Policy blocks. */
export function findInlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((match) => !/\ssrc=/i.test(match[1] ?? '') && (match[2] ?? '').trim() !== '')
    .map((match) => (match[2] ?? '').trim().slice(0, 80));
}
