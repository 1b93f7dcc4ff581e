import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {spawn} from 'node:child_process';
import {afterEach, describe, expect, it} from 'vitest';
import {startStack, type TestStack} from '../../helpers/stack.js';
import {waitFor} from '../../helpers/wait-for.js';
import {ControlServer} from '../../../src/control/server.js';
import {ControlConnection} from '../../../src/control/connection.js';
import {RemoteSupervisor} from '../../../src/control/client.js';
import {LogRing} from '../../../src/core/log-ring.js';
import {maxRequestBytes, type StatusReport} from '../../../src/control/protocol.js';

let stack: TestStack | undefined;
let server: ControlServer | undefined;
let scratch: string | undefined;
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  await stack?.dispose();
  if (scratch) rmSync(scratch, {recursive: true, force: true});
  server = undefined;
  stack = undefined;
  scratch = undefined;
});

async function serve(procfile: Record<string, string>, statsIntervalMs = 1000): Promise<{socketPath: string}> {
  stack = await startStack(procfile);
  scratch = mkdtempSync(path.join(tmpdir(), 'procdeck-sock-'));
  const socketPath = path.join(scratch, 'run', 'test.sock');
  server = await ControlServer.listen({api: stack.api, socketPath, scrollback: 1000, statsIntervalMs, hello: {pid: process.pid, projectDir: stack.dir, name: 'test'}});
  return {socketPath};
}

/** A raw client: writes bytes, collects every reply line. */
function rawClient(socketPath: string): Promise<{socket: net.Socket; replies: Record<string, unknown>[]}> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath, () => resolve({socket, replies}));
    sockets.push(socket);
    const replies: Record<string, unknown>[] = [];
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) replies.push(JSON.parse(line) as Record<string, unknown>);
    });
    socket.once('error', reject);
  });
}

async function expectServing(socketPath: string): Promise<void> {
  const connection = await ControlConnection.connect(socketPath);
  const report = await connection.request<StatusReport>('status', {});
  expect(report.version).toBe(1);
  await connection.close();
}

