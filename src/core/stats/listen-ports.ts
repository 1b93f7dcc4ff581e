/**
 * TCP ports that processes listen on, from /proc (Linux only; elsewhere every
 * function reports nothing).
 *
 *   const listening = readListenSockets();             // inode → port, whole machine
 *   const ports = readListenPorts([pid1, pid2], listening); // sorted unique ports
 *   // per tick, with caching across ticks:
 *   const tracker = new ListenPortTracker();
 *   tracker.update(new Map([['web.1', [pid1, pid2]]]), listening); // Map id → ports
 *
 * A socket's owner is found by reading /proc/PID/fd/* links (`socket:[INODE]`).
 * That is ~20 µs per directory plus ~5 µs per fd, so ~150 µs for a Node
 * process and several ms for a whole stack: too much for every second. The
 * tracker reads a pid's fds when the pid is new, and every tree's fds only
 * when a listening socket appears that nobody has been matched to yet.
 */
import {readdirSync, readlinkSync} from 'node:fs';
import {hasProcFs, readProcText, readSystemFile} from './proc-files.js';

const listenState = '0A';

/**
 * Parses /proc/net/tcp or tcp6 text into listening socket inode → local
 * port. Columns: `sl local_address rem_address st … uid timeout inode`.
 */
export function parseListenSockets(text: string, into = new Map<number, number>()): Map<number, number> {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const words = (lines[i] as string).trim().split(/\s+/);
    if (words[3] !== listenState || words.length < 10) continue;
    const local = words[1] as string;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const inode = Number(words[9]);
    if (inode > 0 && Number.isFinite(port)) into.set(inode, port);
  }
  return into;
}

/**
 * Every listening TCP socket in our network namespace, inode → port. Costs
 * ~0.4 ms per file even when nearly empty (the kernel walks its whole
 * connection hash table), so call it once per tick, not per instance.
 */
export function readListenSockets(): Map<number, number> {
  const listening = new Map<number, number>();
  if (!hasProcFs) return listening;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = readProcText(file);
    // null: no IPv6 in this kernel (tcp6 missing); nothing listens there.
    if (text !== null) parseListenSockets(text, listening);
  }
  return listening;
}

/**
 * The kernel's count of TCP sockets in use in our network namespace (IPv4 and
 * IPv6), from /proc/net/sockstat{,6} through held fds: ~20 µs against ~2 ms
 * for the socket tables. While it stays the same, no socket was opened or
 * closed, so the tables need no fresh read to find a new listener. '' without
 * /proc.
 */
export function readTcpSocketCount(): string {
  if (!hasProcFs) return '';
  const v4 = /^TCP: inuse (\d+)/m.exec(readSystemFile('/proc/net/sockstat') ?? '')?.[1] ?? '';
  const v6 = /^TCP6: inuse (\d+)/m.exec(readSystemFile('/proc/net/sockstat6') ?? '')?.[1] ?? '';
  return `${v4}/${v6}`;
}

/** Socket inodes among `pid`'s open files; empty when it is gone or not ours. */
export function readSocketInodes(pid: number): number[] {
  const dir = `/proc/${pid}/fd`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // ENOENT: the process ended; EACCES: another user's. Nothing we can see.
    return [];
  }
  const inodes: number[] = [];
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${name}`);
    } catch {
      // The fd was closed since readdir: it is no longer a socket of this pid.
      continue;
    }
    if (target.startsWith('socket:[')) inodes.push(Number(target.slice(8, -1)));
  }
  return inodes;
}

/** Sorted unique ports that any of `pids` listens on (one-off, no caching). */
export function readListenPorts(pids: Iterable<number>, listening = readListenSockets()): number[] {
  const ports = new Set<number>();
  if (listening.size === 0) return [];
  for (const pid of pids) {
    for (const inode of readSocketInodes(pid)) {
      const port = listening.get(inode);
      if (port !== undefined) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Remembers which tree pid holds which listening socket, so that each tick
 * reads fd directories only for new pids, plus every tree pid when an
 * unmatched listening socket appears (someone started listening).
 */
export class ListenPortTracker {
  /** pid → listening inodes it held when its fds were last read. */
  readonly #inodesByPid = new Map<number, number[]>();
  /** Listening inodes that no tree pid held at the last full read: other programs'. */
  #foreign = new Set<number>();

  /** Ports per id, for `pidsById` (each id's tree pids) and this tick's `listening`. */
  update(pidsById: Map<string, readonly number[]>, listening: Map<number, number>): Map<string, number[]> {
    const treePids = new Set<number>();
    for (const pids of pidsById.values()) for (const pid of pids) treePids.add(pid);
    for (const pid of this.#inodesByPid.keys()) if (!treePids.has(pid)) this.#inodesByPid.delete(pid);

    const matched = new Set<number>();
    for (const inodes of this.#inodesByPid.values()) for (const inode of inodes) matched.add(inode);
    const unmatched = [...listening.keys()].filter((inode) => !matched.has(inode) && !this.#foreign.has(inode));
    const readAll = unmatched.length > 0;
    for (const pid of treePids) {
      if (readAll || !this.#inodesByPid.has(pid)) {
        this.#inodesByPid.set(pid, readSocketInodes(pid).filter((inode) => listening.has(inode)));
      }
    }
    if (readAll) {
      const held = new Set<number>();
      for (const inodes of this.#inodesByPid.values()) for (const inode of inodes) held.add(inode);
      this.#foreign = new Set([...listening.keys()].filter((inode) => !held.has(inode)));
    } else {
      // Forget closed sockets, so the set stays as small as what listens now.
      for (const inode of this.#foreign) if (!listening.has(inode)) this.#foreign.delete(inode);
    }

    const result = new Map<string, number[]>();
    for (const [id, pids] of pidsById) {
      const ports = new Set<number>();
      for (const pid of pids) {
        for (const inode of this.#inodesByPid.get(pid) ?? []) {
          const port = listening.get(inode);
          if (port !== undefined) ports.add(port);
        }
      }
      result.set(id, [...ports].sort((a, b) => a - b));
    }
    return result;
  }
}
