// Build-time list of the dashboard screenshots in public/screenshots/<language>/, so a page can leave out a
// screenshot that does not exist yet instead of showing a broken image.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../../public/screenshots/', import.meta.url));
const IMAGE = /\.(png|webp|jpg|jpeg)$/i;

function list(language: string): string[] {
  try {
    return readdirSync(`${folder}${language}`)
      .filter((name) => IMAGE.test(name))
      .map((name) => `${language}/${name}`);
  } catch {
    return [];
  }
}

export default {
  watch: ['../../public/screenshots/**/*'],
  load(): string[] {
    return [...list('de'), ...list('en')].sort();
  },
};

/** Paths relative to public/screenshots/, such as `de/dashboard-login.png`. */
export declare const data: string[];
