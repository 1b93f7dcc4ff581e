/**
 * Writes each instance's output to `DIR/NAME.N.log` (and procdeck's own
 * messages to `DIR/system.log`), one line of output per line of file, with
 * nothing added: the file holds exactly what the process printed (stdout and
 * stderr interleaved in the order procdeck read them, `\r` updates collapsed
 * as in the UI). A file that would grow past `maxBytes` is rotated first, at
 * a line boundary: `NAME.N.log` → `.log.1` → `.log.2` → `.log.3`, the oldest
 * dropped.
 *
 * Writes are synchronous and batched per microtask, like the headless
 * printer: they are in order by construction, and whatever was printed
 * before an exit is on disk once the 'stopped' event (or process exit) runs.
 */
import {closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync} from 'node:fs';
import path from 'node:path';
import type {InstanceId, LogLine, SupervisorApi} from '../core/api.js';

/** Rotated files kept beside the current one. */
export const keptLogFiles = 3;

/** Bytes buffered for one file before it is written without waiting for the microtask. */
const flushThresholdBytes = 256 * 1024;

export interface LogFileOptions {
  dir: string;
  /** Rotate a file before it would grow past this. */
  maxBytes: number;
  /** Told when writing a file fails (disk full, directory removed), and when it works again. */
  report?: (message: string) => void;
  /** After a failed write, lines are dropped (and counted) for this long, then writing is tried again. */
  retryAfterMs?: number;
  now?: () => number;
}

interface LogFile {
  path: string;
  fd: number | null;
  sizeBytes: number;
  lines: string[];
  pendingBytes: number;
  /** Set after a failed write: until then lines are dropped, and counted. */
  retryAt: number | null;
  droppedLines: number;
}

export class LogFileWriter {
  private readonly files = new Map<InstanceId, LogFile>();
  private isFlushScheduled = false;
  private readonly unsubscribe: () => void;
  private readonly flushOnExit = () => this.flush();
  private readonly retryAfterMs: number;
  private readonly now: () => number;

  constructor(
    api: SupervisorApi,
    private readonly options: LogFileOptions,
  ) {
    this.retryAfterMs = options.retryAfterMs ?? 10_000;
    this.now = options.now ?? Date.now;
    mkdirSync(options.dir, {recursive: true});
    const offLog = api.on('log', (line) => this.write(line));
    const offStopped = api.on('stopped', () => this.flush());
    // Each run opens its file afresh: one deleted (or its directory) since is made again, not
    // written into unseen, and a failed file gets its next try.
    const offState = api.on('state', (id, state) => {
      if (state.status === 'starting') this.reopen(id);
    });
    this.unsubscribe = () => {
      offLog();
      offStopped();
      offState();
    };
    // A crash or process.exit elsewhere must not lose the last batch.
    process.on('exit', this.flushOnExit);
  }

  /** Writes everything buffered now. */
  flush(): void {
    this.isFlushScheduled = false;
    for (const file of this.files.values()) this.flushFile(file);
  }

  /** Flushes and closes every file; the writer takes no more lines. */
  close(): void {
    this.unsubscribe();
    this.flush();
    process.off('exit', this.flushOnExit);
    for (const file of this.files.values()) this.closeFile(file);
  }

  private write(line: LogLine): void {
    const file = this.fileFor(line.id);
    if (file.retryAt !== null) {
      if (this.now() < file.retryAt) {
        file.droppedLines += 1;
        return;
      }
      file.retryAt = null;
    }
    const text = `${line.text}\n`;
    file.lines.push(text);
    file.pendingBytes += Buffer.byteLength(text);
    if (file.pendingBytes > flushThresholdBytes) this.flushFile(file);
    else if (!this.isFlushScheduled) {
      this.isFlushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private fileFor(id: InstanceId): LogFile {
    let file = this.files.get(id);
    if (!file) {
      file = {path: path.join(this.options.dir, `${id}.log`), fd: null, sizeBytes: 0, lines: [], pendingBytes: 0, retryAt: null, droppedLines: 0};
      this.files.set(id, file);
    }
    return file;
  }

  /** Closes an instance's file after what is buffered, so the next line opens it again. */
  private reopen(id: InstanceId): void {
    const file = this.files.get(id);
    if (!file) return;
    this.flushFile(file);
    this.closeFile(file);
    file.retryAt = null;
  }

  private closeFile(file: LogFile): void {
    if (file.fd === null) return;
    try {
      closeSync(file.fd);
    } catch {
      // Closing what failed to write: nothing more to lose.
    }
    file.fd = null;
  }

  private flushFile(file: LogFile): void {
    if (file.lines.length === 0) return;
    const lines = file.lines;
    const pendingBytes = file.pendingBytes;
    file.lines = [];
    file.pendingBytes = 0;
    try {
      this.open(file);
      if (file.sizeBytes + pendingBytes <= this.options.maxBytes) this.append(file, lines.join(''), pendingBytes);
      else this.appendRotating(file, lines);
    } catch (error) {
      // Part of the batch may be on disk; the rest is lost with the lines to come until the retry.
      this.closeFile(file);
      file.retryAt = this.now() + this.retryAfterMs;
      file.droppedLines += lines.length;
      this.options.report?.(`${file.path}: cannot write the log file (${(error as Error).message}); its lines are not saved until a write works again (tried every ${this.retryAfterMs / 1000}s, and when the process restarts)`);
      return;
    }
    if (file.droppedLines > 0) {
      this.options.report?.(`${file.path}: writing again; ${file.droppedLines} lines were not saved`);
      file.droppedLines = 0;
    }
  }

  /** Crosses the limit somewhere in this batch: writes up to the line that would not fit, rotates, goes on. */
  private appendRotating(file: LogFile, lines: string[]): void {
    let chunk: string[] = [];
    let chunkBytes = 0;
    for (const text of lines) {
      const bytes = Buffer.byteLength(text);
      if (file.sizeBytes + chunkBytes + bytes > this.options.maxBytes && file.sizeBytes + chunkBytes > 0) {
        this.append(file, chunk.join(''), chunkBytes);
        chunk = [];
        chunkBytes = 0;
        this.rotate(file);
      }
      chunk.push(text);
      chunkBytes += bytes;
    }
    this.append(file, chunk.join(''), chunkBytes);
  }

  private open(file: LogFile): void {
    if (file.fd !== null) return;
    // The directory may have been removed since (a cleanup): make it again.
    mkdirSync(this.options.dir, {recursive: true});
    file.fd = openSync(file.path, 'a');
    // Appending to a log a previous run left: its size counts toward rotation.
    file.sizeBytes = fstatSync(file.fd).size;
  }

  private append(file: LogFile, text: string, bytes: number): void {
    if (bytes === 0 || file.fd === null) return;
    let buffer = Buffer.from(text);
    // writeSync may write less than asked (a full pipe, a signal): finish the job.
    while (buffer.length > 0) {
      const written = writeSync(file.fd, buffer);
      buffer = buffer.subarray(written);
    }
    file.sizeBytes += bytes;
  }

  private rotate(file: LogFile): void {
    if (file.fd !== null) closeSync(file.fd);
    file.fd = null;
    rmSync(`${file.path}.${keptLogFiles}`, {force: true});
    for (let i = keptLogFiles - 1; i >= 1; i--) {
      try {
        renameSync(`${file.path}.${i}`, `${file.path}.${i + 1}`);
      } catch (error) {
        // Fewer rotations so far than files kept: that one does not exist yet.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    renameSync(file.path, `${file.path}.1`);
    this.open(file);
  }
}
