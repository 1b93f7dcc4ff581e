/** runTui over fake terminal streams: alternate screen in and out, frames drawn, every exit path restores. */
import {afterEach, describe, expect, it} from 'vitest';
import {runTui} from '../../src/ui/render.js';
import {FakeApi, instance} from '../helpers/fake-api.js';
import {FakeStdin, FakeStdout} from '../helpers/fake-terminal.js';
import {waitFor} from '../helpers/wait-for.js';

const enterAlt = '\u001B[?1049h';
const leaveAlt = '\u001B[?1049l';

function stackThatStops(): FakeApi {
  const api = new FakeApi({instances: [instance('web.1', {status: 'running', pid: 4312, since: Date.now()})]});
  api.print('web.1', 'hello from web');
  api.respond = (command) => {
    if (command.type === 'shutdown') setTimeout(() => api.emit('stopped'), 10);
    return {ok: true, message: 'stopping the stack'};
  };
  return api;
}

afterEach(() => {
  delete process.env.PROCDECK_TEST_CRASH;
});

describe('runTui', () => {
  it('draws in the alternate screen and leaves it once the stack has stopped', async () => {
    const api = stackThatStops();
    const stdout = new FakeStdout();
    const done = runTui(api, {statsIntervalMs: 1000, noColor: false, stdout: stdout as never, stdin: new FakeStdin() as never});
    expect(stdout.written.startsWith(enterAlt)).toBe(true);
    await waitFor(() => stdout.written.includes('hello from web'), {describe: () => stdout.written});
    await api.dispatch({type: 'shutdown'});
    await expect(done).resolves.toEqual({detached: false, quitHere: false});
    expect(stdout.written.endsWith(leaveAlt)).toBe(true);
    expect(stdout.written).toContain('\u001B[?25h');
  });

  it('redraws the whole screen at the new size on resize', async () => {
    const api = stackThatStops();
    const stdout = new FakeStdout();
    const done = runTui(api, {statsIntervalMs: 1000, noColor: false, stdout: stdout as never, stdin: new FakeStdin() as never});
    await waitFor(() => stdout.written.includes('hello from web'));
    stdout.written = '';
    stdout.columns = 59;
    stdout.emit('resize');
    await waitFor(() => stdout.written.includes('terminal too small: 59x30'), {describe: () => stdout.written});
    expect(stdout.written).toContain('\u001B[2J');
    await api.dispatch({type: 'shutdown'});
    await done;
  });

  it('when the UI fails, restores the terminal, stops the stack, then rejects with the error', async () => {
    process.env.PROCDECK_TEST_CRASH = '1';
    const api = stackThatStops();
    const stdout = new FakeStdout();
    const done = runTui(api, {statsIntervalMs: 1000, noColor: false, stdout: stdout as never, stdin: new FakeStdin() as never});
    await expect(done).rejects.toThrow('PROCDECK_TEST_CRASH=1: the terminal UI failed on purpose');
    expect(api.dispatched).toContainEqual({type: 'shutdown'});
    expect(stdout.written.endsWith(leaveAlt)).toBe(true);
  });

  it('attached to a daemon, a UI failure leaves the stack running', async () => {
    process.env.PROCDECK_TEST_CRASH = '1';
    const api = stackThatStops();
    api.stack.remote = true;
    const stdout = new FakeStdout();
    const done = runTui(api, {statsIntervalMs: 1000, noColor: false, stdout: stdout as never, stdin: new FakeStdin() as never});
    await expect(done).rejects.toThrow('PROCDECK_TEST_CRASH=1');
    expect(api.dispatched).toEqual([]);
    expect(stdout.written.endsWith(leaveAlt)).toBe(true);
  });
});
