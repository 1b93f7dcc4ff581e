/** Fitting plain text into columns. Screen text is ASCII or one-column symbols, so length is width. */
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';

/** Cuts `text` to `width` columns (ending in `…` when cut) and pads it with spaces to exactly `width`. */
export function fit(text: string, width: number, alignRight = false): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return alignRight ? cut.padStart(width) : cut.padEnd(width);
}

/** Cuts an ANSI-styled string to `width` columns, adding `…` when it was longer. */
export function cutStyled(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  return `${sliceAnsi(text, 0, width - 1)}\u001B[0m…`;
}
