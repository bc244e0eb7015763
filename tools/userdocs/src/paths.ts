// Locations of the user documentation build, resolved from this file so any working directory works.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** VitePress project of the user documentation: Markdown pages, `.vitepress/` config and theme, `public/`. */
export const docsSourceDirectory = join(repositoryRoot, 'site/docs');

/** Build output; the local platform serves it and the infra uploads it to the docs bucket. */
export const docsOutputDirectory = join(repositoryRoot, 'site/dist/docs');
