import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {readProcessEntry} from '../../../src/core/stats/process-table.js';
import {StatsSampler} from '../../../src/core/stats/sampler.js';
import {stateOf, startStack, type TestStack} from '../../helpers/stack.js';
import {isAlive, waitFor} from '../../helpers/wait-for.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.dispose(); // throws if any process group is left
  stack = undefined;
});


/**
 * Waits until `id` runs `sleep` (sh has exec'd it) and the kernel itself
 * counts resident pages for it: just after an exec a process reads RSS 0 in
 * /proc/PID/stat (about a third of spawns here), which a sample taken then
 * rightly reports.
 */
async function waitUntilResident(s: TestStack, id: string): Promise<void> {
  const pidOf = () => s.api.snapshot().instances.find((instance) => instance.id === id)?.pid ?? null;
  await waitFor(
    () => {
      const pid = pidOf();
      const entry = pid === null ? null : readProcessEntry(pid);
      return stateOf(s, id)?.status === 'running' && entry?.comm === 'sleep' && entry.rssBytes > 0;
    },
    {describe: () => `${id}: ${JSON.stringify(stateOf(s, id))}, pid ${pidOf()}`},
  );
}

describe('Supervisor with real processes', () => {
  it('SIGKILLs a child that ignores SIGTERM once the stop timeout passes', async () => {
    stack = await startStack({stubborn: '$FIXTURES/ignore-term.sh'}, {timeout: '0.5'});
    const ready = await stack.waitForLine('stubborn.1', /^ready/);
    const outcome = await stack.api.dispatch({type: 'stop', target: 'stubborn.1'});
    expect(outcome.ok).toBe(true);
    expect(stateOf(stack, 'stubborn.1')?.status).toBe('stopped');
    expect(isAlive(Number(ready.text.split(' ')[1]))).toBe(false);
    await stack.waitForLine('system', /stubborn\.1 did not stop within 0\.5s: killed with SIGKILL/);
  });

  it('a force quit says each process was killed, not that it outlived a timeout it was never given', async () => {
    stack = await startStack({stubborn: '$FIXTURES/ignore-term.sh'});
    await stack.waitForLine('stubborn.1', /^ready/);
    await stack.api.shutdown({force: true});
    const said = stack.api.readLog('system', {limit: 50}).map((line) => line.text);
    expect(said).toContain('stubborn.1 stopped (SIGKILL)');
    expect(said.filter((text) => text.includes('did not stop within'))).toEqual([]);
  });

  it('a force quit during a graceful one hurries it, and each stop is said once', async () => {
    stack = await startStack({stubborn: '$FIXTURES/ignore-term.sh'}, {timeout: '30'});
    await stack.waitForLine('stubborn.1', /^ready/);
    const graceful = stack.api.shutdown();
    await waitFor(() => stateOf(stack!, 'stubborn.1')?.status === 'stopping');
    await stack.api.shutdown({force: true});
    await graceful;
    const said = stack.api.readLog('system', {limit: 50}).map((line) => line.text);
    expect(said.filter((text) => text.startsWith('stubborn.1 stopped'))).toEqual(['stubborn.1 stopped (SIGKILL)']);
  });

  it('ends grandchildren in the group when an instance stops', async () => {
    stack = await startStack({tree: '$FIXTURES/fork-tree.sh'});
    const line = await stack.waitForLine('tree.1', /^pids /);
    const pids = line.text.split(' ').slice(1).map(Number);
    expect(pids.every(isAlive)).toBe(true);
    await stack.api.dispatch({type: 'stop', target: 'tree'});
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('ends a child that daemonized (setsid, double fork) and still holds the output, when the leader exits or is stopped', async () => {
    // The daemon leaves the group and, once its subshell is gone, every parent link: only the output it holds leads to it.
    const daemonize = `sleep 0.2; (setsid sh -c 'echo daemon $$; exec sleep 100' &)`;
    stack = await startStack({exits: `${daemonize}; echo parent-done`, stays: `${daemonize}; sleep 100`});
    const s = stack;
    const pids = await Promise.all(['exits.1', 'stays.1'].map(async (id) => Number((await s.waitForLine(id, /^daemon \d+$/)).text.split(' ')[1])));
    await s.waitForLine('system', /^exits\.1: ending pid \d+ \(sleep\), which still held its output after it exited$/);
    await waitFor(() => !isAlive(pids[0]!), {describe: () => `daemon ${pids[0]} still alive`});
    expect(isAlive(pids[1]!)).toBe(true);
    await s.api.dispatch({type: 'stop', target: 'stays.1'});
    expect(isAlive(pids[1]!)).toBe(false);
    expect(s.api.readLog('system', {limit: 50}).map((line) => line.text)).toContain(`stays.1: ending pid ${pids[1]} (sleep), which still held its output after it exited`);
  });

  it('ends grandchildren at shutdown, even after the leader has exited', async () => {
    stack = await startStack({orphaner: "sh -c 'sleep 100 & echo child $!; exit 0'"});
    const line = await stack.waitForLine('orphaner.1', /^child /);
    const pid = Number(line.text.split(' ')[1]);
    await stack.api.shutdown();
    await waitFor(() => !isAlive(pid), {timeoutMs: 2000, describe: () => `pid ${pid} still alive`});
  });

  it('ends a descendant that left the process group with setsid, and says so', async () => {
    stack = await startStack({escaper: '$FIXTURES/escaper.sh'});
    const line = await stack.waitForLine('escaper.1', /^escaped \d+/);
    const pid = Number(line.text.split(' ')[1]);
    expect(isAlive(pid)).toBe(true);
    await stack.api.shutdown();
    expect(isAlive(pid)).toBe(false);
    await stack.waitForLine('system', new RegExp(`escaper\\.1: ending pid ${pid}, which left the process group`));
  });

  it('does not take the ended members of an earlier run for processes that left the group (a crash loop between samples)', async () => {
    stack = await startStack(
      {crashy: "sh -c 'echo up; sleep 0.3; exit 3'"},
      {yaml: 'processes:\n  crashy:\n    restart: always\n    max_restarts: 3\n    backoff: {initial: 100ms, max: 100ms}\n'},
    );
    await stack.waitForLine('crashy.1', /^up$/);
    // One sample, of the first run's sh and sleep; the next is a minute away, long after every run has ended.
    await stack.api.enableStats(60_000);
    await stack.waitForLine('system', /^crashy\.1 failed/, 10_000);
    expect(stack.lines.filter((line) => line.id === 'system' && line.text.includes('left the process group')).map((line) => line.text)).toEqual([]);
  });

  it('names a child seen in the group that called setsid since, as one that left the group, when it ends it', async () => {
    // Sampled in the group for a while, then it leaves it: `exec setsid` keeps its pid.
    stack = await startStack({mover: `sh -c 'echo child $$; sleep 0.6; exec setsid sleep 100' & wait`}, {statsIntervalMs: 100});
    const s = stack;
    const pid = Number((await s.waitForLine('mover.1', /^child \d+$/)).text.split(' ')[1]);
    const group = s.api.snapshot().instances[0]!.pid!;
    await waitFor(() => readProcessEntry(pid)?.comm === 'sleep' && readProcessEntry(pid)?.pgid !== group, {describe: () => JSON.stringify(readProcessEntry(pid))});
    await s.api.dispatch({type: 'stop', target: 'mover.1'});
    await waitFor(() => !isAlive(pid), {timeoutMs: 5000, describe: () => `pid ${pid} still alive`});
    expect(s.lines.filter((line) => line.id === 'system').map((line) => line.text)).toContain(`mover.1: ending pid ${pid}, which left the process group`);
  });

  it('when the leader exits, ends what is left of its group and what left it from there', async () => {
    // The leader exits at once; its child stays in the group, and that child's child called setsid.
    stack = await startStack({leaver: "$FIXTURES/escaper.sh & exit 0"});
    const line = await stack.waitForLine('leaver.1', /^escaped \d+/);
    const pid = Number(line.text.split(' ')[1]);
    await stack.waitForLine('system', new RegExp(`leaver\\.1: ending pid ${pid}, which left the process group`));
    await waitFor(() => !isAlive(pid), {timeoutMs: 2000, describe: () => `pid ${pid} still alive`});
  });

  it('does not read all of /proc after an exit that left no process behind', async () => {
    const scans = vi.spyOn(StatsSampler.prototype, 'scanTree');
    try {
      stack = await startStack({quick: 'true'});
      await stack.waitForLine('system', /quick\.1 exited with code 0/);
      await stack.api.shutdown();
      expect(scans).not.toHaveBeenCalled();
    } finally {
      scans.mockRestore();
    }
  });

  // Stops in about a second: long enough to act while it is stopping.
  const slowStopper = "trap 'sleep 1; exit 0' TERM; echo ready; while :; do sleep 0.1; done";

  it('a start asked for while the process is stopping starts it once stopped', async () => {
    stack = await startStack({slow: slowStopper});
    await stack.waitForLine('slow.1', /^ready/);
    const firstPid = stack.api.snapshot().instances[0]!.pid;
    const stopping = stack.api.dispatch({type: 'stop', target: 'slow.1'});
    await waitFor(() => stateOf(stack!, 'slow.1')?.status === 'stopping');
    const started = await stack.api.dispatch({type: 'start', target: 'slow.1'});
    expect((await stopping).ok).toBe(true);
    expect(started).toMatchObject({ok: true, message: expect.stringMatching(/^slow\.1 started \(pid \d+\)$/)});
    expect(stateOf(stack, 'slow.1')?.status).toMatch(/^(starting|running)$/);
    expect(stack.api.snapshot().instances[0]!.pid).not.toBe(firstPid);
  });

  it('two restarts asked for together make one restart, and both say so', async () => {
    stack = await startStack({slow: slowStopper});
    await stack.waitForLine('slow.1', /^ready/);
    const first = stack.api.dispatch({type: 'restart', target: 'slow.1'});
    await waitFor(() => stateOf(stack!, 'slow.1')?.status === 'stopping');
    const second = await stack.api.dispatch({type: 'restart', target: 'slow.1'});
    expect(await first).toMatchObject({ok: true, message: expect.stringMatching(/^slow\.1 restarted \(pid \d+\)$/)});
    expect(second).toMatchObject({ok: true, message: expect.stringMatching(/^slow\.1 restarted \(pid \d+\)$/)});
    expect(stack.api.snapshot().instances[0]!.restarts).toBe(1);
  });

  it('reports exit codes and signals in words', async () => {
    stack = await startStack({three: '$FIXTURES/exit-with.sh 3', killed: 'kill -KILL $$', shell: 'sh -c "kill -USR1 \\$\\$"; exit $?'});
    await stack.waitForLine('system', /three\.1 exited with code 3$/);
    await stack.waitForLine('system', /killed\.1 exited with code 137 \(killed by SIGKILL\)/);
    // A shell whose command a signal ended exits with 128 + its number: the code names it.
    await stack.waitForLine('system', /shell\.1 exited with code 138 \(SIGUSR1\)$/);
    expect(stateOf(stack, 'three.1')).toEqual({status: 'exited', exit: {code: 3, signal: null}});
  });

  it('keeps stdout and stderr apart and delivers a last line without newline', async () => {
    stack = await startStack({both: "sh -c 'echo out; echo err >&2; printf tail'"});
    await stack.waitForLine('both.1', /^tail$/);
    const lines = stack.lines.filter((l) => l.id === 'both.1').map((l) => `${l.stream}:${l.text}`);
    expect(lines).toEqual(expect.arrayContaining(['stdout:out', 'stderr:err', 'stdout:tail']));
  });

  it('restart gives a new pid and counts the restart', async () => {
    stack = await startStack({tree: '$FIXTURES/fork-tree.sh'});
    await stack.waitForLine('tree.1', /^pids /);
    const before = stack.api.snapshot().instances[0]!.pid;
    const outcome = await stack.api.dispatch({type: 'restart', target: 'tree.1'});
    const after = stack.api.snapshot().instances[0]!;
    expect(outcome).toEqual({ok: true, message: `tree.1 restarted (pid ${after.pid})`});
    expect(after.pid).not.toBe(before);
    expect(after.restarts).toBe(1);
  });

  it('signals the whole group', async () => {
    stack = await startStack({trap: '$FIXTURES/trap-usr1.sh marker'});
    await stack.waitForLine('trap.1', /waiting/);
    expect((await stack.api.dispatch({type: 'signal', target: 'trap', signal: 'SIGUSR1'})).ok).toBe(true);
    await stack.waitForLine('trap.1', /got SIGUSR1/);
  });

  it('scales a type up and down', async () => {
    stack = await startStack({web: 'sleep 100'});
    await stack.api.dispatch({type: 'scale', process: 'web', by: 2});
    expect(stack.api.snapshot().instances.map((i) => [i.id, i.port])).toEqual([['web.1', 5000], ['web.2', 5001], ['web.3', 5002]]);
    await stack.api.dispatch({type: 'scale', process: 'web', to: 1});
    expect(stack.api.snapshot().instances.map((i) => i.id)).toEqual(['web.1']);
    expect(await stack.api.dispatch({type: 'scale', process: 'web', by: -2})).toMatchObject({ok: false, message: 'cannot scale web below 0 (it has 1)'});
    expect(await stack.api.dispatch({type: 'scale', process: 'web', to: 70_000})).toEqual({ok: false, message: 'cannot scale web to 70000: web.70000 would get PORT 74999, above 65535'});
    // The log tells it in order: the scale up, then the starts; the stops, then the scale down.
    const story = stack.api.readLog('system', {limit: 100}).map((line) => line.text.replace(/ \(pid \d+\)$/, ''));
    const events = story.filter((text) => /^web\.[23] (started|stopped)|^web scaled/.test(text));
    // The two stops run at once: either may end first.
    expect([...events.slice(0, 3), ...events.slice(3, 5).sort(), events[5]]).toEqual([
      'web scaled from 1 to 3', 'web.2 started', 'web.3 started',
      'web.2 stopped (SIGTERM)', 'web.3 stopped (SIGTERM)', 'web scaled from 3 to 1',
    ]);
  });

  it('scales one at a time, and never starts an instance being scaled away', async () => {
    // Each instance takes 0.3 s to stop: long enough for commands to arrive while a scale down waits.
    stack = await startStack({w: `sh -c 'trap "sleep 0.3; exit 0" TERM; sleep 100 & wait'`}, {yaml: 'processes:\n  w:\n    instances: 2\n'});
    const s = stack;
    await waitFor(() => s.api.snapshot().instances.every((i) => i.state.status === 'running'));
    const down = s.api.dispatch({type: 'scale', process: 'w', to: 0});
    // Refused, whether the scale has retired them yet or its stop comes first.
    const restart = await s.api.dispatch({type: 'restart', target: 'w'});
    expect(restart.ok).toBe(false);
    for (const id of ['w.1', 'w.2']) expect(restart.message).toMatch(new RegExp(`${id} (is being removed \\(scaled down\\)|was stopped before it could restart)`));
    const up = s.api.dispatch({type: 'scale', process: 'w', to: 3});
    const last = s.api.dispatch({type: 'scale', process: 'w', to: 1});
    expect(await down).toMatchObject({ok: true, message: 'w scaled to 0'});
    expect(await up).toMatchObject({ok: true, message: 'w scaled to 3'});
    expect(await last).toMatchObject({ok: true, message: 'w scaled to 1'});
    expect(s.api.snapshot().instances.map((i) => [i.id, i.state.status])).toEqual([['w.1', 'running']]);
    // dispose() fails if any group this stack started is still alive: none was forgotten.
  });

  it('a stop asked for while a restart waits for the old process wins: it is not started again', async () => {
    // Ignores SIGTERM (the loop's sleep dies; the shell goes on): the restart's stop waits for the timeout.
    stack = await startStack({stub: `sh -c 'trap "echo ignoring" TERM; echo up; while :; do sleep 0.1; done'`}, {timeout: '1'});
    const s = stack;
    await s.waitForLine('stub.1', /^up$/);
    const restart = s.api.dispatch({type: 'restart', target: 'stub.1'});
    await waitFor(() => stateOf(s, 'stub.1')?.status === 'stopping');
    expect(await s.api.dispatch({type: 'stop', target: 'stub.1'})).toMatchObject({ok: true});
    expect(await restart).toEqual({ok: false, message: 'stub.1 was stopped before it could restart'});
    expect(stateOf(s, 'stub.1')?.status).toBe('stopped');
  });

  it('delivers a signal to the program, not to a shell that would die of it', async () => {
    // dash keeps `sh -c` as the parent of a command; SIGUSR1 to the group would end that shell, and the instance with it.
    stack = await startStack({simple: '$FIXTURES/trap-usr1.sh simple.usr1', compound: 'cd . && $FIXTURES/trap-usr1.sh compound.usr1'});
    const s = stack;
    await s.waitForLine('simple.1', /^waiting for SIGUSR1$/);
    await s.waitForLine('compound.1', /^waiting for SIGUSR1$/);
    const leaderOf = (id: string) => {
      const pid = s.api.snapshot().instances.find((instance) => instance.id === id)!.pid!;
      return {pid, entry: readProcessEntry(pid)};
    };
    // A simple command replaced the shell: the pid procdeck shows is the script's own.
    expect(readFileSync(`/proc/${leaderOf('simple.1').pid}/cmdline`, 'utf8')).toContain('trap-usr1.sh');
    for (const id of ['simple.1', 'compound.1']) {
      expect(await s.api.dispatch({type: 'signal', target: id, signal: 'SIGUSR1'})).toMatchObject({ok: true});
      await s.waitForLine(id, /^got SIGUSR1$/);
      // The signal reached every process of the group at once: had the leader died of it, it would be a zombie or gone by now.
      expect(leaderOf(id).entry?.state).toMatch(/^[RS]$/);
      expect(stateOf(s, id)?.status).toBe('running');
    }
  });

  it('says what start() makes of each instance: starting if spawned at once, waiting for its dependencies, nothing for cron jobs or autostart: false', async () => {
    stack = await startStack(
      {web: 'sleep 100', api: 'sleep 100', report: 'true', admin: 'sleep 100'},
      // A cron pattern with no future run (30 February) keeps no state at all: it must not read `starting` for ever.
      {yaml: 'processes:\n  api:\n    depends_on: {web: started}\n  report:\n    cron: "0 0 30 2 *"\n  admin:\n    autostart: false\n'},
    );
    expect(stack.api.firstStatusesAtStart()).toEqual(new Map([['web.1', 'starting'], ['api.1', 'waiting']]));
  });

  it('samples again for a client when a process started since the last sample', async () => {
    // Headless: no stats until a client asks; then one a minute here, so only a fresh sample can measure web.2.
    stack = await startStack({web: 'sleep 100'});
    const s = stack;
    await waitUntilResident(s, 'web.1');
    await s.api.enableStats(60_000);
    await s.api.dispatch({type: 'scale', process: 'web', to: 2});
    // Started since the last sample (a loaded machine may take a while to spawn it).
    await waitUntilResident(s, 'web.2');
    await s.api.enableStats(60_000);
    expect(s.api.snapshot().instances.map((i) => [i.id, i.rssBytes > 0])).toEqual([['web.1', true], ['web.2', true]]);
  });

  it('shows no CPU, memory or port for a run that ended, not its last sample', async () => {
    stack = await startStack({web: 'sleep 100'});
    const s = stack;
    await waitUntilResident(s, 'web.1');
    await s.api.enableStats(60_000);
    expect(s.api.snapshot().instances[0]!.rssBytes).toBeGreaterThan(0);
    await s.api.dispatch({type: 'stop', target: 'web.1'});
    expect(s.api.snapshot().instances[0]).toMatchObject({cpuPercent: 0, rssBytes: 0, listenPorts: []});
  });

  it('restart of a process never run yet (autostart: false) starts it, and counts no restart', async () => {
    stack = await startStack({admin: 'sleep 100', web: 'sleep 100'}, {yaml: 'processes:\n  admin:\n    autostart: false\n'});
    const s = stack;
    await waitFor(() => stateOf(s, 'web.1')?.status === 'running');
    const first = await s.api.dispatch({type: 'restart', target: 'admin.1'});
    expect(first.message).toMatch(/^admin\.1 started \(pid \d+\)$/);
    expect(s.api.snapshot().instances.find((i) => i.id === 'admin.1')?.restarts).toBe(0);
    // The state change of the new run already carries the count: an attached UI gets nothing later.
    let countAtRunning: number | undefined;
    const off = s.api.on('state', (id, state) => {
      if (id === 'admin.1' && state.status === 'running') countAtRunning = s.api.snapshot().instances.find((i) => i.id === 'admin.1')?.restarts;
    });
    expect((await s.api.dispatch({type: 'restart', target: 'admin.1'})).message).toMatch(/^admin\.1 restarted \(pid \d+\)$/);
    off();
    expect(countAtRunning).toBe(1);
    expect(s.api.snapshot().instances.find((i) => i.id === 'admin.1')?.restarts).toBe(1);
  });

  it('says a dependency started by hand started before what it released', async () => {
    stack = await startStack({admin: 'sleep 100', web: 'sleep 100'}, {yaml: 'processes:\n  admin:\n    autostart: false\n  web:\n    depends_on: {admin: started}\n'});
    const s = stack;
    await s.waitForLine('system', /^web\.1 cannot start/);
    await s.api.dispatch({type: 'start', target: 'admin.1'});
    await s.waitForLine('system', /^web\.1 started/);
    const started = s.lines.filter((line) => line.id === 'system' && / started \(pid/.test(line.text)).map((line) => line.text.split(' ')[0]);
    expect(started).toEqual(['admin.1', 'web.1']);
  });

  it('says why a command does not apply and changes nothing', async () => {
    stack = await startStack({done: 'true'});
    await waitFor(() => stateOf(stack!, 'done.1')?.status === 'exited');
    expect(await stack.api.dispatch({type: 'stop', target: 'done.1'})).toEqual({ok: false, message: 'done.1: no such process is running'});
    expect(await stack.api.dispatch({type: 'signal', target: 'done.1', signal: 'SIGTERM'})).toEqual({ok: false, message: 'done.1: no such process is running'});
    expect((await stack.api.dispatch({type: 'stop', target: 'nope'})).message).toBe('no process named "nope" (known: done.1)');
  });

  it('sends input lines to stdin, and shows each in the log before the answer to it', async () => {
    stack = await startStack({cat: "sh -c 'while read l; do echo \"got $l\"; done'"});
    await waitFor(() => stack!.api.snapshot().instances[0]!.pid !== null);
    await stack.api.dispatch({type: 'input', target: 'cat.1', text: 'hello'});
    await stack.waitForLine('cat.1', /^got hello$/);
    // With no prompt before it, the echo is a line of its own, as in a terminal.
    expect(stack.api.readLog('cat.1', {limit: 10}).map((line) => line.text)).toEqual(['hello', 'got hello']);
  });

  it('reports a prompt printed without a newline, and ends it with the input sent, as a terminal echoes it', async () => {
    stack = await startStack({ask: `sh -c 'printf "Name? "; read n; echo "hello $n"; printf "50%%\\r90%%\\r" >&2; sleep 100'`});
    const s = stack;
    const seen: string[] = [];
    s.api.on('unfinished', (id) => seen.push(`${id}: ${JSON.stringify(s.api.unfinishedLines(id))}`));
    await waitFor(() => s.api.unfinishedLines('ask.1').length > 0, {describe: () => seen.join(' / ')});
    expect(s.api.unfinishedLines('ask.1')).toEqual([{stream: 'stdout', text: 'Name? '}]);
    await s.api.dispatch({type: 'input', target: 'ask.1', text: 'bob'});
    await s.waitForLine('ask.1', /^hello bob$/);
    expect(s.api.readLog('ask.1', {limit: 10}).map((line) => `${line.stream}: ${line.text}`)).toEqual(['stdout: Name? bob', 'stdout: hello bob']);
    // A progress bar on stderr shows its last state; stdout has nothing begun.
    await waitFor(() => s.api.unfinishedLines('ask.1').some((line) => line.text === '90%'), {describe: () => seen.join(' / ')});
    expect(s.api.unfinishedLines('ask.1')).toEqual([{stream: 'stderr', text: '90%'}]);
    expect(await s.api.dispatch({type: 'stop', target: 'ask.1'})).toMatchObject({ok: true});
    // The run's end delivers what it had begun as a line, and nothing is unfinished any more.
    await s.waitForLine('ask.1', /^90%$/);
    expect(s.api.unfinishedLines('ask.1')).toEqual([]);
  });

  it('says which pid and command hold PORT before starting the instance anyway', async () => {
    const holder = spawn(process.execPath, ['-e', "const s = require('net').createServer().listen(0, () => console.log(s.address().port))"]);
    try {
      const port = Number(await new Promise<string>((resolve) => holder.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
      stack = await startStack({web: 'sleep 100'}, {port});
      const line = await stack.waitForLine('system', /PORT \d+ is already in use/);
      expect(line.text).toBe(`web.1: PORT ${port} is already in use by pid ${holder.pid} (${process.execPath} -e ${holder.spawnargs[2]}); starting it anyway`);
      await waitFor(() => stateOf(stack!, 'web.1')?.status === 'running');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
