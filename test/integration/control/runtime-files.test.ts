import {existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {readStartTime, type StateFileContent} from '../../../src/control/state-file.js';
import {waitFor} from '../../helpers/wait-for.js';
import {makeControlProject, type ControlProject} from './control-project.js';

let stack: ControlProject | undefined;
let decoy: net.Server | undefined;
afterEach(async () => {
  decoy?.close();
  decoy = undefined;
  await stack?.dispose();
  stack = undefined;
});

// Regressions: when a tmp cleaner (or logind) wiped the runtime directory, the stack could no
// longer be found, a second one started beside it, and the first, on exit, deleted the second's
// socket and state file. Verbs said `no stack is running` while `start` knew better.
describe('a stack whose runtime files disappear', () => {
  it('makes its socket and state file again, so verbs reach it and a second start is refused', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    const {child} = await stack.startHeadless();
    rmSync(stack.paths.runtimeDir, {recursive: true, force: true});
    await waitFor(() => existsSync(stack!.paths.socket) && existsSync(stack!.paths.stateFile), {timeoutMs: 5000, describe: () => 'no socket or state file'});
    expect((await stack.status()).processes[0]!.state).toBe('running');
    const second = await stack.run(['start', '--no-tui']);
    expect(second.exitCode, second.all).toBe(2);
    expect(second.stderr).toContain(`already running here as pid ${child.pid}`);
  });

  it('says a live procdeck runs here when only its socket is missing, and never removes files that are not its own', async () => {
    stack = makeControlProject({Procfile: 'web: sleep 100\n'});
    const {child} = await stack.startHeadless();
    await stack.status(); // registers web.1's group for dispose
    const {paths} = stack;
    // Stopped, so it cannot make its files again while the test puts others in their place.
    const decoyState: StateFileContent = {version: 1, owner: {pid: process.pid, startTime: readStartTime(process.pid)!}, bootId: '', projectDir: stack.dir, groups: []};
    process.kill(child.pid!, 'SIGSTOP');
    try {
      unlinkSync(paths.socket);
      const status = await stack.run(['status']);
      expect(status.exitCode, status.all).toBe(1);
      expect(status.stderr).toContain(`procdeck is running here as pid ${child.pid}, but its control socket ${paths.socket} is missing`);

      // What a second stack started meanwhile would leave: its socket and its state file.
      rmSync(paths.runtimeDir, {recursive: true, force: true});
      mkdirSync(paths.runtimeDir, {mode: 0o700});
      const server = (decoy = net.createServer());
      await new Promise<void>((resolve) => server.listen(paths.socket, resolve));
      writeFileSync(paths.stateFile, JSON.stringify(decoyState));
    } finally {
      process.kill(child.pid!, 'SIGCONT');
    }
    const socketInode = statSync(paths.socket).ino;
    // Two presence checks pass: neither file may be replaced...
    await new Promise((resolve) => setTimeout(resolve, 2500));
    process.kill(child.pid!, 'SIGTERM');
    const exit = await child;
    expect(exit.exitCode, exit.all).toBe(0);
    // ...nor removed when the first stack exits.
    expect(statSync(paths.socket).ino).toBe(socketInode);
    expect(JSON.parse(readFileSync(paths.stateFile, 'utf8'))).toEqual(decoyState);
  });
});
