/**
 * A fixed-capacity ring of log lines. `push` is O(1) and overwrites the
 * oldest line when full; readers take windows by sequence number, so the UI
 * reads only the rows it shows.
 */
import type {LogLine, LogWindow} from './api.js';

/** The scrollback keeps this much of a longer line, marked as cut. */
export const maxStoredLineChars = 64 * 1024;

/** A line as the scrollback keeps it: whole up to 64 KiB, else its start marked `cut`. */
export function toStoredLine(line: LogLine): LogLine {
  return line.text.length > maxStoredLineChars ? {...line, text: line.text.slice(0, maxStoredLineChars), cut: true} : line;
}

export class LogRing {
  private readonly lines: (LogLine | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.lines = new Array<LogLine | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Seq of the newest line, or 0 when empty. */
  get lastSeq(): number {
    return this.count === 0 ? 0 : this.at(this.count - 1).seq;
  }

  push(line: LogLine): void {
    if (this.capacity === 0) return;
    if (this.count < this.capacity) {
      this.lines[(this.start + this.count) % this.capacity] = line;
      this.count += 1;
    } else {
      this.lines[this.start] = line;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  clear(): void {
    this.lines.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** The i-th line, oldest first. */
  at(i: number): LogLine {
    return this.lines[(this.start + i) % this.capacity]!;
  }

  /** Lines in the window, oldest first; `keep` filters without costing the window its size. */
  read(window: LogWindow, keep?: (line: LogLine) => boolean): LogLine[] {
    const lo = window.afterSeq === undefined ? 0 : this.firstIndexAbove(window.afterSeq);
    const hi = window.beforeSeq === undefined ? this.count : this.firstIndexAbove(window.beforeSeq - 1);
    const out: LogLine[] = [];
    if (window.afterSeq !== undefined) {
      for (let i = lo; i < hi && out.length < window.limit; i++) {
        const line = this.at(i);
        if (!keep || keep(line)) out.push(line);
      }
      return out;
    }
    for (let i = hi - 1; i >= lo && out.length < window.limit; i--) {
      const line = this.at(i);
      if (!keep || keep(line)) out.push(line);
    }
    return out.reverse();
  }

  /** Index of the first line whose seq is greater than `seq` (binary search: seqs only grow). */
  private firstIndexAbove(seq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Merges windows read from several rings into one, by seq: the newest
 * `limit` lines, or the oldest `limit` after `afterSeq`, oldest first.
 */
export function mergeWindows(windows: readonly LogLine[][], window: LogWindow): LogLine[] {
  const merged = windows.flat().sort((a, b) => a.seq - b.seq);
  if (merged.length <= window.limit) return merged;
  return window.afterSeq !== undefined ? merged.slice(0, window.limit) : merged.slice(merged.length - window.limit);
}
