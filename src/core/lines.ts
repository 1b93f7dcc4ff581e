/**
 * Bytes from a child's pipe → complete lines. A `\r` (not part of `\r\n`)
 * starts the line over, so progress bars collapse to their last segment.
 * A line longer than `maxLineBytes` is delivered in pieces of that size so a
 * process that never prints a newline cannot grow our memory without bound.
 *
 * Each line also comes with where it lies, so that the scrollback can keep
 * that instead of a string of its own (log-ring.ts): the bytes of an ASCII
 * chunk it lies wholly in, one char per byte, or else the line itself.
 */
import {isAscii} from 'node:buffer';
import {StringDecoder} from 'node:string_decoder';

/** `source.slice(start, start + text.length)` (bytes of a Buffer, read as latin1) is a line's text. */
export type LineSource = string | Buffer;

export const defaultMaxLineChars = 16 * 1024 * 1024;

/**
 * The longest begun line `unfinished()` reports: enough for a prompt or a
 * progress bar, while a longer line is still streaming in and shows once whole.
 */
export const maxUnfinishedChars = 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly onLine: (text: string, source: LineSource, start: number) => void,
    private readonly maxLineChars = defaultMaxLineChars,
  ) {}

  /** Feeds a chunk; calls `onLine` for every line it completes. */
  push(chunk: Buffer | string): void {
    const decoded = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const carried = this.pending.length;
    const text = this.pending + decoded;
    // One char per byte: the decoder finished no character begun in the last chunk, and none is multi-byte.
    const bytes = typeof chunk !== 'string' && decoded.length === chunk.length && isAscii(chunk) ? chunk : undefined;
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      const line = text.slice(start, newline);
      const collapsed = collapseCarriageReturns(line);
      if (collapsed !== line) this.onLine(collapsed, collapsed, 0);
      else if (bytes && start >= carried) this.onLine(line, bytes, start - carried);
      else this.onLine(line, line, 0);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
    while (this.pending.length > this.maxLineChars) {
      this.deliver(this.pending.slice(0, this.maxLineChars));
      this.pending = this.pending.slice(this.maxLineChars);
    }
  }

  /**
   * The line begun but not yet ended (a prompt waiting for input, a progress
   * bar redrawn with `\r`), collapsed like a line; '' when there is none or it
   * is longer than `maxUnfinishedChars`.
   */
  unfinished(): string {
    const pending = this.pending;
    if (pending.length === 0 || pending.length > maxUnfinishedChars) return '';
    return collapseCarriageReturns(pending);
  }

  /** Delivers a final line that had no newline (the process exited mid-line). */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.length > 0) this.deliver(rest);
  }

  /** A line that is its own source. */
  private deliver(line: string): void {
    const collapsed = collapseCarriageReturns(line);
    this.onLine(collapsed, collapsed, 0);
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
