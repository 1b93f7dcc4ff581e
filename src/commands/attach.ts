/** `procdeck attach`: the terminal UI over the control socket of a running stack (usually a daemon). */
import type {Command} from 'commander';
import {UsageError} from '../config/errors.js';
import {RemoteSupervisor} from '../control/client.js';
import {lostStackMessage} from '../control/connection.js';
import {projectDirFor, projectPaths} from '../control/paths.js';
import {describeUnreachableStack} from './unreachable-stack.js';

export function registerAttach(program: Command): void {
  program
    .command('attach')
    .description('open the terminal UI on the stack running in the background (q asks: stop it, or detach)')
    .option('-f, --procfile <path>', 'Procfile of the project (default ./Procfile): names the running stack')
    .action(async (options: {procfile?: string}) => {
      process.exitCode = await runAttach(options);
    });
}

async function runAttach(options: {procfile?: string}): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UsageError('attach: needs a terminal (for a script, use procdeck status, logs -f or quit)');
  }
  const paths = projectPaths(projectDirFor(options.procfile));
  let api: RemoteSupervisor;
  try {
    api = await RemoteSupervisor.connect(paths.socket);
  } catch (error) {
    const message = describeUnreachableStack(error, paths);
    if (message === undefined) throw error;
    process.stderr.write(`procdeck: ${message}\n`);
    return 1;
  }
  try {
    // Inside the try: a failed load (procdeck upgraded while the daemon ran) must close the connection, or it keeps us alive.
    const {runTui} = await import('../ui/render.js');
    const {detached, quitHere} = await runTui(api, {statsIntervalMs: api.statsIntervalMs, noColor: Boolean(process.env.NO_COLOR)});
    if (detached) process.stdout.write(`detached; the stack keeps running (procdeck attach to come back, procdeck quit to stop it)\n`);
    // Stopped by someone else: say so, or this UI just vanishes.
    else if (!quitHere && !api.isConnectionLost) process.stdout.write('the stack was stopped from elsewhere (procdeck quit, or another attached UI)\n');
  } finally {
    await api.close();
  }
  if (api.isConnectionLost) {
    // Not a stop anyone asked for: say so, or it reads like a quit.
    process.stderr.write(`procdeck: ${lostStackMessage(paths.projectDir)}\n`);
    return 1;
  }
  return 0;
}
