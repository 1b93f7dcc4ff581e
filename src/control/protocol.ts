/**
 * The control socket's wire format: JSON, one message per line, version 1.
 *
 *   → {"v":1,"id":1,"method":"restart","params":{"targets":["web"]}}
 *   ← {"v":1,"id":1,"ok":true,"result":{"outcomes":[{"ok":true,"message":"web.1 restarted (pid 4312)"}]}}
 *   ← {"v":1,"id":2,"ok":false,"error":{"code":"unknown-name","message":"no process named \"wbe\" (known: web.1, worker.1)"}}
 *   ← {"v":1,"id":3,"event":"log","data":{...}}   (a stream opened by request 3: logs -f, subscribe)
 *
 * The server greets every connection with a `hello` event (pid, project) so
 * a client can tell whose socket it reached before asking anything. What a
 * request may contain is in request-schema.ts.
 */
import type {InstanceSnapshot, StackSnapshot} from '../core/api.js';
import type {Outcome} from '../core/commands.js';

export const protocolVersion = 1;

/** No request may be longer than this; the server answers `too-large` and skips to the next line. */
export const maxRequestBytes = 1024 * 1024;

/** Events queued for one client beyond this are dropped (and counted), so a slow reader never holds memory. */
export const clientQueueBytes = 4 * 1024 * 1024;

export type ErrorCode =
  | 'parse-error'
  | 'too-large'
  | 'bad-request'
  | 'unknown-method'
  | 'unsupported-version'
  | 'unknown-name'
  | 'shutting-down'
  | 'internal';

export type {Method, MethodParams} from './request-schema.js';

export type RequestId = number | string;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export type ServerMessage =
  | {v: 1; id: RequestId | null; ok: true; result: unknown}
  | {v: 1; id: RequestId | null; ok: false; error: ErrorBody}
  | {v: 1; id: RequestId | null; event: string; data?: unknown};

/** `hello`: sent once when a client connects. */
export interface Hello {
  pid: number;
  projectDir: string;
  name: string;
}

/** One row of `procdeck status --json` (SPEC §9: the field names are a public contract). */
export interface StatusProcess {
  name: string;
  type: string;
  state: string;
  pid: number | null;
  cpu: number;
  rss: number;
  uptime_ms: number | null;
  restarts: number;
  ports: number[];
  exit_code: number | null;
}

/** The result of `status`, printed as is by `procdeck status --json`. */
export interface StatusReport {
  version: 1;
  processes: StatusProcess[];
}

export interface OutcomesResult {
  outcomes: Outcome[];
}

export interface SubscribeResult {
  snapshot: StackSnapshot;
  scrollback: number;
  /** How often the stack samples stats: an attached UI keeps a minute of them. Absent from servers before it was added. */
  statsIntervalMs?: number;
}

/** Builds the SPEC §9 status document from a snapshot. */
export function toStatusReport(snapshot: StackSnapshot, now: number): StatusReport {
  return {version: 1, processes: snapshot.instances.map((instance) => toStatusProcess(instance, now))};
}

function toStatusProcess(instance: InstanceSnapshot, now: number): StatusProcess {
  const state = instance.state;
  const since = state.status === 'running' || state.status === 'starting' ? state.since : undefined;
  const exit = 'exit' in state ? state.exit : undefined;
  return {
    name: instance.id,
    type: instance.type,
    state: state.status,
    pid: instance.pid,
    cpu: Math.round(instance.cpuPercent * 10) / 10,
    rss: instance.rssBytes,
    uptime_ms: since === undefined ? null : Math.max(0, now - since),
    restarts: instance.restarts,
    ports: [...instance.listenPorts],
    exit_code: exit ? (exit.code ?? null) : null,
  };
}

/** One message as a line on the wire. */
export function encodeMessage(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Splits a byte stream into lines, refusing any longer than `maxBytes`
 * without buffering it: the overlong part is dropped and `onTooLong` is
 * called once per such line, so garbage cannot grow our memory.
 */
export class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private isSkipping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      this.take(chunk.subarray(start, newline), true);
      start = newline + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start), false);
  }

  private take(part: Buffer, isLineEnd: boolean): void {
    if (!this.isSkipping) {
      if (this.pendingBytes + part.length > this.maxBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        this.isSkipping = true;
        this.onTooLong();
      } else if (isLineEnd) {
        const line = Buffer.concat([...this.pending, part]).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
        this.onLine(line);
      } else {
        this.pending.push(Buffer.from(part));
        this.pendingBytes += part.length;
      }
    }
    if (isLineEnd) this.isSkipping = false;
  }
}
