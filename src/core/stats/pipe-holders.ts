/**
 * Processes that hold given pipes or sockets open, found through /proc/PID/fd.
 *
 * A daemonizing child (`(setsid server &)`, a double fork) leaves its
 * instance's process group and, once its parent exits, every parent link
 * to it; the one thing it usually keeps is the stdout and stderr it was
 * started with: the instance's pipes. While it holds them, procdeck would
 * wait for their end for ever, and it would outlive the stack.
 */
import {readdirSync, readlinkSync} from 'node:fs';
import {hasProcFs} from './proc-files.js';
import {isEnded, readProcessEntry} from './process-table.js';

export interface PipeHolder {
  pid: number;
  startTime: number;
  comm: string;
}

/** Every live process but this one with an fd on one of `ends` (`socket:[123]`, `pipe:[456]`, as /proc/PID/fd links read). */
export function findPipeHolders(ends: readonly string[]): PipeHolder[] {
  if (!hasProcFs || ends.length === 0) return [];
  const targets = new Set(ends);
  const holders: PipeHolder[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (!holdsAny(pid, targets)) continue;
    const entry = readProcessEntry(pid);
    if (entry && !isEnded(entry)) holders.push({pid, startTime: entry.startTime, comm: entry.comm});
  }
  return holders;
}

function holdsAny(pid: number, targets: ReadonlySet<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // ended meanwhile, or another user's: not one we could have started
  }
  for (const fd of fds) {
    try {
      if (targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
    } catch {
      // The fd closed between the listing and the look.
    }
  }
  return false;
}
