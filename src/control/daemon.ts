/**
 * `procdeck start -D`: runs the same `start` again as a detached child (its
 * own session, no terminal, stdin closed, stdout and stderr to a file), waits
 * until its control socket answers, and reports where it is.
 */
import {spawn} from 'node:child_process';
import {closeSync, openSync, readFileSync} from 'node:fs';
import {ensurePrivateDir, stateDirPurpose, type ProjectPaths} from './paths.js';
import {probeServer} from './connection.js';

/** Set in the daemon child's environment (and removed from it at once, so processes never see it). */
export const daemonChildVariable = 'PROCDECK_DAEMON_CHILD';

const readyTimeoutMs = 20_000;

/** True in the detached child, which then runs the stack headless; clears the marker. */
export function takeDaemonChildMarker(env: NodeJS.ProcessEnv = process.env): boolean {
  const isChild = env[daemonChildVariable] === '1';
  delete env[daemonChildVariable];
  return isChild;
}

/** `exitCode` 2: the daemon refused to start (bad input, a stack already running) and `message` is its own, as it printed it. */
export type DaemonStart = {ok: true; pid: number} | {ok: false; message: string; exitCode: number};

/** Starts the daemon with this process's own arguments and waits until it serves its socket. */
export async function spawnDaemon(paths: ProjectPaths): Promise<DaemonStart> {
  // The logs may hold secrets a process printed: only the user may read them.
  ensurePrivateDir(paths.stateDir, stateDirPurpose);
  const output = openSync(paths.daemonOutput, 'a');
  const startOffset = readFileSync(paths.daemonOutput).length;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: process.cwd(),
    // detached: setsid(), so no terminal and no SIGHUP when this shell closes.
    detached: true,
    stdio: ['ignore', output, output],
    env: {...process.env, [daemonChildVariable]: '1'},
  });
  closeSync(output);
  const pid = child.pid;
  if (pid === undefined) return {ok: false, message: 'procdeck: could not start the daemon process', exitCode: 1};
  let exit: string | undefined;
  let exitCode: number | null = null;
  child.once('exit', (code, signal) => {
    exitCode = code;
    exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  child.unref();
  const deadline = Date.now() + readyTimeoutMs;
  while (exit === undefined && Date.now() < deadline) {
    const hello = await probeServer(paths.socket, 1000);
    if (hello !== null && hello !== 'unknown' && hello.pid === pid) return {ok: true, pid};
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (exit === undefined) {
    // Neither serving nor dead: a half-started daemon must not linger out of sight.
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // It ended just now.
    }
  }
  const tail = readFileSync(paths.daemonOutput, 'utf8').slice(startOffset).trim().split('\n').slice(-10).join('\n');
  // Exit 2 is a refusal the daemon explained in one line of its own (SPEC §2: a stack already
  // runs here, when two starts raced past the check above): that line, and that code, are the answer.
  if (exitCode === 2 && tail !== '') return {ok: false, message: tail, exitCode: 2};
  const why = exit ?? `did not open its control socket within ${readyTimeoutMs / 1000}s`;
  return {ok: false, message: `procdeck: the daemon (pid ${pid}) ${why}${tail ? `:\n${tail}` : ''} (output: ${paths.daemonOutput})`, exitCode: 1};
}
