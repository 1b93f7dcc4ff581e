/**
 * Headless output in foreman's shape: `HH:MM:SS name.N | line`, names padded
 * to one width. Lines of one burst are written together, in one write. How a
 * slow reader slows the children down is the writer's business
 * (output/held-output.ts).
 */
import type {LogLine, SupervisorApi} from '../core/api.js';
import {colorFor, paint} from './colors.js';

export interface PrefixedOptions {
  color: boolean;
  write: (text: string) => void;
}

export class PrefixedPrinter {
  private buffer = '';
  private isFlushScheduled = false;
  private width = 'system'.length;
  private readonly prefixes = new Map<string, string>();
  /** The second the cached heads are for, and its `HH:MM:SS`. */
  private headSecond = -1;
  private clockText = '';
  private readonly heads = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly api: SupervisorApi,
    private readonly options: PrefixedOptions,
  ) {
    this.refreshNames();
    const offLog = api.on('log', (line) => this.print(line));
    const offFormation = api.on('formation', () => this.refreshNames());
    this.unsubscribe = () => {
      offLog();
      offFormation();
    };
  }

  /** Writes whatever is buffered now. */
  flush(): void {
    this.isFlushScheduled = false;
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.options.write(text);
  }

  close(): void {
    this.unsubscribe();
    this.flush();
  }

  private print(line: LogLine): void {
    this.buffer += this.headOf(line) + line.text + '\n';
    if (this.buffer.length > 256 * 1024) this.flush();
    else if (!this.isFlushScheduled) {
      this.isFlushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** `12:00:01 web.1  | `, cached per instance for the current second. */
  private headOf(line: LogLine): string {
    const second = Math.floor(line.time / 1000);
    if (second !== this.headSecond) {
      this.headSecond = second;
      const d = new Date(line.time);
      this.clockText = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
      this.heads.clear();
    }
    let head = this.heads.get(line.id);
    if (head === undefined) {
      head = `${this.clockText} ${this.prefixOf(line.id)} | `;
      this.heads.set(line.id, head);
    }
    return head;
  }

  private prefixOf(id: string): string {
    let prefix = this.prefixes.get(id);
    if (prefix === undefined) {
      // An id we have not seen (a scaled-up instance) widens the column from now on.
      this.width = Math.max(this.width, id.length);
      this.refreshNames();
      prefix = this.prefixes.get(id);
      if (prefix === undefined) {
        // A late line of an instance scaled away: not in the snapshot any more.
        prefix = id.padEnd(this.width);
        this.prefixes.set(id, prefix);
      }
    }
    return prefix;
  }

  private refreshNames(): void {
    const snapshot = this.api.snapshot();
    const ids = ['system', ...snapshot.instances.map((instance) => instance.id)];
    this.width = Math.max(this.width, ...ids.map((id) => id.length));
    const typeIndex = new Map(snapshot.types.map((type, i) => [type.name, i]));
    this.prefixes.clear();
    this.heads.clear(); // their padding may have changed
    for (const id of ids) {
      const padded = id.padEnd(this.width);
      if (!this.options.color) {
        this.prefixes.set(id, padded);
        continue;
      }
      const type = id.slice(0, id.lastIndexOf('.'));
      this.prefixes.set(id, id === 'system' ? paint(padded, 1) : paint(padded, colorFor(typeIndex.get(type) ?? 0)));
    }
  }
}
