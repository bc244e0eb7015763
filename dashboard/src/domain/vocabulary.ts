// Categories, stages and statuses of the contract, in display order, with the colours the dashboard uses.
import type { Schemas } from '@katapp/client';

export type Category = Schemas['Category'];
export type PatientCategory = Schemas['PatientCategory'];
export type Stage = Schemas['Stage'];
export type PatientStatus = Schemas['PatientStatus'];

/** Most urgent first; the order of legends, filters and the category sort. */
export const PATIENT_CATEGORIES: readonly PatientCategory[] = [
  'red',
  'yellow',
  'green',
  'blue',
  'dead',
  'white',
  'untriaged',
];

/** Workflow order, as the overview lists them. */
export const STAGES: readonly Stage[] = [
  'incident',
  'collection-point',
  'treatment-area',
  'transport',
  'hospital',
];

export const PATIENT_STATUSES: readonly PatientStatus[] = ['in-care', 'transported', 'released', 'deceased'];

/**
 * Background and text colour of each category chip and marker. Every pair has a contrast ratio of at least
 * 4.5:1 (WCAG 2.2 AA for normal text, checked by test/vocabulary.test.ts), and every chip also shows the
 * category's name, so colour is never the only cue.
 */
export const CATEGORY_COLOURS: Readonly<Record<PatientCategory, { background: string; text: string }>> = {
  red: { background: '#b3261e', text: '#ffffff' },
  yellow: { background: '#f5c518', text: '#1a1a1a' },
  green: { background: '#1b6e2d', text: '#ffffff' },
  blue: { background: '#1d5fb8', text: '#ffffff' },
  dead: { background: '#1a1a1a', text: '#ffffff' },
  white: { background: '#ffffff', text: '#1a1a1a' },
  untriaged: { background: '#5f6368', text: '#ffffff' },
};

/** Rank of a category in PATIENT_CATEGORIES (0 = most urgent). */
export function categoryRank(category: PatientCategory): number {
  return PATIENT_CATEGORIES.indexOf(category);
}

/** Relative luminance of an sRGB colour given as #rrggbb (WCAG 2.2 definition). */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`Invalid colour "${hex}": expected #rrggbb.`);
  const [red, green, blue] = match.slice(1).map((part) => {
    const channel = Number.parseInt(part, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** WCAG contrast ratio of two #rrggbb colours, from 1 to 21. */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}
