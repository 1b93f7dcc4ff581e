/** The policies as the built CLI shows them headless (run `npm run build` first). */
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {makeProject, type Project} from '../../helpers/cli.js';
import {policyFixtures} from '../../helpers/stack.js';
import {waitFor} from '../../helpers/wait-for.js';

let project: Project | undefined;
afterEach(() => {
  project?.dispose();
  project = undefined;
});

const env = {POLICY_FIXTURES: policyFixtures};

/** Starts `procdeck --no-tui` in the project; `output()` is what it has printed so far. */
function runHeadless(project: Project) {
  const run = project.run(['--no-tui'], {env});
  let printed = '';
  run.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  return {run, output: () => printed};
}

describe('policies in procdeck start --no-tui', () => {
  it('prints a system line with the reason for each restart, then ends with the code once the process failed', async () => {
    project = makeProject({
      Procfile: 'crash: sh -c "echo boom; exit 4"\n',
      'procdeck.yaml': 'processes:\n  crash:\n    restart: on-failure\n    max_restarts: 2\n    backoff: {initial: 100ms, max: 1s}\n',
    });
    const result = await project.run(['--no-tui'], {env});
    expect(result.exitCode).toBe(4);
    const system = result.stdout.split('\n').filter((line) => / system +\| /.test(line)).map((line) => line.replace(/^.* system +\| /, ''));
    expect(system.filter((text) => text.startsWith('crash.1 restarting'))).toEqual([
      'crash.1 restarting in 0.1s (restart: on-failure, attempt 1 of 2)',
      'crash.1 restarting in 0.2s (restart: on-failure, attempt 2 of 2)',
    ]);
    expect(system).toContain('crash.1 failed: gave up after 2 restarts (max_restarts)');
    expect(result.stdout.match(/crash\.1 +\| boom/g)).toHaveLength(3);
  });

  it('keeps running while a cron process is scheduled, runs it on time, and stops on SIGINT with 0', async () => {
    project = makeProject({
      Procfile: 'quick: echo done-quickly\n',
      'procdeck.yaml': 'processes:\n  tick:\n    command: echo cron-ran\n    cron: "* * * * * *"\n',
    });
    const {run, output} = runHeadless(project);
    await waitFor(() => /tick\.1 scheduled \(cron "\* \* \* \* \* \*"\): next run at \d\d:\d\d:\d\d/.test(output()), {describe: output});
    await waitFor(() => /quick\.1 exited with code 0/.test(output()), {describe: output});
    // quick has ended; the run goes on for tick, which runs every second.
    await waitFor(() => (output().match(/tick\.1 +\| cron-ran/g) ?? []).length >= 2, {timeoutMs: 5000, describe: output});
    expect(run.exitCode).toBeNull();
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(0);
  });

  it('a cron job\'s failed run fails the run: after SIGINT it exits with that code', async () => {
    project = makeProject({
      Procfile: 'server: sleep 60\n',
      'procdeck.yaml': 'processes:\n  job:\n    command: sh -c "echo job-ran; exit 7"\n    cron: "* * * * * *"\n',
    });
    const {run, output} = runHeadless(project);
    await waitFor(() => /job\.1 exited with code 7/.test(output()), {timeoutMs: 5000, describe: output});
    run.kill('SIGINT');
    expect((await run).exitCode).toBe(7);
  });

  it('a crash whose restart is still pending counts: after SIGINT it exits with that code', async () => {
    project = makeProject({
      Procfile: 'server: sleep 60\nflaky: echo flaky-crashes; exit 5\n',
      'procdeck.yaml': 'processes:\n  flaky:\n    restart: on-failure\n    backoff: {initial: 10s, max: 10s}\n',
    });
    const {run, output} = runHeadless(project);
    await waitFor(() => /flaky\.1 restarting in 10s/.test(output()), {describe: output});
    run.kill('SIGINT');
    expect((await run).exitCode).toBe(5);
  });

  it('during a shutdown, a process that ends by itself is not said to restart, and its code counts', async () => {
    // web ignores SIGTERM, so the shutdown waits on it for its stop timeout; db, stopped after
    // web (its dependent), ends by itself meanwhile, once the test makes the file it waits for.
    project = makeProject({
      Procfile: 'web: trap "" TERM; echo web-up; sleep 60 & wait\ndb: echo db-up; while [ ! -f end-db ]; do sleep 0.05; done; exit 3\n',
      'procdeck.yaml': 'processes:\n  web:\n    depends_on: {db: started}\n    stop_timeout: 3s\n  db:\n    restart: always\n    backoff: {initial: 100ms, max: 100ms}\n',
    });
    const {run, output} = runHeadless(project);
    await waitFor(() => /web\.1 +\| web-up/.test(output()), {describe: output});
    run.kill('SIGINT');
    await waitFor(() => /stopping every process/.test(output()), {describe: output});
    writeFileSync(path.join(project.dir, 'end-db'), '');
    const result = await run;
    expect(result.stdout).toMatch(/db\.1 exited with code 3/);
    expect(result.stdout).not.toMatch(/db\.1 restarting/);
    expect(result.exitCode).toBe(3);
  });

  it('exits promptly on SIGINT with a readiness check, a cron schedule and a restart backoff pending (no timer holds it)', async () => {
    project = makeProject({
      Procfile: 'slow: sleep 60\ncrash: sh -c "exit 1"\n',
      'procdeck.yaml': [
        'processes:',
        '  slow:',
        '    ready: {exec: "sleep 31.5", interval: 10s, timeout: 60s}',
        '  crash:',
        '    restart: always',
        '    backoff: {initial: 30s, max: 30s}',
        '  yearly:',
        '    command: echo never',
        '    cron: "0 0 1 1 *"',
        '',
      ].join('\n'),
    });
    const {run, output} = runHeadless(project);
    await waitFor(() => /crash\.1 restarting in 30s/.test(output()) && /yearly\.1 scheduled/.test(output()), {describe: output});
    const interruptedAt = Date.now();
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(1); // crash's run failed, restart or not
    expect(Date.now() - interruptedAt).toBeLessThan(3000);
    expect(result.stdout).not.toMatch(/crash\.1 started .*\n(.|\n)*crash\.1 started/);
    // The probe command was ended with its instance.
    expect(spawnSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).stdout).not.toContain('sleep 31.5');
  });

  it('ends the run when a dependency failed and nothing else can happen, saying why the dependent never started', async () => {
    project = makeProject({
      Procfile: 'migrate: sh -c "exit 3"\nweb: echo web-ran\n',
      'procdeck.yaml': 'processes:\n  migrate:\n    oneshot: true\n  web:\n    depends_on: {migrate: completed}\n',
    });
    const result = await project.run(['--no-tui'], {env, timeoutMs: 10_000});
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/system +\| web\.1 cannot start: it waits for migrate \(completed\), but migrate\.1 exited with code 3/);
    expect(result.stdout).not.toContain('web-ran');
  });

  it('starts a dependent after its oneshot dependency completes, and exits 0 when both are done', async () => {
    project = makeProject({
      Procfile: 'migrate: sh -c "sleep 0.2; echo migrated"\nweb: echo web-ran\n',
      'procdeck.yaml': 'processes:\n  migrate:\n    oneshot: true\n  web:\n    depends_on: {migrate: completed}\n',
    });
    const result = await project.run(['--no-tui'], {env, timeoutMs: 10_000});
    expect(result.exitCode).toBe(0);
    const migrated = result.stdout.indexOf('migrated');
    const webStarted = result.stdout.indexOf('web.1 started');
    expect(migrated).toBeGreaterThan(-1);
    expect(webStarted).toBeGreaterThan(migrated);
    expect(result.stdout).toContain('web-ran');
  });
});
