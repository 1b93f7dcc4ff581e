// `npm run bench`: procdeck's own figures, each against a baseline measured in
// the same run (never absolute times, which drift between machines).
//   throughput: 1,000,000 lines of 80 B through headless procdeck into
//               /dev/null, as a ratio of the same child piped into cat; peak RSS;
//               a capture run checks every line arrived whole and in order.
//   start:      10 processes each create a file; time until all exist, against
//               plain `sh &` starting the same 10.
// Each also measures its Node floor in the same run: what a Node program
// doing only the bare minimum (fixtures/node-relay.mjs, node-spawner.mjs)
// reaches on this machine, which no Node tool can beat.
// Then, when ../shared/bench/peers.mjs is beside the checkout, it runs the
// peers harness for procdeck (idle CPU, shutdown, start) for the full table.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli.js');
const emit = path.join(root, 'bench/fixtures/emit-lines.mjs');
const relay = path.join(root, 'bench/fixtures/node-relay.mjs');
const spawner = path.join(root, 'bench/fixtures/node-spawner.mjs');
const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
const reps = Number(process.env.BENCH_REPS ?? 3);
const work = mkdtempSync(path.join(tmpdir(), 'procdeck-bench-'));

/** Runs a command, returns wall time in seconds and the peak RSS (VmHWM) of the top process in MB. */
async function measure(cmd, args, options = {}) {
  const started = performance.now();
  const child = spawn(cmd, args, {stdio: ['ignore', options.stdout ?? 'ignore', 'inherit'], cwd: options.cwd ?? work, env: {...process.env, ...options.env}});
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // The process ended between polls: the last reading stands.
    }
  }, 20);
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  return {seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024, code};
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throughput() {
  const procfile = path.join(work, 'Procfile.tp');
  writeFileSync(procfile, `emit: node ${emit} ${lines}\n`);
  const cat = [];
  const floor = [];
  const deck = [];
  for (let r = 0; r < reps; r++) {
    cat.push(await measure('sh', ['-c', `node ${emit} ${lines} | cat > /dev/null`]));
    floor.push(await measure('node', [relay, `node ${emit} ${lines}`]));
    deck.push(await measure('node', [cli, 'start', '--no-tui', '-f', procfile]));
  }
  const catS = median(cat.map((m) => m.seconds));
  const floorS = median(floor.map((m) => m.seconds));
  const deckS = median(deck.map((m) => m.seconds));
  // Completeness: one run captured to a file, every line checked.
  const capture = path.join(work, 'capture.txt');
  const {openSync, closeSync} = await import('node:fs');
  const fd = openSync(capture, 'w');
  await measure('node', [cli, 'start', '--no-tui', '-f', procfile], {stdout: fd});
  closeSync(fd);
  let expected = 1;
  let broken = 0;
  let other = 0;
  const rl = readline.createInterface({input: createReadStream(capture)});
  for await (const line of rl) {
    const m = / emit\.1 \| L(\d{7}) (abcdefghij){7}$/.exec(line);
    if (m) {
      if (Number(m[1]) === expected) expected++;
      else broken++;
    } else if (/ emit\.1 +\| /.test(line)) broken++;
    else other++;
  }
  return {
    catSeconds: catS,
    procdeckSeconds: deckS,
    ratio: catS / deckS,
    nodeFloorRatio: catS / floorS,
    peakRssMb: median(deck.map((m) => m.peakMb)),
    linesIntact: expected - 1,
    linesBroken: broken,
    otherLines: other,
  };
}

async function startLatency() {
  const dir = mkdtempSync(path.join(work, 'start-'));
  const names = Array.from({length: 10}, (_, i) => `p${i}`);
  const procfile = path.join(dir, 'Procfile');
  writeFileSync(procfile, names.map((n) => `${n}: touch ${dir}/${n}.ready; exec sleep 30`).join('\n') + '\n');
  const timeUntilReady = async (cmd, args) => {
    for (const n of names) rmSync(path.join(dir, `${n}.ready`), {force: true});
    const started = performance.now();
    const child = spawn(cmd, args, {stdio: 'ignore', cwd: dir, detached: true});
    while (!names.every((n) => existsSync(path.join(dir, `${n}.ready`)))) await new Promise((r) => setTimeout(r, 2));
    const ms = performance.now() - started;
    process.kill(-child.pid, 'SIGINT');
    await new Promise((resolve) => child.on('exit', resolve));
    spawnSync('pkill', ['-f', `${dir}/p`]);
    return ms;
  };
  const deck = [];
  const sh = [];
  const floor = [];
  for (let r = 0; r < reps; r++) {
    sh.push(await timeUntilReady('sh', ['-c', names.map((n) => `(touch ${dir}/${n}.ready; exec sleep 30) &`).join(' ') + ' wait']));
    floor.push(await timeUntilReady('node', [spawner, procfile]));
    deck.push(await timeUntilReady('node', [cli, 'start', '--no-tui', '-f', procfile]));
  }
  return {procdeckMs: median(deck), plainShMs: median(sh), nodeFloorMs: median(floor)};
}

try {
  console.log(`procdeck bench: ${lines} lines, ${reps} reps, median; node ${process.version}`);
  const tp = await throughput();
  console.log(`throughput: procdeck ${tp.procdeckSeconds.toFixed(2)} s, cat ${tp.catSeconds.toFixed(2)} s → ratio ${tp.ratio.toFixed(3)} × cat (target ≥ 0.8; Node floor, bytes relayed untouched: ${tp.nodeFloorRatio.toFixed(3)} × cat)`);
  console.log(`peak RSS: ${tp.peakRssMb.toFixed(1)} MB (target ≤ 100)`);
  console.log(`lines: ${tp.linesIntact} intact in order, ${tp.linesBroken} broken or out of order, ${tp.otherLines} system lines`);
  const st = await startLatency();
  console.log(`start: 10 processes up in ${st.procdeckMs.toFixed(0)} ms (plain sh: ${st.plainShMs.toFixed(0)} ms; Node floor, bare spawns: ${st.nodeFloorMs.toFixed(0)} ms; target ≤ 150)`);
  const peers = path.join(root, '../shared/bench/peers.mjs');
  if (existsSync(peers) && !process.env.BENCH_NO_PEERS) {
    console.log('\npeers harness (../shared/bench/peers.mjs --only procdeck):');
    spawnSync('node', [peers, '--only', process.env.BENCH_PEERS ?? 'procdeck'], {stdio: 'inherit', cwd: root});
  }
} finally {
  rmSync(work, {recursive: true, force: true});
}
