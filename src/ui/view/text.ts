/**
 * Fitting text into terminal columns. Most screen text is printable ASCII
 * and procdeck's own symbols, where length is width and the fast path holds;
 * anything else (a CJK
 * process name, an emoji typed into a prompt) is measured with string-width,
 * since a string wider than its length pushes the line past the screen's
 * edge, and the terminal wraps and scrolls the whole screen.
 */
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

/**
 * The one-column characters procdeck itself draws (status symbols, arrows,
 * `·` `…` `│`, sparkline blocks). Text made of these and printable ASCII is
 * measured by its length: string-width's first call sets up ICU and its
 * regexes, ~80 ms that the first frame must not pay (a unit test checks
 * that string-width agrees on each of them).
 */
export const oneColumnSymbols = '·…↻↓↑←→✗✓◐◑◌○●■◷▌▁▂▃▄▅▆▇█│≡↺›‖×';
const oneColumnText = new RegExp(`^[\\x20-\\x7e${oneColumnSymbols}]*$`);

/**
 * string-width, remembered: the screen text that is not ASCII (status
 * symbols, key hints with `·`, names) is the same frame after frame, and
 * measuring it each time was ~0.3% of a core in an idle UI.
 */
const measuredWidths = new Map<string, number>();
function measure(text: string): number {
  let width = measuredWidths.get(text);
  if (width === undefined) {
    if (measuredWidths.size >= 1000) measuredWidths.clear();
    width = stringWidth(text);
    measuredWidths.set(text, width);
  }
  return width;
}

/** Columns `text` (without ANSI styles) takes on screen. */
export function widthOf(text: string): number {
  return oneColumnText.test(text) ? text.length : measure(text);
}

/** Cuts `text` to `width` columns (ending in `…` when cut) and pads it with spaces to exactly `width`. */
export function fit(text: string, width: number, alignRight = false): string {
  if (width <= 0) return '';
  if (oneColumnText.test(text)) {
    const cut = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    return alignRight ? cut.padStart(width) : cut.padEnd(width);
  }
  const cut = measure(text) > width ? `${headColumns(text, width - 1)}…` : text;
  // A wide character across the cut leaves one column short: the padding makes it up.
  const padding = ' '.repeat(Math.max(0, width - measure(cut)));
  return alignRight ? padding + cut : cut + padding;
}

/** Like `fit`, but a text too long keeps its end (`…` first): a prompt shows where the cursor is. */
export function fitEnd(text: string, width: number): string {
  if (width <= 0) return '';
  if (widthOf(text) <= width) return fit(text, width);
  return fit(`…${tailColumns(text, width - 1)}`, width);
}

/** The last `width` columns of `text`, never wider: a wide character across the cut is left out. */
function tailColumns(text: string, width: number): string {
  if (width <= 0) return '';
  let start = widthOf(text) - width;
  let tail = sliceAnsi(text, start);
  // A wide character across the cut is kept whole by slice-ansi: start one column later.
  while (stringWidth(tail) > width) tail = sliceAnsi(text, ++start);
  return tail;
}

/**
 * The first `width` columns of `text` (ANSI styles kept). slice-ansi keeps a
 * wide character that crosses the end whole, one column too many: such a
 * character is left out instead.
 */
export function headColumns(text: string, width: number): string {
  let end = width;
  let head = sliceAnsi(text, 0, end);
  while (end > 0 && stringWidth(head) > width) head = sliceAnsi(text, 0, --end);
  return head;
}

/**
 * An instance name in `width` columns, cut in the middle of its type so that
 * both ends and the instance number stay (`worker-q…alpha.1`): names often
 * share a prefix or a suffix, and `.1` and `.2` must not read the same.
 */
export function fitName(id: string, width: number): string {
  if (widthOf(id) <= width) return fit(id, width);
  const suffix = /\.\d+$/.exec(id)?.[0] ?? '';
  const room = width - suffix.length - 1; // columns for the type's two ends, around `…`
  if (room < 2) return fit(id, width);
  const type = suffix === '' ? id : id.slice(0, -suffix.length);
  // (Padding, if a wide character did not fit, goes after the number.)
  return fit(`${headColumns(type, Math.ceil(room / 2))}…${tailColumns(type, Math.floor(room / 2))}${suffix}`, width);
}

/** Cuts an ANSI-styled string to `width` columns, adding `…` when it was longer. */
export function cutStyled(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  return `${headColumns(text, width - 1)}\u001B[0m…`;
}
