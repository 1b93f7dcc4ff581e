/**
 * Starts one instance's command: `/bin/sh -c SCRIPT` (shell-command.ts makes
 * the script) in its own process group (detached), stdout and stderr piped
 * to the caller chunk by chunk.
 *
 * execa only ever signals its direct child, and its cleanup is off for
 * detached children, so stopping is done by process-group.ts, not here.
 */
import {fstatSync, readlinkSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {execa} from 'execa';
import type {ExitInfo} from './api.js';
import {hasProcFs, readUptimeTicks} from './stats/proc-files.js';

export interface SpawnRequest {
  /** The script for `/bin/sh -c`. */
  command: string;
  /**
   * `pipe` (the default) for a stack a UI can type into; `ignore` gives the
   * child /dev/null, where a read sees end-of-file at once instead of
   * waiting for ever (headless runs: nobody can type).
   */
  stdin?: 'pipe' | 'ignore';
  cwd: string;
  env: Record<string, string>;
}

export interface ChildHooks {
  onData(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** The child's stdio has ended (after its last `onData`). */
  onStreamsEnd(): void;
}

export interface ChildHandle {
  /** The leader's pid, which is also the process group id; null when spawning failed. */
  pid: number | null;
  /**
   * Resolves when the leader has exited and its pipes closed, or shortly
   * after its exit if a descendant holds them (then `isOutputHeld`).
   */
  exited: Promise<ChildExit>;
  /** The child's ends of its stdout and stderr: whoever else holds them is its tree, or escaped from it. */
  outputEnds: OutputEnds;
  /** True while stdout or stderr is still open: someone holds its other end. */
  isOutputOpen(): boolean;
  /** Lets go of stdout and stderr: once their holders are gone, or nothing more will be read. */
  closeOutput(): void;
  /** Writes to the child's stdin; false when it is closed. */
  write(text: string): boolean;
  /** Stops or resumes reading the child's stdout and stderr; a child that fills a pipe nobody reads waits. */
  setReading(isReading: boolean): void;
}

export type Spawner = (request: SpawnRequest, hooks: ChildHooks) => ChildHandle;

/** Where a child's output goes, to find who still holds it (stats/pipe-holders.ts). Empty where there is no /proc. */
export interface OutputEnds {
  /** As /proc/PID/fd links read: `socket:[123]`. */
  links: string[];
  /**
   * Set when a link was inferred, not read (the child was gone already):
   * only processes started at or after this (clock ticks since boot) may be
   * taken for its holders, so an inference can never point at an older one.
   */
  startedSince?: number;
}

export interface ChildExit extends ExitInfo {
  /** Why no process ran (the spawn failed). */
  error?: string;
  /** The leader exited but a descendant still held stdout or stderr open `pipeGraceMs` later. */
  isOutputHeld?: boolean;
}

/**
 * The child's fds 1 and 2, read right after the spawn: Node gives a child a
 * socketpair per stream, and the child's end has an inode of its own, which
 * only the child can show. A command already gone by then (a `(daemon &)`
 * returning within a millisecond) shows nothing; its end is then inferred:
 * Linux numbers the two sockets of a pair one after the other, ours first.
 */
function outputEndsOf(pid: number, streams: readonly (Readable | null)[], spawnedAt: number | null): OutputEnds {
  if (!hasProcFs) return {links: []};
  const links: string[] = [];
  let isInferred = false;
  [1, 2].forEach((fd, i) => {
    try {
      links.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      const ours = socketInode(streams[i]);
      if (ours === null) return;
      links.push(`socket:[${ours + 1}]`);
      isInferred = true;
    }
  });
  // (One tick of slack: /proc/uptime and start times round differently.)
  return isInferred && spawnedAt !== null ? {links, startedSince: spawnedAt - 1} : {links: isInferred ? [] : links};
}

/** The inode of our end of a child's stdio socket (libuv's handle has the fd), or null. */
function socketInode(stream: Readable | null | undefined): number | null {
  const fd = (stream as {_handle?: {fd?: number}} | null | undefined)?._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return null;
  try {
    return fstatSync(fd).ino;
  } catch {
    return null;
  }
}

/** A descendant may keep the pipes open after the leader exits; don't wait for it longer than this. */
const pipeGraceMs = 200;

export const spawnChild: Spawner = (request, hooks) => {
  const spawnedAt = hasProcFs ? readUptimeTicks() : null;
  const subprocess = execa('/bin/sh', ['-c', request.command], {
    cwd: request.cwd,
    env: request.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    stdin: request.stdin ?? 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    encoding: 'buffer',
  });
  let openStreams = 2;
  const endStream = () => {
    openStreams -= 1;
    if (openStreams === 0) hooks.onStreamsEnd();
  };
  subprocess.stdout?.on('data', (chunk: Buffer) => hooks.onData('stdout', chunk));
  subprocess.stderr?.on('data', (chunk: Buffer) => hooks.onData('stderr', chunk));
  subprocess.stdout?.once('close', endStream);
  subprocess.stderr?.once('close', endStream);
  // A process that closes stdin early must not crash us with EPIPE.
  subprocess.stdin?.on('error', () => {});

  const exited = new Promise<ChildExit>((resolve) => {
    let exit: ExitInfo | undefined;
    let settled = false;
    const settle = (info: ChildExit) => {
      if (settled) return;
      settled = true;
      resolve(info);
    };
    subprocess.once('error', (error) => settle({code: 127, signal: null, error: error.message}));
    subprocess.once('exit', (code, signal) => {
      exit = {code, signal: signal as NodeJS.Signals | null};
      if (openStreams === 0) settle(exit);
      else setTimeout(() => settle({...exit!, isOutputHeld: openStreams > 0}), pipeGraceMs).unref();
    });
    subprocess.once('close', () => exit && settle(exit));
  });
  // reject: false already; this only keeps a spawn failure from being reported twice.
  subprocess.catch(() => {});

  return {
    pid: subprocess.pid ?? null,
    exited,
    outputEnds: subprocess.pid === undefined ? {links: []} : outputEndsOf(subprocess.pid, [subprocess.stdout, subprocess.stderr], spawnedAt),
    isOutputOpen: () => openStreams > 0,
    closeOutput: () => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    },
    write: (text) => {
      const stdin = subprocess.stdin;
      if (!stdin || stdin.destroyed || !stdin.writable) return false;
      stdin.write(text);
      return true;
    },
    setReading: (isReading) => {
      for (const stream of [subprocess.stdout, subprocess.stderr]) {
        if (isReading) stream?.resume();
        else stream?.pause();
      }
    },
  };
};
