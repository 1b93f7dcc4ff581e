/**
 * Bytes from a child's pipe → complete lines. A `\r` (not part of `\r\n`)
 * starts the line over, so progress bars collapse to their last segment.
 * A line longer than `maxLineBytes` is delivered in pieces of that size so a
 * process that never prints a newline cannot grow our memory without bound.
 */
import {StringDecoder} from 'node:string_decoder';

export const defaultMaxLineChars = 16 * 1024 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly onLine: (text: string) => void,
    private readonly maxLineChars = defaultMaxLineChars,
  ) {}

  /** Feeds a chunk; calls `onLine` for every line it completes. */
  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      this.onLine(collapseCarriageReturns(text.slice(start, newline)));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
    while (this.pending.length > this.maxLineChars) {
      this.onLine(collapseCarriageReturns(this.pending.slice(0, this.maxLineChars)));
      this.pending = this.pending.slice(this.maxLineChars);
    }
  }

  /** Delivers a final line that had no newline (the process exited mid-line). */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.length > 0) this.onLine(collapseCarriageReturns(rest));
  }
}

/** `10%\r20%\r30%` → `30%`; `line\r` (from `\r\n`) → `line`. */
export function collapseCarriageReturns(line: string): string {
  if (line.indexOf('\r') === -1) return line;
  const segments = line.split('\r');
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i] !== '') return segments[i]!;
  }
  return '';
}
