/**
 * Test helper: a temp project whose stack runs from the built CLI, with
 * private XDG_RUNTIME_DIR and XDG_STATE_HOME so tests never touch the user's
 * sockets or logs. Talks to the stack through the real control socket.
 */
import {mkdtempSync, realpathSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {ResultPromise} from 'execa';
import {makeProject, type Project} from '../../helpers/cli.js';
import {isAlive, waitFor} from '../../helpers/wait-for.js';
import {ControlConnection} from '../../../src/control/connection.js';
import {projectPaths, type ProjectPaths} from '../../../src/control/paths.js';
import type {StatusReport} from '../../../src/control/protocol.js';
import {hasLiveMembers} from '../../../src/core/process-group.js';

export interface ControlProject {
  project: Project;
  dir: string;
  env: Record<string, string>;
  paths: ProjectPaths;
  run(args: string[], options?: {timeoutMs?: number}): ResultPromise<{reject: false; all: true}>;
  /**
   * Starts `start --no-tui ARGS` and resolves once its control socket answers.
   * The child is wrapped: a bare execa promise returned from an async function
   * would be awaited until the child exits.
   */
  startHeadless(args?: string[]): Promise<{child: ResultPromise<{reject: false; all: true}>}>;
  status(): Promise<StatusReport>;
  /** Every process group seen in a status so far. */
  groups: Set<number>;
  dispose(): Promise<void>;
}

export function makeControlProject(files: Record<string, string>): ControlProject {
  const project = makeProject(files);
  const dir = realpathSync(project.dir);
  const scratch = mkdtempSync(path.join(tmpdir(), 'procdeck-xdg-'));
  const env = {XDG_RUNTIME_DIR: path.join(scratch, 'run'), XDG_STATE_HOME: path.join(scratch, 'state')};
  const paths = projectPaths(dir, env);
  const started: Array<ResultPromise<{reject: false; all: true}>> = [];
  const groups = new Set<number>();
  const run = (args: string[], options: {timeoutMs?: number} = {}) => project.run(args, {env, ...options});
  const status = async (): Promise<StatusReport> => {
    const connection = await ControlConnection.connect(paths.socket);
    try {
      const report = await connection.request<StatusReport>('status', {});
      for (const p of report.processes) if (p.pid !== null) groups.add(p.pid);
      return report;
    } finally {
      await connection.close();
    }
  };
  return {
    project,
    dir,
    env,
    paths,
    run,
    groups,
    status,
    async startHeadless(args = []) {
      const child = run(['start', '--no-tui', ...args], {timeoutMs: 120_000});
      started.push(child);
      let exited = false;
      void child.then(() => (exited = true));
      await waitFor(async () => {
        if (exited) throw new Error(`procdeck exited early: ${(await child).all}`);
        try {
          await status();
          return true;
        } catch {
          return false;
        }
      }, {timeoutMs: 15_000, describe: () => 'no answer on the control socket'});
      return {child};
    },
    async dispose() {
      // The graceful way first: a stack still serving is told to quit, and given time to.
      if (started.some((child) => child.pid !== undefined && isAlive(child.pid))) {
        await run(['quit'], {timeoutMs: 15_000});
        await Promise.race([Promise.all(started), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      }
      for (const child of started) {
        if (child.pid !== undefined && isAlive(child.pid)) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone between the check and the kill.
          }
        }
      }
      const left = [...groups].filter((pgid) => hasLiveMembers(pgid));
      for (const pgid of left) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
      project.dispose();
      rmSync(scratch, {recursive: true, force: true});
      if (left.length > 0) throw new Error(`process groups left behind: ${left.join(', ')}`);
    },
  };
}
