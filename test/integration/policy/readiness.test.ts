import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {InstanceState} from '../../../src/core/api.js';
import {randomBasePort, stateOf, systemTexts, startStack, type TestStack} from '../../helpers/stack.js';
import {isAlive, waitFor} from '../../helpers/wait-for.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});


/** Starts `app` with a `ready:` block and records every state it goes through. */
async function startWithReady(command: string, ready: string, files?: Record<string, string>) {
  const port = randomBasePort();
  const states: InstanceState['status'][] = [];
  const s = await startStack({app: command}, {port, yaml: `processes:\n  app:\n    ready: ${ready}\n`, ...(files ? {files} : {})});
  s.api.on('state', (id, state) => id === 'app.1' && states.push(state.status));
  // The first state (starting) was entered synchronously in start(), before this listener.
  const first = stateOf(s, 'app.1')?.status;
  if (first) states.unshift(first);
  return {s, port, states};
}

async function expectReady(s: TestStack, states: string[]) {
  await waitFor(() => stateOf(s, 'app.1')?.status === 'running', {
    timeoutMs: 8000,
    describe: () => `${states.join(' → ')}; ${systemTexts(s).slice(-3).join(' / ')}`,
  });
  expect(states.slice(0, 2)).toEqual(['starting', 'running']);
  expect(systemTexts(s).some((t) => /^app\.1 ready after \d+(\.\d)?s$/.test(t))).toBe(true);
}

async function expectTimeout(s: TestStack, message: string) {
  await s.waitForLine('system', new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`), 8000);
  expect(stateOf(s, 'app.1')?.status).toBe('starting');
}

describe('readiness checks with real processes', () => {
  it('http: starting until /health answers 2xx, then running', async () => {
    const r = await startWithReady('node $POLICY_FIXTURES/http-health.mjs 300', '{http: "http://localhost:$PORT/health", interval: 100ms, timeout: 10s}');
    stack = r.s;
    expect(stateOf(r.s, 'app.1')?.status).toBe('starting');
    await expectReady(r.s, r.states);
  });

  it('http: a redirect counts as ready, as in Kubernetes and curl -f (a dev server sending / to its login page)', async () => {
    const r = await startWithReady('node $POLICY_FIXTURES/http-health.mjs 0 302', '{http: "http://localhost:$PORT/health", interval: 100ms, timeout: 10s}');
    stack = r.s;
    await expectReady(r.s, r.states);
  });

  it('http: an error answer is not ready, and the timeout is reported with the URL', async () => {
    const r = await startWithReady('node $POLICY_FIXTURES/http-health.mjs 0 503', '{http: "http://localhost:$PORT/health", interval: 100ms, timeout: 600ms}');
    stack = r.s;
    await r.s.waitForLine('app.1', /^listening/);
    await expectTimeout(r.s, `app.1 not ready after 0.6s (http://localhost:${r.port}/health)`);
  });

  it('tcp: running once the port accepts a connection', async () => {
    const r = await startWithReady('node $POLICY_FIXTURES/tcp-listen.mjs 300', '{tcp: "$PORT", interval: 100ms, timeout: 10s}');
    stack = r.s;
    await expectReady(r.s, r.states);
  });

  it('tcp: nothing listening times out and says which port', async () => {
    const r = await startWithReady('sleep 30', '{tcp: "$PORT", interval: 100ms, timeout: 500ms}');
    stack = r.s;
    await expectTimeout(r.s, `app.1 not ready after 0.5s (tcp localhost:${r.port})`);
  });

  it('log: running once a line of its own output matches, colors ignored', async () => {
    const r = await startWithReady(String.raw`sh -c 'sleep 0.3; printf "\033[32mServer listening\033[0m on 1\n"; exec sleep 30'`, '{log: "^Server listening on \\\\d+$", timeout: 10s}');
    stack = r.s;
    await expectReady(r.s, r.states);
  });

  it('log: no matching line times out', async () => {
    const r = await startWithReady(`sh -c 'echo booting; exec sleep 30'`, '{log: "Server listening", timeout: 500ms}');
    stack = r.s;
    await expectTimeout(r.s, 'app.1 not ready after 0.5s (log /Server listening/)');
  });

  it('log: what the user typed (echoed in the log) does not count as output', async () => {
    const r = await startWithReady(`sh -c 'cat > /dev/null'`, '{log: "Server listening", timeout: 30s}');
    stack = r.s;
    const s = r.s;
    expect((await s.api.dispatch({type: 'input', target: 'app.1', text: 'Server listening'})).ok).toBe(true);
    // The echo is in the log; a match would have made the process running in the same call that stored it.
    await s.waitForLine('app.1', /^Server listening$/);
    expect(stateOf(s, 'app.1')?.status).toBe('starting');
  });

  it('exec: running once the command exits 0, with $PORT expanded', async () => {
    const r = await startWithReady(`sh -c 'sleep 0.3; touch ready-$PORT; exec sleep 30'`, '{exec: "test -f ready-$PORT", interval: 100ms, timeout: 10s}');
    stack = r.s;
    await expectReady(r.s, r.states);
  });

  it('exec: a command that keeps failing times out', async () => {
    const r = await startWithReady('sleep 30', '{exec: "exit 1", interval: 100ms, timeout: 500ms}');
    stack = r.s;
    await expectTimeout(r.s, 'app.1 not ready after 0.5s (exec exit 1)');
  });

  it('keeps checking after the timeout and becomes running when ready late', async () => {
    const r = await startWithReady('node $POLICY_FIXTURES/tcp-listen.mjs 900', '{tcp: "$PORT", interval: 100ms, timeout: 300ms}');
    stack = r.s;
    await r.s.waitForLine('system', /app\.1 not ready after 0\.3s/);
    await expectReady(r.s, r.states);
  });

  it('a stop ends a probe command still running, and no check runs afterwards', async () => {
    const r = await startWithReady('sleep 30', `{exec: "echo $$ >> ${'probes.pids'}; exec sleep 30", interval: 100ms, timeout: 10s}`);
    stack = r.s;
    const pidsFile = path.join(r.s.dir, 'probes.pids');
    const readPids = () => {
      try {
        return readFileSync(pidsFile, 'utf8').trim().split('\n').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };
    const [probePid] = await waitFor(() => (readPids().length > 0 ? readPids() : undefined));
    expect(isAlive(probePid!)).toBe(true);
    await r.s.api.dispatch({type: 'stop', target: 'app.1'});
    await waitFor(() => !isAlive(probePid!), {timeoutMs: 2000, describe: () => `probe pid ${probePid} still alive`});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readPids()).toHaveLength(1);
    expect(stateOf(r.s, 'app.1')?.status).toBe('stopped');
  });
});
