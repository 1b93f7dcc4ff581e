import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';
import {afterAll, describe, expect, it} from 'vitest';
import {exportSystemd} from '../../../src/export/systemd.js';
import {makeFullStack, makeProcess, makeStack, nastyValues} from '../../fixtures/export/stacks.js';
import {parseUnitFile} from '../../fixtures/export/read-systemd.js';

const analyze = spawnSync('systemd-analyze', ['--version'], {encoding: 'utf8'});
const skipReason = analyze.error ? `systemd-analyze cannot run here (${analyze.error.message}); .ci/run installs the systemd package` : undefined;
if (skipReason) console.warn(`skipping systemd-analyze tests: ${skipReason}`);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

/** Writes the units to a fresh directory and runs `systemd-analyze verify` on all of them. */
function verify(files: {path: string; content: string}[]): {status: number | null; output: string} {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-systemd-'));
  dirs.push(dir);
  for (const file of files) writeFileSync(join(dir, file.path), file.content);
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...files.map((file) => join(dir, file.path))], {
    encoding: 'utf8',
    cwd: dir,
    env: {...process.env, SYSTEMD_LOG_COLOR: '0'},
  });
  return {status: result.status, output: `${result.stdout}${result.stderr}`.trim()};
}

describe.skipIf(skipReason !== undefined)('systemd units under systemd-analyze', () => {
  it('verify accepts the whole stack without a single warning', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'procdeck-systemd-cwd-'));
    dirs.push(cwd);
    const stack = makeFullStack();
    for (const proc of stack.processes) proc.cwd = cwd;
    // A retried oneshot: Restart=on-failure on Type=oneshot, which systemd takes (Restart=always it refuses).
    Object.assign(stack.processes.find((proc) => proc.name === 'migrate') ?? {}, {restart: 'always', maxRestarts: 5});
    const result = verify(exportSystemd(stack, {app: 'shop', user: 'root'}).files);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('verify accepts units whose env values and command hold quotes, $(...), backticks, % and newlines', () => {
    const command = `printf '%s\\n' "$(echo hi)" \`date\` 100% "it's" \\\\ ; echo $PORT\necho second line`;
    const stack = makeStack([makeProcess('web', 0, {command, env: nastyValues, cwd: tmpdir()})]);
    const result = verify(exportSystemd(stack, {app: 'shop'}).files);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('verify accepts the ready loop around an exec check with a # comment and a trailing &', () => {
    const stack = makeStack([
      makeProcess('db', 0, {cwd: tmpdir(), ready: {check: {kind: 'exec', command: 'pg_isready -q # "quoted" 100% $PGHOST &'}, intervalMs: 500, timeoutMs: 10_000}}),
      makeProcess('web', 1, {cwd: tmpdir(), dependsOn: {db: 'ready'}}),
    ]);
    const result = verify(exportSystemd(stack, {app: 'shop'}).files);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('verify notices a broken unit, so the clean runs above mean something', () => {
    const files = exportSystemd(makeStack([makeProcess('web', 0, {cwd: tmpdir()})]), {app: 'shop'}).files
      .map((file) => ({...file, content: file.content.replace('Restart=no', 'Restart=sometimes')}));
    expect(verify(files).output).toMatch(/sometimes/);
  });

  it('systemd-analyze calendar accepts every OnCalendar= the timers use', () => {
    const stack = makeStack([
      makeProcess('nightly', 0, {cron: '0 3 * * *'}),
      makeProcess('quarterly', 1, {cron: '*/15 9-17 1 jan,apr,jul,oct 1-5'}),
    ]);
    const calendars = exportSystemd(stack, {app: 'shop'}).files
      .filter((file) => file.path.endsWith('.timer'))
      .flatMap((file) => parseUnitFile(file.content).get('Timer')?.get('OnCalendar') ?? []);
    expect(calendars).toHaveLength(3);
    const result = spawnSync('systemd-analyze', ['calendar', ...calendars], {encoding: 'utf8'});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
