// `node bench/tui.mjs`: the terminal UI's figures, in a private tmux server
// (120x40), against baselines measured in the same run.
//   first frame: 10 quiet processes; Enter to the whole list printed to the
//                pane (median of BENCH_REPS), against `true; echo` typed the
//                same way, and against Node's own floor: fixtures/node-rows.mjs
//                printing ten rows with nothing loaded. Timed on the pane's
//                output stream (pipe-pane), not by polling the screen.
//   idle:        20 x `sleep` + 1 line/s with live stats: procdeck's CPU % of
//                one core over 10 s after a 3 s warm-up (median of BENCH_REPS).
//   throughput:  1,000,000 lines of 80 B from one child, child end time as a
//                ratio of the same child piped into cat; procdeck's peak RSS.
//   restart:     while a child prints without pause, `r` until the new pid is
//                printed to the pane (its output stream, as for the first
//                frame); median of BENCH_REPS restarts.
// Needs tmux and a built dist/cli.js (PROCDECK_CLI overrides the path).
// BENCH_ONLY=first,idle,throughput,restart picks scenarios (default: all).
import {execFileSync, spawnSync} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import stripAnsi from 'strip-ansi';

const root = path.resolve(import.meta.dirname, '..');
const cli = process.env.PROCDECK_CLI ?? path.join(root, 'dist/cli.js');
const emit = path.join(root, 'bench/fixtures/emit-lines.mjs');
const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
const reps = Number(process.env.BENCH_REPS ?? 3);
const socket = `procdeck-bench-${process.pid}`;
const clockTicks = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = (...args) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'bench');

/** A fresh directory with a Procfile; every process of the run has it as its working directory. */
function project(procfile) {
  const dir = mkdtempSync(path.join(tmpdir(), 'procdeck-tui-bench-'));
  writeFileSync(path.join(dir, 'Procfile'), procfile);
  return dir;
}

/** Opens the 120x40 pane `bench`, running `sh` in `dir`. */
function openPane(dir) {
  tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', '-c', dir, 'env -u CI PS1="$ " sh');
}

/** Opens the pane and types `command`; the caller presses Enter. */
function launch(dir, command) {
  openPane(dir);
  tmux('send-keys', '-t', 'bench', '-l', command);
}

