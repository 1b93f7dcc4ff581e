import {createServer} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import type {StatsSample} from '../../../src/core/api.js';
import {findPortHolder, isPortListening} from '../../../src/core/ports.js';
import {readListenPorts, readListenSockets, readTcpSocketCount} from '../../../src/core/stats/listen-ports.js';
import {StatsSampler, type StatsSamplerOptions} from '../../../src/core/stats/sampler.js';
import {waitFor} from '../../helpers/wait-for.js';
import {killEverything, startFixture} from './fixtures.js';

afterEach(killEverything);

async function startListener() {
  const fixture = startFixture('stats-listen.mjs');
  const port = Number((await fixture.waitForLine(/^port (\d+)$/))[1]);
  return {fixture, port};
}

/** A port nobody listens on: bind an ephemeral one, then close it. */
async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A sampler that has seen web.1 join (its first tick, not listening yet);
 * web.1 then listens on `port`. `portsNextTick` samples once more.
 */
async function listenAfterFirstTick(options: StatsSamplerOptions) {
  const sampler = new StatsSampler(options);
  const fixture = startFixture('stats-listen.mjs', ['--on-usr1']);
  await fixture.waitForLine(/^ready$/);
  const groups = [{id: 'web.1', pid: fixture.pid, pgid: fixture.pgid}];
  expect((await sampler.sample(groups)).instances['web.1']?.listenPorts).toEqual([]);
  process.kill(fixture.pid, 'SIGUSR1');
  const port = Number((await fixture.waitForLine(/^port (\d+)$/))[1]);
  const portsNextTick = async () => (await sampler.sample(groups)).instances['web.1']?.listenPorts ?? [];
  return {sampler, groups, port, portsNextTick};
}

describe('listen ports', () => {
  it('lists the port a process listens on', async () => {
    const {fixture, port} = await startListener();
    expect([...readListenSockets().values()]).toContain(port);
    expect(readListenPorts([fixture.pid])).toEqual([port]);
    expect(readListenPorts([process.pid])).not.toContain(port);
  });

  it('appears in the sampler listenPorts of the tree, and goes when the listener ends', async () => {
    const sampler = new StatsSampler({portsEveryTicks: 1});
    const {fixture, port} = await startListener();
    const groups = [{id: 'web.1', pid: fixture.pid, pgid: fixture.pgid}];
    let last = await sampleUntilListening(sampler, groups, port);
    expect(last?.instances['web.1']?.listenPorts).toEqual([port]);

    await killEverything();
    last = await sampler.sample(groups);
    expect(last.instances['web.1']?.listenPorts).toEqual([]);
  });

  it('finds a socket that a known tree pid opens later', async () => {
    // The tracker reads a pid's fds once; a later listen must still be noticed.
    const {sampler, groups, port} = await listenAfterFirstTick({portsEveryTicks: 1});
    await sampleUntilListening(sampler, groups, port);
  });
});

describe('re-reading the socket tables after a tree change', () => {
  // The real count is machine-wide: other tests open and close sockets
  // meanwhile, so the count the sampler sees is faked here.
  it('while the TCP socket count is unchanged, waits for the 10-tick period', async () => {
    const {port, portsNextTick} = await listenAfterFirstTick({tcpSocketCount: () => 'unchanged'});
    // Count unchanged: ticks 2-10 skip the tables (1, 2, 4 and 8 after the tree appeared among them)...
    const seen: number[][] = [];
    for (let tick = 2; tick <= 11; tick++) seen.push(await portsNextTick());
    expect(seen.slice(0, 9)).toEqual(Array.from({length: 9}, () => []));
    // ...and tick 11, ten after the last read, reads them anyway.
    expect(seen[9]).toEqual([port]);
  });

  it('a changed count makes the next after-change tick read them', async () => {
    let count = 'before';
    const {port, portsNextTick} = await listenAfterFirstTick({tcpSocketCount: () => count});
    count = 'after';
    expect(await portsNextTick()).toEqual([port]);
  });

  it('readTcpSocketCount reads the kernel counts for IPv4 and IPv6', () => {
    expect(readTcpSocketCount()).toMatch(/^\d+\/\d*$/);
  });
});

describe('findPortHolder', () => {
  it('names the pid and command line listening on the port', async () => {
    const {fixture, port} = await startListener();
    expect(isPortListening(port)).toBe(true);
    const holder = findPortHolder(port);
    expect(holder?.pid).toBe(fixture.pid);
    expect(holder?.command).toMatch(/node .*stats-listen\.mjs$/);
  });

  it('returns null for a free port', async () => {
    const port = await findFreePort();
    expect(isPortListening(port)).toBe(false);
    expect(findPortHolder(port)).toBeNull();
  });
});

/** Samples until web.1 is seen listening on `port`; returns that sample (fails with the last one seen). */
async function sampleUntilListening(sampler: StatsSampler, groups: {id: string; pid: number; pgid: number}[], port: number): Promise<StatsSample> {
  let last: StatsSample | undefined;
  await waitFor(
    async () => {
      last = await sampler.sample(groups);
      return last.instances['web.1']?.listenPorts.includes(port);
    },
    {describe: () => JSON.stringify(last)},
  );
  return last!;
}
