// One symbol per stage, drawn with strokes in a 16 × 16 box, for map markers and the legend.
import type { Stage } from '../domain/vocabulary.js';

export const STAGE_GLYPHS: Readonly<Record<Stage, readonly string[]>> = {
  // Warning triangle with an exclamation mark.
  incident: ['M8 2.2 14.2 13.4H1.8Z', 'M8 6.4v3.6', 'M8 11.6v.2'],
  // A stretcher: a bar on two legs.
  'collection-point': ['M2 7h12', 'M4 7v5', 'M12 7v5', 'M2 4.5h3'],
  // Cross of a treatment area.
  'treatment-area': ['M8 2.5v11', 'M2.5 8h11'],
  // Arrow pointing onwards.
  transport: ['M2 8h11', 'M9 4l4 4-4 4'],
  // Letter H.
  hospital: ['M4 2.5v11', 'M12 2.5v11', 'M4 8h8'],
};

/** Returns the stage's symbol as an SVG string for Leaflet's HTML icons. */
export function stageGlyphSvg(stage: Stage): string {
  const paths = STAGE_GLYPHS[stage].map((d) => `<path d="${d}"/>`).join('');
  return `<svg class="stage-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false">${paths}</svg>`;
}
