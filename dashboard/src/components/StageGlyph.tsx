import type { Stage } from '../domain/vocabulary.js';
import { STAGE_GLYPHS } from '../map/glyphs.js';

/** Renders the stage's map symbol. It is decorative, so the caller shows the stage's name next to it. */
export function StageGlyph({ stage }: { stage: Stage }) {
  return (
    <svg className="stage-glyph" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {STAGE_GLYPHS[stage].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
