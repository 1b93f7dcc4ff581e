import {setImmediate as nextTurn} from 'node:timers/promises';
import {describe, expect, it} from 'vitest';
import {beginUiStartup, endUiStartup} from '../../../src/runtime-gc.js';

describe('runtime-gc', () => {
  it('runs a full collection at the end of start-up, without leaving gc exposed', async () => {
    beginUiStartup();
    // A WeakRef's target survives the job that created it, so the check comes a turn later.
    const ref = new WeakRef({payload: 'x'.repeat(1000)});
    await nextTurn();
    endUiStartup();
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as {gc?: unknown}).gc).toBeUndefined();
  });
});
