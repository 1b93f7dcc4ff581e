/**
 * A fixed-capacity ring of log lines. `push` is O(1) and overwrites the
 * oldest line when full; readers take windows by sequence number, so the UI
 * reads only the rows it shows.
 */
import type {LogLine, LogWindow} from './api.js';
import type {LineSource} from './lines.js';

/** The scrollback keeps this much of a longer line, marked as cut. */
export const maxStoredLineChars = 64 * 1024;

/** What follows a cut line wherever it is shown (the UI, the pager, the clipboard, `procdeck logs`). */
export const cutMark = ' …[cut]';

/** A line as the scrollback keeps it: whole up to 64 KiB, else its start marked `cut`. */
export function toStoredLine(line: LogLine): LogLine {
  return line.text.length > maxStoredLineChars ? {...line, text: line.text.slice(0, maxStoredLineChars), cut: true} : line;
}

const streamCodes = {stdout: 0, stderr: 1, system: 2} as const;
const streamNames = ['stdout', 'stderr', 'system'] as const;
/** Flag bit for a line kept cut (`LogLine.cut`), beside the stream code. */
const cutBit = 4;

/**
 * Lines are kept field by field (typed arrays for the numbers, arrays for the
 * strings) rather than as LogLine objects: a flood keeps 10,000 lines per
 * instance alive, and an object per line that outlives V8's young
 * generation costs a copy or two each, measured at ~10% of headless
 * throughput. For the same reason a line's text is kept, where it can be,
 * as where it lies in the bytes it was read in (LineSource: start, length),
 * which live outside V8's heap: strings for 10,000 lines of a flood, and the
 * chunks they were sliced from, all outlive the young generation and were
 * copied out of it. Readers get LogLine objects (and strings) built for the
 * window they read. The arrays grow by doubling up to `capacity`, so a quiet
 * instance does not hold a full-size ring.
 */
export class LogRing {
  private seqs: Float64Array;
  private times: Float64Array;
  private flags: Uint8Array;
  private starts: Uint32Array;
  private lengths: Uint32Array;
  private ids: string[];
  private sources: LineSource[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    const initial = Math.min(capacity, 64);
    this.seqs = new Float64Array(initial);
    this.times = new Float64Array(initial);
    this.flags = new Uint8Array(initial);
    this.starts = new Uint32Array(initial);
    this.lengths = new Uint32Array(initial);
    this.ids = new Array<string>(initial);
    this.sources = new Array<LineSource>(initial);
  }

  get size(): number {
    return this.count;
  }

  /** Seq of the newest line, or 0 when empty. */
  get lastSeq(): number {
    return this.count === 0 ? 0 : this.seqs[this.slot(this.count - 1)]!;
  }

  /** Stores `line`, whose text lies in `source` at `start` (by default the text itself). */
  push(line: LogLine, source: LineSource = line.text, start = 0): void {
    if (this.capacity === 0) return;
    let length = line.text.length;
    let isCut = line.cut === true;
    if (length > maxStoredLineChars) {
      // A copy of its own: a slice would keep the whole line (megabytes) alive in the string it was cut from.
      source = Buffer.from(line.text.slice(0, maxStoredLineChars), 'utf16le').toString('utf16le');
      start = 0;
      length = maxStoredLineChars;
      isCut = true;
    }
    let slot: number;
    if (this.count < this.capacity) {
      // Until the ring is full nothing wraps: start is 0 and slots are in order.
      if (this.count === this.seqs.length) this.grow();
      slot = this.count;
      this.count += 1;
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.seqs[slot] = line.seq;
    this.times[slot] = line.time;
    this.flags[slot] = streamCodes[line.stream] | (isCut ? cutBit : 0);
    this.ids[slot] = line.id;
    this.sources[slot] = source;
    this.starts[slot] = start;
    this.lengths[slot] = length;
  }

  /** The i-th line, oldest first. */
  at(i: number): LogLine {
    const slot = this.slot(i);
    const flags = this.flags[slot]!;
    const line: LogLine = {seq: this.seqs[slot]!, id: this.ids[slot]!, stream: streamNames[flags & 3]!, text: this.textAt(slot), time: this.times[slot]!};
    if (flags & cutBit) line.cut = true;
    return line;
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

  /** A slot's text from where it lies: bytes (ASCII, so latin1 reads them as UTF-8 would) or a string. */
  private textAt(slot: number): string {
    const source = this.sources[slot]!;
    const start = this.starts[slot]!;
    const end = start + this.lengths[slot]!;
    if (typeof source !== 'string') return source.toString('latin1', start, end);
    return start === 0 && end === source.length ? source : source.slice(start, end);
  }

  private slot(i: number): number {
    return (this.start + i) % this.capacity;
  }

  /** Doubles the storage (only while not yet full, when slots are still in order). */
  private grow(): void {
    const size = Math.min(this.capacity, this.seqs.length * 2);
    this.seqs = grown(this.seqs, new Float64Array(size));
    this.times = grown(this.times, new Float64Array(size));
    this.flags = grown(this.flags, new Uint8Array(size));
    this.starts = grown(this.starts, new Uint32Array(size));
    this.lengths = grown(this.lengths, new Uint32Array(size));
    this.ids.length = size;
    this.sources.length = size;
  }

  /** Index of the first line whose seq is greater than `seq` (binary search: seqs only grow). */
  private firstIndexAbove(seq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[this.slot(mid)]! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** `into`, holding a copy of `from` at its start. */
function grown<T extends Float64Array | Uint32Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
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
