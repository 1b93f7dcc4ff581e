/** runTui loads Ink (which only reads keys) only once the caller's start-up work has settled. */
import {describe, expect, it, vi} from 'vitest';
import {runTui} from '../../src/ui/render.js';
import {FakeApi, instance} from '../helpers/fake-api.js';
import {FakeStdin, FakeStdout} from '../helpers/fake-terminal.js';
import {waitFor} from '../helpers/wait-for.js';

const importInk = vi.hoisted(() => vi.fn(() => new Promise<never>(() => {})));
vi.mock('../../src/ui/import-ink.js', () => ({importInk}));

describe('runTui with inkAfter', () => {
  it('draws the first frame at once, and imports Ink only after inkAfter settles, rejected or not', async () => {
    for (const settle of ['resolve', 'reject'] as const) {
      importInk.mockClear();
      const api = new FakeApi({instances: [instance('web.1', {status: 'starting', pid: 4312, since: Date.now()})]});
      const stdout = new FakeStdout();
      let settleStartUp = (): void => undefined;
      const startUp = new Promise<void>((resolve, reject) => {
        settleStartUp = settle === 'resolve' ? resolve : () => reject(new Error('execa failed to load'));
      });
      startUp.catch(() => undefined); // the caller's to handle
      const done = runTui(api, {statsIntervalMs: 1000, noColor: true, stdout: stdout as never, stdin: new FakeStdin() as never, inkAfter: startUp});
      expect(stdout.written).toContain('web.1');
      // Several turns of the event loop: nothing but inkAfter lets Ink in.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(importInk).not.toHaveBeenCalled();
      settleStartUp();
      await waitFor(() => importInk.mock.calls.length === 1, {describe: () => `${settle}: importInk called ${importInk.mock.calls.length} times`});
      api.emit('stopped');
      await expect(done).resolves.toEqual({detached: false, quitHere: false});
    }
  });
});
