/**
 * Signals to whole process groups. Every instance runs in its own group
 * (spawned detached), so one `kill(-pgid)` reaches `sh -c`, `npm run dev`
 * and every child they forked.
 */
import os from 'node:os';
import {findLiveGroupMember, isSameProcess, readProcessEntry} from './stats/process-table.js';

/** Sends `signal` to every process in the group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    // Signal the group, not the pid: `sh -c` forks, and SIGTERM to the shell
    // alone leaves its children running after we report the instance stopped.
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // EPERM means a member exists that we may not signal: it is still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any process of the group is alive (zombies not yet reaped count). */
export function isGroupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/** Sends a signal to one process; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `SIGTERM` → 15. */
export function signalNumber(signal: NodeJS.Signals): number {
  return (os.constants.signals as Record<string, number>)[signal] ?? 0;
}

/** Parses `TERM`, `sigterm`, `SIGTERM` or `15` into a signal name, or undefined. */
export function parseSignal(text: string): NodeJS.Signals | undefined {
  const signals = os.constants.signals as Record<string, number>;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    return Object.keys(signals).find((name) => signals[name] === n) as NodeJS.Signals | undefined;
  }
  const name = trimmed.toUpperCase().startsWith('SIG') ? trimmed.toUpperCase() : `SIG${trimmed.toUpperCase()}`;
  return name in signals ? (name as NodeJS.Signals) : undefined;
}

/** A process identified safely against pid reuse. */
export interface ProcessRef {
  pid: number;
  startTime: number;
}

export interface TerminateOptions {
  /** Null when the group is gone and only escapees are left (recovery after a hard kill). */
  pgid: number | null;
  signal: NodeJS.Signals;
  timeoutMs: number;
  /** Members of the group as last seen: checked first, so polling rarely reads all of /proc. */
  members?: ProcessRef[];
  /** Descendants that left the group (setsid): signalled alongside it. */
  escapees?: ProcessRef[];
  /** Called once if the timeout passes and SIGKILL is sent. */
  onEscalate?: () => void;
  pollMs?: number;
}

/**
 * Sends `signal` to the group (and escapees), waits until all of them are
 * gone, and SIGKILLs whatever is left after `timeoutMs`. Resolves only when
 * nothing is left, so callers can promise "no orphans".
 */
export async function terminateGroup(options: TerminateOptions): Promise<{escalated: boolean}> {
  const {pgid, signal, timeoutMs, pollMs = 40} = options;
  const escapees = [...(options.escapees ?? [])];
  let members = options.members ?? [];
  const send = (sig: NodeJS.Signals) => {
    if (pgid !== null) signalGroup(pgid, sig);
    for (const ref of escapees) if (isSameProcess(ref.pid, ref.startTime)) signalProcess(ref.pid, sig);
  };
  send(signal);
  // A stopped (SIGSTOP) group would never act on SIGTERM: wake it up.
  if (signal !== 'SIGKILL') send('SIGCONT');
  const deadline = Date.now() + timeoutMs;
  let escalated = signal === 'SIGKILL';
  for (;;) {
    // A member that called setsid after it was last seen is out of reach of
    // -pgid: from now on it is an escapee, signalled (and waited for) by pid.
    const moved = members.filter((ref) => isLive(ref) && readProcessEntry(ref.pid)?.pgid !== pgid);
    if (moved.length > 0) {
      members = members.filter((ref) => !moved.includes(ref));
      escapees.push(...moved);
      for (const ref of moved) signalProcess(ref.pid, escalated ? 'SIGKILL' : signal);
    }
    if ((pgid === null || !hasLiveMembers(pgid, members)) && escapees.every((ref) => !isLive(ref))) return {escalated};
    if (!escalated && Date.now() >= deadline) {
      escalated = true;
      options.onEscalate?.();
      send('SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * True while the group has a member that is not a zombie. Orphaned zombies
 * wait for init to reap them, which can take seconds in a container, and
 * `kill(-pgid, 0)` still counts them. Known members are checked one by one;
 * only when none of them is alive is /proc searched (newest pids first,
 * stopping at the first live member), to find members forked since.
 */
export function hasLiveMembers(pgid: number, known: readonly ProcessRef[] = []): boolean {
  if (!isGroupAlive(pgid)) return false;
  if (known.some(isLive)) return true;
  return findLiveGroupMember(pgid) !== null;
}

function isLive(ref: ProcessRef): boolean {
  return isSameProcess(ref.pid, ref.startTime); // zombies do not count
}