describe('control server', () => {
  it('answers a request sent at once on connecting, and outlives clients that vanish at once', async () => {
    const {socketPath} = await serve({web: 'sleep 100'});
    for (let i = 0; i < 5; i += 1) {
      await new Promise<void>((resolve) => {
        const early = net.createConnection(socketPath, () => {
          early.destroy();
          resolve();
        });
        early.on('error', () => resolve());
      });
    }
    const {socket, replies} = await rawClient(socketPath);
    socket.write('{"v":1,"id":1,"method":"status","params":{}}\n');
    await waitFor(() => replies.find((reply) => reply.id === 1), {describe: () => JSON.stringify(replies)});
    expect(replies.find((reply) => reply.id === 1)).toMatchObject({ok: true});
    await expectServing(socketPath);
  });

  it('answers malformed, oversized, unknown and garbage input with errors and keeps serving', async () => {
    const {socketPath} = await serve({web: 'sleep 100'});
    const {socket, replies} = await rawClient(socketPath);
    socket.write('not json at all\n');
    socket.write('{"v":1,"id":1}\n'); // no method
    socket.write('{"v":2,"id":2,"method":"status"}\n');
    socket.write('{"v":1,"id":3,"method":"fly","params":{}}\n');
    socket.write('{"v":1,"id":4,"method":"restart","params":{"targets":"web"}}\n');
    socket.write('{"v":1,"id":5,"method":"signal","params":{"signal":"SIGNOPE","targets":["web"]}}\n');
    socket.write(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]));
    socket.write('[1,2,3]\n');
    // Longer than the cap, sent in pieces without a newline, then one.
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent <= maxRequestBytes; sent += chunk.length) socket.write(chunk);
    socket.write('\n{"v":1,"id":6,"method":"status","params":{}}\n');
    await waitFor(() => replies.some((reply) => reply.id === 6), {describe: () => JSON.stringify(replies)});
    const codes = replies.filter((reply) => reply.ok === false).map((reply) => (reply.error as {code: string}).code);
    // Validation errors come back at once, command errors after the command ran: compare as a set.
    expect(codes.sort()).toEqual(['bad-request', 'bad-request', 'bad-request', 'bad-request', 'parse-error', 'parse-error', 'too-large', 'unknown-method', 'unsupported-version']);
    expect(replies.find((reply) => reply.id === 5)).toMatchObject({ok: false, error: {message: expect.stringContaining('unknown signal')}});
    expect(replies.find((reply) => reply.id === 6)).toMatchObject({ok: true, result: {version: 1}});
    await expectServing(socketPath);
  });

  it('keeps serving after a client vanishes mid-request and mid-stream', async () => {
    const {socketPath} = await serve({tick: 'while :; do echo tick; sleep 0.05; done'});
    for (let i = 0; i < 5; i++) {
      const {socket} = await rawClient(socketPath);
      socket.write('{"v":1,"id":1,"method":"subscribe","params":{}}\n{"v":1,"id":2,"method":"logs","params":{"lines":10,"follow":true}}\n{"v":1,"id":3,"method":"sta');
      socket.destroy();
    }
    await waitFor(() => server!.clientCount === 0);
    await expectServing(socketPath);
  });

  it('drops events for a client that does not read, without stalling the engine, and says so', async () => {
    const {socketPath} = await serve({flood: 'node $FIXTURES/numbered.mjs 200000; sleep 100'});
    const {socket, replies} = await rawClient(socketPath);
    socket.write('{"v":1,"id":1,"method":"logs","params":{"lines":0,"follow":true}}\n');
    await waitFor(() => replies.some((reply) => reply.id === 1 && reply.ok === true));
    socket.pause();
    // The producer finishes while nobody reads the stream: the engine never waited on the socket.
    await stack!.waitForLine('flood.1', /^line 0200000 /, 20_000);
    const busy = await ControlConnection.connect(socketPath);
    expect((await busy.request<StatusReport>('status', {})).processes[0]!.state).toBe('running');
    await busy.close();
    socket.resume();
    await waitFor(() => replies.find((reply) => reply.event === 'dropped'), {timeoutMs: 20_000, describe: () => `${replies.length} replies`});
    const dropped = replies.find((reply) => reply.event === 'dropped')!.data as {count: number};
    const delivered = replies.filter((reply) => reply.event === 'log').length;
    expect(dropped.count).toBeGreaterThan(0);
    expect(delivered + dropped.count).toBe(200_000);
  });

  it('replaces a stale socket left by a dead process', async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'procdeck-sock-'));
    const socketPath = path.join(scratch, 'stale.sock');
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`]);
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    stack = await startStack({web: 'sleep 100'});
    server = await ControlServer.listen({api: stack.api, socketPath, scrollback: 100, statsIntervalMs: 1000, hello: {pid: process.pid, projectDir: stack.dir, name: 't'}});
    await expectServing(socketPath);
  });

  it('mirrors the stack for attach: snapshot, backlog, live lines, state and commands', async () => {
    const {socketPath} = await serve({tick: 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done', idle: 'sleep 100'}, 2500);
    await stack!.waitForLine('tick.1', /^tick 5$/);
    const remote = await RemoteSupervisor.connect(socketPath);
    try {
      expect(remote.snapshot().remote).toBe(true);
      // The stack's stats interval, so the attached UI's sparklines hold one minute of it.
      expect(remote.statsIntervalMs).toBe(2500);
      expect(remote.snapshot().instances.map((i) => i.id)).toEqual(['tick.1', 'idle.1']);
      const backlog = remote.readLog('tick.1', {limit: 1000}).map((line) => line.text);
      expect(backlog.slice(0, 5)).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
      // Live lines keep arriving, in order, with no gap after the backlog.
      // At least five more: polling may see several new ticks at once, so never wait for one exact value.
      const newest = () => Number(remote.readLog('tick.1', {limit: 1}).at(0)?.text.slice(5) ?? 0);
      await waitFor(() => newest() >= backlog.length + 5, {describe: () => `newest tick ${newest()}`});
      const texts = remote.readLog('tick.1', {limit: 1000}).map((line) => Number(line.text.slice(5)));
      expect(texts.every((n, i) => n === i + 1)).toBe(true);
      expect(remote.readLog('all', {limit: 1000}).some((line) => line.id === 'system')).toBe(true);

      const states: string[] = [];
      remote.on('state', (id, state) => states.push(`${id}:${state.status}`));
      const outcome = await remote.dispatch({type: 'stop', target: 'idle'});
      expect(outcome).toMatchObject({ok: true, message: 'idle.1 stopped'});
      await waitFor(() => remote.snapshot().instances[1]!.state.status === 'stopped');
      expect(states).toContain('idle.1:stopped');

      // The mirror leaves out what a reader asks it to (an attached UI's cleared lines), in `all` too.
      const lastBefore = remote.readLog('tick.1', {limit: 1})[0]!.seq;
      const isShown = (line: {id: string; seq: number}) => line.id !== 'tick.1' || line.seq > lastBefore;
      await waitFor(() => remote.readLog('tick.1', {limit: 1})[0]!.seq > lastBefore);
      expect(remote.readLog('tick.1', {limit: 1000}, isShown).every((line) => line.seq > lastBefore)).toBe(true);
      expect(remote.readLog('all', {limit: 1000}, isShown).some((line) => line.id === 'tick.1' && line.seq <= lastBefore)).toBe(false);
      expect(remote.readLog('tick.1', {limit: 1000}).some((line) => line.seq <= lastBefore)).toBe(true);

      // Scaling shows up in the mirror's snapshot, with a ring for the new instance.
      expect((await remote.dispatch({type: 'scale', process: 'idle', to: 2})).ok).toBe(true);
      await waitFor(() => remote.snapshot().instances.some((i) => i.id === 'idle.2' && i.state.status === 'running'));

      let stopped = false;
      remote.on('stopped', () => (stopped = true));
      await remote.dispatch({type: 'shutdown'});
      await waitFor(() => stopped);
    } finally {
      await remote.close();
    }
  });

  it('after dropped lines, an attached mirror fetches every log again, and live lines go on after them in order', async () => {
    const {socketPath} = await serve({tick: 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.02; done'}, 1000);
    await stack!.waitForLine('tick.1', /^tick 5$/);
    const remote = await RemoteSupervisor.connect(socketPath);
    try {
      const mirror = remote as unknown as {rings: Map<string, LogRing>; allRing: LogRing; resync(): Promise<void>};
      const ticks = (source: string) => remote.readLog(source, {limit: 10_000}).filter((line) => line.id === 'tick.1').map((line) => Number(line.text.slice(5)));
      await waitFor(() => ticks('tick.1').length >= 10);
      // What a flood that overran this client's queue leaves: lines missing from the mirror (here, all of them).
      mirror.rings.set('tick.1', new LogRing(mirror.allRing.capacity));
      mirror.allRing = new LogRing(mirror.allRing.capacity);
      expect(ticks('tick.1')).toEqual([]);
      await mirror.resync();
      for (const source of ['tick.1', 'all']) {
        const got = ticks(source);
        expect(got.length, source).toBeGreaterThanOrEqual(10);
        expect(got.every((n, i) => n === i + 1), `${source}: ${got.join(' ')}`).toBe(true);
      }
      // Lines received live while the replies were on their way were neither lost nor doubled.
      const before = ticks('tick.1').length;
      await waitFor(() => ticks('tick.1').length >= before + 10, {describe: () => `${ticks('tick.1').length} ticks`});
      expect(ticks('tick.1').every((n, i) => n === i + 1)).toBe(true);
      expect(remote.readLog('system', {limit: 100}).at(-1)?.text).toMatch(/^fetched the newest \d+ lines again from the stack$/);
    } finally {
      await remote.close();
    }
  });

  it('mirrors unfinished lines for attach: those begun before it attached, and their changes', async () => {
    const {socketPath} = await serve({ask: `sh -c 'printf "Name? "; read n; printf "hi $n, again? "; sleep 100'`}, 1000);
    await waitFor(() => stack!.api.unfinishedLines('ask.1').length > 0);
    const remote = await RemoteSupervisor.connect(socketPath);
    try {
      await waitFor(() => remote.unfinishedLines('ask.1').length > 0, {describe: () => JSON.stringify(remote.unfinishedLines('ask.1'))});
      expect(remote.unfinishedLines('ask.1')).toEqual([{stream: 'stdout', text: 'Name? '}]);
      const changed: string[] = [];
      remote.on('unfinished', (id) => changed.push(id));
      expect((await remote.dispatch({type: 'input', target: 'ask.1', text: 'bob'})).ok).toBe(true);
      await waitFor(() => remote.unfinishedLines('ask.1')[0]?.text === 'hi bob, again? ', {describe: () => JSON.stringify(remote.unfinishedLines('ask.1'))});
      expect(remote.readLog('ask.1', {limit: 10}).map((line) => line.text)).toEqual(['Name? bob']);
      expect(changed).toContain('ask.1');
    } finally {
      await remote.close();
    }
  });
});
