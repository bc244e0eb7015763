// Moves inline <script> elements of the rendered pages into files under assets/inline/.
// The docs distribution sends `Content-Security-Policy: script-src 'self'`, which blocks inline scripts.
// VitePress 1.6 puts two into every page head (the dark-mode check and the macOS check for the search
// shortcut label). A classic external script in the head still runs before the page renders, as they did.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TransformContext } from 'vitepress';

const INLINE_SCRIPT = /<script((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>([\s\S]*?)<\/script>/gi;

/** Output folder of the moved scripts, relative to the site root. */
export const INLINE_SCRIPT_FOLDER = 'assets/inline';

/**
 * Replaces each inline script of a page with a script file named after the SHA-256 of its text, so equal
 * scripts of different pages share one file. Scripts with a `src` and non-JavaScript types stay as they are.
 */
export function externalizeInlineScripts(html: string, _id: string, context: TransformContext): string {
  const { outDir, site } = context.siteConfig;
  return html.replace(INLINE_SCRIPT, (element, attributes: string, body: string) => {
    if (/\ssrc=/i.test(attributes) || body.trim() === '') return element;
    const type = /\stype="([^"]*)"/i.exec(attributes)?.[1];
    if (type !== undefined && type !== 'module' && type !== 'text/javascript') return element;

    const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const fileName = `${digest}.js`;
    const folder = join(outDir, INLINE_SCRIPT_FOLDER);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, fileName), `${body.trim()}\n`);
    return `<script${attributes} src="${site.base}${INLINE_SCRIPT_FOLDER}/${fileName}"></script>`;
  });
}
