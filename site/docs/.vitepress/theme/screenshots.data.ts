// Build-time list of the dashboard screenshots in public/screenshots/, so a page can show a placeholder for a
// screenshot that does not exist yet instead of a broken image. Files are named `<name>-<language>.<ext>`
// (`overview-de.png`), the names the dashboard's end-to-end test writes to dashboard/screenshots/.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../../public/screenshots/', import.meta.url));
const IMAGE = /\.(png|webp|jpg|jpeg)$/i;

export default {
  watch: ['../../public/screenshots/*'],
  load(): string[] {
    try {
      return readdirSync(folder)
        .filter((name) => IMAGE.test(name))
        .sort();
    } catch {
      return [];
    }
  },
};

/** File names in public/screenshots/, such as `overview-de.png`. */
export declare const data: string[];
