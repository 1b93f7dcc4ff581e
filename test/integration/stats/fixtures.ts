/**
 * Real process trees for the stats tests, each in its own process group (as
 * the supervisor spawns instances), and a cleanup that proves none survive.
 *
 *   const tree = startFixture('stats-tree.sh', ['setsid']);
 *   const [a, b] = (await tree.waitForLine(/^pids (\d+) (\d+)$/)).slice(1).map(Number);
 *   afterEach(killEverything);
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {createInterface} from 'node:readline';
import {collectTree, isSameProcess, readProcessTable} from '../../../src/core/stats/process-table.js';
import {waitFor} from '../../helpers/wait-for.js';

const binDir = fileURLToPath(new URL('../../fixtures/bin/', import.meta.url));

export interface StartedFixture {
  pid: number;
  pgid: number;
  child: ChildProcess;
  lines: string[];
  waitForLine(pattern: RegExp): Promise<RegExpExecArray>;
}

const started: StartedFixture[] = [];
const strays: {pid: number; startTime: number}[] = [];

/** Starts `test/fixtures/bin/<name>` in a new process group. */
export function startFixture(name: string, args: string[] = []): StartedFixture {
  const child = spawn(`${binDir}${name}`, args, {detached: true, stdio: ['ignore', 'pipe', 'inherit']});
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const lines: string[] = [];
  createInterface({input: child.stdout!}).on('line', (line) => lines.push(line));
  const fixture: StartedFixture = {
    pid: child.pid,
    pgid: child.pid,
    child,
    lines,
    waitForLine: (pattern) =>
      waitFor(
        () => {
          for (const line of lines) {
            const match = pattern.exec(line);
            if (match) return match;
          }
          return undefined;
        },
        {describe: () => `${name} printed ${JSON.stringify(lines)}`},
      ),
  };
  started.push(fixture);
  return fixture;
}

/** Also kill this process at cleanup (one that left every tree we can find). */
export function trackStray(pid: number, startTime: number): void {
  strays.push({pid, startTime});
}

/** SIGKILLs every fixture tree and stray, then waits until none of them is alive. */
export async function killEverything(): Promise<void> {
  const table = readProcessTable();
  const refs = [...strays];
  for (const fixture of started) {
    for (const pid of collectTree(table, fixture)) {
      const entry = table.get(pid);
      if (entry) refs.push({pid, startTime: entry.startTime});
    }
    try {
      process.kill(-fixture.pgid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  }
  for (const ref of refs) {
    if (!isSameProcess(ref.pid, ref.startTime)) continue;
    try {
      process.kill(ref.pid, 'SIGKILL');
    } catch {
      // It ended between the check and the kill.
    }
  }
  started.length = 0;
  strays.length = 0;
  await waitFor(() => refs.every((ref) => !isSameProcess(ref.pid, ref.startTime)), {
    timeoutMs: 5000,
    describe: () => `still alive: ${refs.filter((ref) => isSameProcess(ref.pid, ref.startTime)).map((ref) => ref.pid).join(' ')}`,
  });
}
