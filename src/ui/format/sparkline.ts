/** Unicode block sparklines for the log pane header. */

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values as block characters, scaled to `max` (default: the
 * largest value shown, so a quiet process still shows its shape). Missing
 * history is left-padded with spaces so the newest sample is always rightmost.
 */
export function formatSparkline(values: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const top = max ?? Math.max(0, ...shown);
  let out = ' '.repeat(width - shown.length);
  for (const value of shown) {
    const level = top > 0 && value > 0 ? Math.min(blocks.length - 1, Math.floor((value / top) * blocks.length)) : 0;
    out += blocks[level];
  }
  return out;
}
