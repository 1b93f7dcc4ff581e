/** Unicode block sparklines for the log pane header. */

const blocks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `span` samples (a minute's worth) in `width` cells, newest on the
 * right. With more samples than cells, each cell shows the highest of the
 * samples it covers, so a short burst is not averaged or skipped away; time
 * before the first sample is blank. Scaled to `max` (default: the largest
 * value shown, so a quiet process still shows its shape).
 */
export function formatSparkline(values: readonly number[], width: number, options: {span?: number; max?: number} = {}): string {
  if (width <= 0) return '';
  const span = Math.max(width, options.span ?? width);
  const recent = values.slice(-span);
  const missing = span - recent.length; // samples' worth of time before the history begins
  const cells: (number | undefined)[] = [];
  for (let cell = 0; cell < width; cell++) {
    const from = Math.max(0, Math.floor((cell * span) / width) - missing);
    const to = Math.floor(((cell + 1) * span) / width) - missing;
    cells.push(to <= 0 ? undefined : Math.max(...recent.slice(from, to)));
  }
  const top = options.max ?? Math.max(0, ...cells.filter((value) => value !== undefined));
  let out = '';
  for (const value of cells) {
    if (value === undefined) out += ' ';
    else out += blocks[top > 0 && value > 0 ? Math.min(blocks.length - 1, Math.floor((value / top) * blocks.length)) : 0];
  }
  return out;
}
