/**
 * Who holds a TCP port, asked before an instance starts so that procdeck can
 * say "PORT 5000 is in use by pid 123 (node server.js)" instead of leaving the
 * user to decode EADDRINUSE.
 *
 *   const holder = findPortHolder(5000); // {pid, command} | null
 *
 * Linux: /proc/net/tcp{,6} for the listening socket, then /proc/PID/fd of
 * every process until one holds it (tens of ms on a busy machine, but only
 * when the port is taken; a free port costs one read of each file).
 * Elsewhere: one `lsof` run.
 */
import {execFileSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {readListenSockets, readSocketInodes, readTcpSocketCount} from './stats/listen-ports.js';
import {hasProcFs, readProcBytes, readProcText} from './stats/proc-files.js';

/** A process listening on a port, with its command line for messages. */
export interface PortHolder {
  pid: number;
  /** Command line joined by spaces (the executable name when it has none). */
  command: string;
}

/**
 * True when something in our network namespace listens on TCP `port` now.
 * Pass one `readListeningPorts()` result to check several ports with one read.
 */
export function isPortListening(port: number, listening = readListeningPorts()): boolean {
  return listening?.has(port) ?? findPortHolder(port) !== null;
}

/**
 * The listening ports, re-read only when a TCP socket was opened or closed
 * (the kernel's socket count changed: ~20 µs to ask) or `maxAgeMs` passed.
 * A stack is spawned a few instances per event-loop turn, and reading the
 * socket tables for each cost ~2 ms: 20 ms of a 10-process start.
 *
 *   const ports = new ListeningPorts();
 *   if (ports.isListening(5000)) ...
 */
export class ListeningPorts {
  private seen: {count: string; at: number; ports: Set<number> | null} | undefined;

  constructor(
    private readonly maxAgeMs = 1000,
    private readonly read: {ports: () => Set<number> | null; socketCount: () => string; now: () => number} = {
      ports: readListeningPorts,
      socketCount: readTcpSocketCount,
      now: () => performance.now(),
    },
  ) {}

  isListening(port: number): boolean {
    const count = this.read.socketCount();
    const now = this.read.now();
    // The same count can hide a close and an open; the age bounds how long such a change goes unseen.
    if (this.seen === undefined || this.seen.count !== count || count === '' || now - this.seen.at > this.maxAgeMs) {
      this.seen = {count, at: now, ports: this.read.ports()};
    }
    return isPortListening(port, this.seen.ports);
  }
}

/**
 * Every TCP port something in our network namespace listens on now, to check
 * several ports with one read; null without /proc (ask `isPortListening`).
 */
export function readListeningPorts(): Set<number> | null {
  return hasProcFs ? new Set(readListenSockets().values()) : null;
}

/**
 * The process listening on TCP `port` now; null when the port is free or
 * its holder cannot be seen (another user's process, another network
 * namespace, or no /proc and no lsof).
 */
export function findPortHolder(port: number): PortHolder | null {
  if (!hasProcFs) return findPortHolderWithLsof(port);
  const inodes = new Set<number>();
  for (const [inode, listening] of readListenSockets()) if (listening === port) inodes.add(inode);
  if (inodes.size === 0) return null;
  // Newest pids first: the holder is most often a dev server started
  // recently, and each process looked at costs ~20 µs plus ~5 µs per fd.
  const names = readdirSync('/proc');
  for (let i = names.length - 1; i >= 0; i--) {
    const name = names[i] as string;
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a pid directory
    const pid = Number(name);
    if (readSocketInodes(pid).some((inode) => inodes.has(inode))) {
      return {pid, command: readCommand(pid) ?? '?'};
    }
  }
  return null;
}

/** `/proc/PID/cmdline` as one line, or the `comm` name for kernel threads and zombies. */
function readCommand(pid: number): string | null {
  // UTF-8, unlike the ASCII-only /proc files the stats code reads as latin1.
  const cmdline = readProcBytes(`/proc/${pid}/cmdline`)?.toString('utf8');
  const words = cmdline?.split('\0').filter((word) => word !== '') ?? [];
  if (words.length > 0) return words.join(' ');
  return readProcText(`/proc/${pid}/comm`)?.trim() ?? null;
}

function findPortHolderWithLsof(port: number): PortHolder | null {
  let output: string;
  try {
    output = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fp'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
  } catch {
    // lsof exits 1 when nothing matches; a missing lsof cannot tell us more.
    return null;
  }
  const pid = Number(/^p(\d+)$/m.exec(output)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  let command = '?';
  try {
    command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000}).trim() || '?';
  } catch {
    // It stopped listening and exited in between; the pid is still worth naming.
  }
  return {pid, command};
}
