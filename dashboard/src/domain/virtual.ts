// Windowing for long lists: which rows of a fixed-height list are inside the scrolled viewport.

export interface RowWindow {
  /** Index of the first rendered row. */
  start: number;
  /** Index after the last rendered row. */
  end: number;
  /** Height in pixels of the space above the first rendered row. */
  offsetBefore: number;
  /** Height in pixels of the space below the last rendered row. */
  offsetAfter: number;
}

/**
 * Returns the rows to render for a list of `count` rows of `rowHeight` pixels, scrolled to `scrollTop` in a
 * viewport `viewportHeight` pixels high, plus `overscan` rows on each side so fast scrolling shows no gaps.
 */
export function visibleRows(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetBefore: 0, offsetAfter: 0 };
  const maxScroll = Math.max(0, count * rowHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { start, end, offsetBefore: start * rowHeight, offsetAfter: (count - end) * rowHeight };
}
