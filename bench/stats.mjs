// `node bench/stats.mjs`: what one stats tick costs, in CPU time of this
// process, on a machine padded to BENCH_PROCS processes (default 370) with
// BENCH_INSTANCES instance trees (default 20: sh + 2 sleeps each, 4 of them
// Node listeners instead). At the supervisor's 1 tick/s, X ms per tick is
// X/10 % of one core. The figures quoted in src/core/stats/*.ts come from here.
// Tight loops flatter /proc reads (hot caches); the last figure is the honest
// one: one sample() per second for BENCH_SECONDS (20), as the supervisor does,
// against the same wait with no sampling.
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {build} from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const procs = Number(process.env.BENCH_PROCS ?? 370);
const instanceCount = Number(process.env.BENCH_INSTANCES ?? 20);
const listenerCount = Math.min(4, instanceCount);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 200);
const spacedSeconds = Number(process.env.BENCH_SECONDS ?? 20);

// Node 20 cannot import .ts: bundle the stats modules once into a temp file.
const work = mkdtempSync(path.join(tmpdir(), 'procdeck-bench-stats-'));
const bundle = path.join(work, 'stats.mjs');
await build({
  stdin: {
    contents: ['sampler', 'process-table', 'listen-ports', 'held-proc-files', 'proc-files'].map((name) => `export * from './src/core/stats/${name}.ts';`).join('\n') + "\nexport * from './src/core/ports.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  outfile: bundle,
  logLevel: 'warning',
});
const stats = await import(bundle);
const pidusage = createRequire(path.join(root, 'package.json'))('pidusage');

const children = [];
const groups = [];
const start = (command, args, options = {}) => {
  const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'ignore'], ...options});
  children.push(child);
  return child;
};
const countProcs = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;

try {
  const ports = [];
  for (let i = 0; i < instanceCount; i++) {
    const child =
      i < listenerCount
        ? start(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))"], {detached: true})
        : start('sh', ['-c', 'sleep 1000 & sleep 1000 & wait'], {detached: true});
    groups.push({id: `bench.${i + 1}`, pid: child.pid, pgid: child.pid});
    if (i < listenerCount) ports.push(new Promise((resolve) => child.stdout.once('data', (data) => resolve(Number(String(data))))));
  }
  const listenPorts = await Promise.all(ports);
  while (countProcs() < procs) start('sleep', ['1000']);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const treePids = stats.collectTree(stats.readProcessTable(), groups[0]).length;
  const allPids = groups.flatMap((group) => stats.collectTree(stats.readProcessTable(), group));
  console.log(`${countProcs()} processes, ${groups.length} instances, ${allPids.length} tree pids (first tree: ${treePids}), ${iterations} iterations each\n`);

  const rows = [];
  const measure = async (label, run) => {
    await run();
    const before = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await run();
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000 / iterations;
    rows.push({what: label, 'CPU ms per call': ms.toFixed(3), '% core at 1/s': (ms / 10).toFixed(3)});
  };

  await measure('readProcessTable (full /proc scan)', () => stats.readProcessTable());
  await measure('readListenSockets (tcp + tcp6)', () => stats.readListenSockets());
  await measure('readLastCreatedPid (/proc/loadavg)', () => stats.readLastCreatedPid());
  const held = new stats.HeldProcFiles();
  await measure(`HeldProcFiles.readStat x ${allPids.length}`, () => allPids.forEach((pid) => held.readStat(pid)));
  await measure(`HeldProcFiles.readChildren x ${allPids.length}`, () => allPids.forEach((pid) => held.readChildren(pid)));
  held.close();
  await measure(`readProcessEntry x ${allPids.length} (open/read/close)`, () => allPids.forEach((pid) => stats.readProcessEntry(pid)));
  await measure(`readChildPids x ${allPids.length}`, () => allPids.forEach((pid) => stats.readChildPids(pid)));
  await measure(`pidusage(${allPids.length} pids), for comparison`, () => pidusage(allPids));
  const full = new stats.StatsSampler({fullScanEveryTicks: 1, portsEveryTicks: 1});
  await measure('sample(): full scan + ports every tick', () => full.sample(groups));
  full.close();
  const byDefault = new stats.StatsSampler();
  await measure('sample(): defaults, amortized', () => byDefault.sample(groups));
  byDefault.close();
  await measure('findPortHolder(taken port)', () => stats.findPortHolder(listenPorts[0]));
  await measure('findPortHolder(free port)', () => stats.findPortHolder(1));
  console.table(rows);

  const cpuOver = async (seconds, tick) => {
    const before = process.cpuUsage();
    for (let i = 0; i < seconds; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await tick();
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const idleMs = await cpuOver(spacedSeconds, () => {});
  const paced = new stats.StatsSampler();
  const sampledMs = await cpuOver(spacedSeconds, () => paced.sample(groups));
  paced.close();
  const perTick = (sampledMs - idleMs) / spacedSeconds;
  console.log(`one sample() per second for ${spacedSeconds} s: ${perTick.toFixed(2)} ms CPU per tick over idle = ${(perTick / 10).toFixed(3)}% of a core (idle process: ${(idleMs / spacedSeconds / 10).toFixed(3)}%)`);
} finally {
  for (const group of groups) {
    try {
      process.kill(-group.pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, {recursive: true, force: true});
}
