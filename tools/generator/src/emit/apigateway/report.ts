// The gateway report: every keyword the API Gateway models drop or rewrite, with the JSON Pointer of the schema
// in generated/openapi.json. Dropped constraints stay enforced by the Lambda's validators.

import { markdownHeader } from '../../util/header.js';

export type ReportKind = 'not-enforced' | 'rewritten' | 'annotation';

export interface ReportEntry {
  kind: ReportKind;
  /** JSON Pointer into generated/openapi.json (write views point at the component they derive from). */
  pointer: string;
  keyword: string;
  /** Gateway model the keyword belongs to. */
  model: string;
  detail: string;
}

export class GatewayReport {
  readonly entries: ReportEntry[] = [];
  private readonly seen = new Set<string>();

  add(entry: ReportEntry): void {
    const key = `${entry.kind}\0${entry.pointer}\0${entry.keyword}\0${entry.model}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.entries.push(entry);
  }

  sorted(): ReportEntry[] {
    return [...this.entries].sort(
      (a, b) =>
        a.kind.localeCompare(b.kind) ||
        a.pointer.localeCompare(b.pointer) ||
        a.keyword.localeCompare(b.keyword) ||
        a.model.localeCompare(b.model),
    );
  }
}

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function reportMarkdown(report: GatewayReport): string {
  const entries = report.sorted();
  const lines = [
    markdownHeader(),
    '# API Gateway model report',
    '',
    'API Gateway REST validates request bodies against JSON Schema draft-4 models and supports only part of',
    'that draft. The generator lowers every schema and lists here what the gateway does not enforce; the',
    "Lambda's Ajv validators (generated/validators) still enforce all of it. Pointers point into",
    'generated/openapi.json.',
    '',
  ];
  const section = (title: string, kind: ReportKind) => {
    const rows = entries.filter((entry) => entry.kind === kind);
    lines.push(`## ${title} (${rows.length})`, '');
    if (rows.length === 0) {
      lines.push('None.', '');
      return;
    }
    lines.push('| pointer | keyword | model | detail |', '|---|---|---|---|');
    for (const row of rows) {
      lines.push(
        `| \`${escapeCell(row.pointer)}\` | \`${row.keyword}\` | ${row.model} | ${escapeCell(row.detail)} |`,
      );
    }
    lines.push('');
  };
  section('Not enforced by the gateway', 'not-enforced');
  section('Rewritten for draft-4', 'rewritten');
  const annotations = entries.filter((entry) => entry.kind === 'annotation');
  const counts = new Map<string, number>();
  for (const entry of annotations) counts.set(entry.keyword, (counts.get(entry.keyword) ?? 0) + 1);
  lines.push(`## Annotations removed (${annotations.length})`, '');
  lines.push('Annotations never change validation; report.json lists each one with its pointer.', '');
  if (counts.size === 0) lines.push('None.', '');
  else {
    lines.push('| keyword | count |', '|---|---|');
    for (const [keyword, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`| \`${keyword}\` | ${count} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