async function waitForScreen(check, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const text = screen();
    const value = check(text);
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out; last screen:\n${text}`);
    await sleep(5);
  }
}

/** procdeck's pid: the node process running the CLI in `dir`. */
function procdeckPid(dir) {
  return processesIn(dir).find((pid) => commandLine(pid).includes(cli));
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return ''; // ended since it was listed
  }
}

function processesIn(dir) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // Ended meanwhile, or not readable: not one of ours.
    }
  }
  return pids;
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Quits procdeck, ends the tmux server and anything left in `dir`. */
async function finish(dir) {
  try {
    tmux('send-keys', '-t', 'bench', 'Q');
    await sleep(1000);
    tmux('kill-server');
  } catch {
    // The server already ended with its last pane.
  }
  // tmux 3.3 leaves the socket file behind after kill-server.
  rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid()}`, socket), {force: true});
  for (const pid of processesIn(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, {recursive: true, force: true});
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Everything the pane prints, as tmux reads it from the pty, copied to a file
 * (pipe-pane). Timing a frame by this stream, read in-process, forks nothing
 * while waiting: polling `tmux capture-pane` every few ms forks a tmux client
 * each time, which on a 2-core machine takes CPU from the program being
 * timed (measured: a bare Node print ~45 ms later, procdeck's start ~80 ms).
 */
function paneOutput(dir) {
  const file = path.join(dir, 'pane.out');
  writeFileSync(file, '');
  tmux('pipe-pane', '-t', 'bench', '-o', `cat >> '${file}'`);
  return file;
}

/**
 * Waits until what the pane printed past byte `from` contains `text` (or
 * makes `text(printed)` truthy; colors are stripped for it); returns the
 * size then.
 */
async function waitForOutput(file, from, text, timeoutMs = 20_000) {
  const isMet = typeof text === 'function' ? (printed) => text(stripAnsi(printed)) : (printed) => printed.includes(text);
  const deadline = performance.now() + timeoutMs;
  let size = from;
  for (;;) {
    const now = statSync(file).size;
    if (now !== size) {
      size = now;
      if (isMet(readBytes(file, from, size))) return size;
    }
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; pane printed:\n${stripAnsi(readBytes(file, from, size)).slice(-2000)}`);
    await sleep(1);
  }
}

function readBytes(file, from, to) {
  const buffer = Buffer.alloc(Math.max(0, to - from));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/**
 * Types `command` (waiting for its echo), presses Enter and times until
 * `text` is printed; the screen is then checked with `onScreen`, untimed.
 */
async function timeToOutput(file, command, text, onScreen) {
  const typed = statSync(file).size;
  tmux('send-keys', '-t', 'bench', '-l', command);
  const from = await waitForOutput(file, typed, command);
  const started = performance.now();
  tmux('send-keys', '-t', 'bench', 'Enter');
  await waitForOutput(file, from, text);
  const ms = performance.now() - started;
  await waitForScreen(onScreen);
  return ms;
}

async function firstFrame() {
  const shell = [];
  const nodeFloor = [];
  const deck = [];
  const floorApp = path.join(root, 'bench/fixtures/node-rows.mjs');
  for (let rep = 0; rep < reps; rep += 1) {
    const dir = project(Array.from({length: 10}, (_, i) => `p${i + 1}: sleep 1000`).join('\n') + '\n');
    openPane(dir);
    const output = paneOutput(dir);
    shell.push(await timeToOutput(output, 'true; echo baseline-done', 'baseline-done', (s) => s.includes('baseline-done\n$')));
    nodeFloor.push(await timeToOutput(output, `clear; node ${floorApp}`, 'p10.1', (s) => s.includes('p10.1  running')));
    tmux('send-keys', '-t', 'bench', 'C-c');
    await waitForScreen(() => !processesIn(dir).some((pid) => commandLine(pid).includes(floorApp)));
    // The first frame holds every row, p10.1 last; it shows the processes starting.
    deck.push(await timeToOutput(output, `clear; node ${cli} start -f Procfile`, 'p10.1', (s) => /^. p10\.1 /m.test(s)));
    await finish(dir);
  }
  return {firstFrameMs: median(deck), shellMs: median(shell), nodeFloorMs: median(nodeFloor)};
}

/** One idle run: procdeck's CPU % of one core over 10 s after a 3 s warm-up (clock ticks: 0.1 % steps). */
async function idleOnce() {
  const procfile = Array.from({length: 20}, (_, i) => `s${i + 1}: sleep 1000`).join('\n') + '\ntick: sh -c "while :; do echo tick; sleep 1; done"\n';
  const dir = project(procfile);
  launch(dir, `node ${cli} start -f Procfile`);
  tmux('send-keys', '-t', 'bench', 'Enter');
  await waitForScreen((s) => /^. tick\.1 /m.test(s));
  await sleep(3000);
  const pid = procdeckPid(dir);
  const before = cpuTicks(pid);
  const started = performance.now();
  await sleep(10_000);
  const cpuPercent = ((cpuTicks(pid) - before) / clockTicks / ((performance.now() - started) / 1000)) * 100;
  await finish(dir);
  return cpuPercent;
}

/** The median of BENCH_REPS idle runs, as the peers harness takes, with every run. */
async function idle() {
  const runs = [];
  for (let rep = 0; rep < reps; rep += 1) runs.push(await idleOnce());
  return {idleCpuPercent: median(runs), idleCpuPercentRuns: runs.map((value) => Number(value.toFixed(2)))};
}

async function throughput() {
  const dir = project(`emit: sh -c 'node ${emit} ${lines}; date +%s%3N > end'\n`);
  let started = performance.now();
  spawnSync('sh', ['-c', `node ${emit} ${lines} | cat > /dev/null`]);
  const catSeconds = (performance.now() - started) / 1000;
  launch(dir, `node ${cli} start -f Procfile`);
  const launchedAtMs = Date.now();
  tmux('send-keys', '-t', 'bench', 'Enter');
  let peakKb = 0;
  const deadline = performance.now() + 300_000;
  let endMs = null;
  while (endMs === null && performance.now() < deadline) {
    try {
      endMs = Number(readFileSync(path.join(dir, 'end'), 'utf8')) || null;
    } catch {
      // Not written yet.
    }
    const pid = procdeckPid(dir);
    if (pid) peakKb = Math.max(peakKb, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0));
    await sleep(50);
  }
  const seconds = endMs === null ? null : (endMs - launchedAtMs) / 1000;
  await finish(dir);
  return {catSeconds, tuiSeconds: seconds, ratioVsCat: seconds ? catSeconds / seconds : null, peakRssMb: peakKb / 1024};
}

async function restartUnderFlood() {
  const dir = project(`emit: sh -c 'while :; do node ${emit} ${lines}; done'\n`);
  openPane(dir);
  const output = paneOutput(dir);
  tmux('send-keys', '-t', 'bench', '-l', `node ${cli} start -f Procfile`);
  tmux('send-keys', '-t', 'bench', 'Enter');
  const pidOf = (s) => /^. emit\.1\s+running\s+(\d+)/m.exec(s)?.[1];
  await waitForScreen((s) => pidOf(s));
  tmux('send-keys', '-t', 'bench', 'j');
  const times = [];
  for (let rep = 0; rep < reps; rep += 1) {
    await sleep(1000);
    const before = pidOf(screen());
    const from = statSync(output).size;
    const started = performance.now();
    tmux('send-keys', '-t', 'bench', 'r');
    // Rows are drawn whole: the new pid arrives in one piece with its row.
    await waitForOutput(output, from, (printed) => [...printed.matchAll(/emit\.1\s+running\s+(\d+)/g)].some((match) => match[1] !== before));
    times.push(performance.now() - started);
    await waitForScreen((s) => pidOf(s) && pidOf(s) !== before);
  }
  await finish(dir);
  return {restartVisibleMs: median(times)};
}

// BENCH_ONLY=first,idle runs only those (first, idle, throughput, restart).
const scenarios = {first: firstFrame, idle, throughput, restart: restartUnderFlood};
const only = process.env.BENCH_ONLY?.split(',') ?? Object.keys(scenarios);
const unknown = only.filter((name) => !(name in scenarios));
if (unknown.length > 0) throw new Error(`BENCH_ONLY: no scenario ${unknown.join(', ')} (known: ${Object.keys(scenarios).join(', ')})`);
const results = {};
for (const name of only) Object.assign(results, await scenarios[name]());
console.log(JSON.stringify(results, null, 2));
