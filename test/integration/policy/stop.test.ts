import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {stateOf, startStack, type TestStack} from '../../helpers/stack.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});

// Records which signal stopped it; exits on INT or TERM.
const trapper = `sh -c 'trap "echo INT > got.txt; exit 0" INT; trap "echo TERM > got.txt; exit 0" TERM; echo up; while :; do sleep 0.05; done'`;

describe('stop_signal and stop_timeout with real processes', () => {
  it('stops with the stop_signal the process asks for', async () => {
    stack = await startStack({app: trapper}, {yaml: 'processes:\n  app:\n    stop_signal: SIGINT\n'});
    const s = stack;
    await s.waitForLine('app.1', /^up$/);
    const stopping = new Promise((resolve) => s.api.on('state', (id, state) => id === 'app.1' && state.status === 'stopping' && resolve(state)));
    await s.api.dispatch({type: 'stop', target: 'app.1'});
    expect(await stopping).toMatchObject({status: 'stopping', signal: 'SIGINT'});
    expect(readFileSync(path.join(s.dir, 'got.txt'), 'utf8').trim()).toBe('INT');
    expect(stateOf(s, 'app.1')?.status).toBe('stopped');
  });

  it('SIGKILLs after its own stop_timeout, and shutdown_timeout is the default for the others', async () => {
    stack = await startStack(
      {own: '$FIXTURES/ignore-term.sh', inherited: '$FIXTURES/ignore-term.sh'},
      {yaml: 'shutdown_timeout: 400ms\nprocesses:\n  own:\n    stop_timeout: 200ms\n'},
    );
    const s = stack;
    await s.waitForLine('own.1', /^ready/);
    await s.waitForLine('inherited.1', /^ready/);
    const startedAt = Date.now();
    await s.api.shutdown();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
    const system = s.lines.filter((l) => l.id === 'system').map((l) => l.text);
    expect(system).toContain('own.1 did not stop within 0.2s: killed with SIGKILL');
    expect(system).toContain('inherited.1 did not stop within 0.4s: killed with SIGKILL');
  });

  it('says when the leader obeyed the stop signal but the rest of its group needed SIGKILL', async () => {
    // The shell obeys SIGTERM; the sleep it started ignores it.
    stack = await startStack({g: `sh -c 'trap "" TERM; echo ready; exec sleep 100' & wait`}, {timeout: '0.3'});
    const s = stack;
    await s.waitForLine('g.1', /^ready$/);
    await s.api.dispatch({type: 'stop', target: 'g.1'});
    const system = s.lines.filter((l) => l.id === 'system').map((l) => l.text);
    expect(system.slice(-2)).toEqual(['g.1: the rest of its process group did not stop within 0.3s: killed with SIGKILL', 'g.1 stopped (SIGTERM)']);
  });
});
