// Finds the dashboard screenshots the pages ask for (<Screenshot name="..."/>) that are not in
// site/docs/public/screenshots/ yet, named `<name>-<language>.<ext>`. The Screenshot component shows the other
// language's file instead, or a framed caption when neither exists.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { docsSourceDirectory } from './paths.js';

const EXTENSIONS = ['png', 'webp', 'jpg', 'jpeg'];
const SCREENSHOT_TAG = /<Screenshot\s[^>]*name="([a-z0-9-]+)"/g;

function screenshotExists(language: string, name: string): boolean {
  return EXTENSIONS.some((extension) =>
    existsSync(join(docsSourceDirectory, 'public/screenshots', `${name}-${language}.${extension}`)),
  );
}

/** Returns one line per missing screenshot: `<name>-<language>`, what the page shows instead, and the page. */
export async function listMissingScreenshots(): Promise<string[]> {
  const entries = await readdir(docsSourceDirectory, { withFileTypes: true, recursive: true });
  const missing: string[] = [];
  for (const entry of entries) {
    // README.md describes the site and is not a page (srcExclude in config.mts).
    if (!entry.isFile() || !entry.name.endsWith('.md') || entry.name === 'README.md') continue;
    const file = join(entry.parentPath, entry.name);
    const page = relative(docsSourceDirectory, file).split(sep).join('/');
    const language = page.startsWith('en/') ? 'en' : 'de';
    const other = language === 'en' ? 'de' : 'en';
    for (const match of (await readFile(file, 'utf8')).matchAll(SCREENSHOT_TAG)) {
      const name = match[1] ?? '';
      if (screenshotExists(language, name)) continue;
      const fallback = screenshotExists(other, name) ? `the ${other} screenshot` : 'a placeholder';
      missing.push(`${name}-${language} (${page} shows ${fallback})`);
    }
  }
  return missing.sort();
}
