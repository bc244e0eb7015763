// Renders the landing page from site/api/index.html by filling its {{name}} placeholders.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { siteSourceDirectory } from './paths.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * Fills every `{{name}}` in `template` with the HTML-escaped value. Raises an error naming the
 * placeholder when a value is missing, so a renamed placeholder cannot reach the page unfilled.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(
        `Landing page placeholder {{${name}}} has no value; known names: ${Object.keys(values).join(', ')}`,
      );
    }
    return escapeHtml(value);
  });
}

export interface LandingValues {
  apiTitle: string;
  apiVersion: string;
  apiSummary: string;
  openapiVersion: string;
  asyncapiTitle: string;
  asyncapiVersion: string;
  tryItOutUrl: string;
}

/** Returns the landing page HTML for the given contract facts. */
export async function renderLandingPage(values: LandingValues): Promise<string> {
  const template = await readFile(join(siteSourceDirectory, 'index.html'), 'utf8');
  return fillTemplate(template, { ...values });
}
