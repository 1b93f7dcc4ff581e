import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {parseUnitFile, serviceEnvironment} from '../../fixtures/export/read-systemd.js';

const cli = resolve('dist/cli.js');
let project = '';

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
  project = join(mkdtempSync(join(tmpdir(), 'procdeck-export-')), 'shop');
  mkdirSync(project);
  writeFileSync(join(project, 'Procfile'), 'web: node server.js --port $PORT\nworker: node worker.js\n');
  writeFileSync(join(project, '.env'), 'DATABASE_URL=postgres://db/shop\n');
  writeFileSync(join(project, 'procdeck.yaml'), [
    'processes:',
    '  web:',
    '    env: {LOG_LEVEL: debug}',
    '    restart: on-failure',
    '    stop_timeout: 10s',
    '  migrate:',
    '    command: npm run migrate',
    '    oneshot: true',
    '',
  ].join('\n'));
});

afterAll(() => {
  if (project) rmSync(resolve(project, '..'), {recursive: true, force: true});
});

function procdeck(...args: string[]): {status: number | null; stdout: string; stderr: string} {
  // A variable only the exporting user has: it must not reach any generated file.
  const result = spawnSync(process.execPath, [cli, ...args], {cwd: project, encoding: 'utf8', timeout: 20_000, env: {...process.env, PROCDECK_LEAK_CHECK: 'leaked-from-user-env', CI: '1'}});
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(join(project, dir)).map((name) => [name, readFileSync(join(project, dir, name), 'utf8')]));
}

describe('procdeck export', () => {
  it('writes systemd units from the Procfile, .env, procdeck.yaml and formation into a new directory', () => {
    const run = procdeck('export', 'systemd', 'deploy/systemd', '-m', 'web=2', '--user', 'shop');
    // Everything this config asks for, systemd keeps: no warning (procdeck's default backoff is not asked of it).
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const files = readDir('deploy/systemd');
    expect(Object.keys(files).sort()).toEqual(['shop-migrate-1.service', 'shop-web-1.service', 'shop-web-2.service', 'shop-worker-1.service', 'shop.target']);
    expect(serviceEnvironment(parseUnitFile(files['shop-web-2.service'] ?? ''))).toEqual({DATABASE_URL: 'postgres://db/shop', LOG_LEVEL: 'debug', PORT: '5001', PS: 'web.2'});
    expect(Object.values(files).join('\n')).not.toContain('leaked-from-user-env');
    expect(run.stdout).toContain('deploy/systemd/shop.target');
  });

  it('lists the files it overwrote when DIR already exists', () => {
    mkdirSync(join(project, 'deploy/sv'), {recursive: true});
    writeFileSync(join(project, 'deploy/sv/shop.conf'), 'old');
    const run = procdeck('export', 'supervisord', 'deploy/sv', '--app', 'store');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/overwrote/);
    const again = procdeck('export', 'supervisord', 'deploy/sv', '--app', 'store');
    expect(again.stdout).toMatch(/overwrote 1 existing file: deploy\/sv\/store\.conf/);
    expect(again.stdout).toMatch(/left alone \(not from this export, remove any that are stale\): shop\.conf/);
    expect(readDir('deploy/sv')['shop.conf']).toBe('old');
  });

  it('writes compose and kubernetes files that parse, with the image given', () => {
    expect(procdeck('export', 'compose', 'deploy/compose', '--image', 'shop:1').status).toBe(0);
    const compose = parse(readDir('deploy/compose')['docker-compose.yml'] ?? '') as {services: Record<string, {image: string}>};
    expect(Object.keys(compose.services)).toEqual(['web', 'worker', 'migrate']);
    expect(procdeck('export', 'kubernetes', 'deploy/k8s', '--image', 'shop:1').status).toBe(0);
    expect(Object.keys(readDir('deploy/k8s')).sort()).toEqual(['shop-migrate.yaml', 'shop-web.yaml', 'shop-worker.yaml', 'shop.env.yaml']);
  });

  it('refuses an unknown format with exit 2, listing the formats, and writes nothing', () => {
    const run = procdeck('export', 'nomad', 'deploy/nomad');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown format "nomad" (expected one of systemd, supervisord, compose, kubernetes)');
    expect(existsSync(join(project, 'deploy/nomad'))).toBe(false);
  });

  it('refuses compose and kubernetes without --image, with exit 2 and no directory made', () => {
    for (const format of ['compose', 'kubernetes']) {
      const run = procdeck('export', format, `deploy/no-image-${format}`);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/--image is required/);
      expect(existsSync(join(project, `deploy/no-image-${format}`))).toBe(false);
    }
  });

  // Regression: each of these crashed with `internal error` and a stack trace, exit 1 (or, for /proc, never returned).
  it.each([
    ['DIR goes through a file', (): string => (writeFileSync(join(project, 'a-file'), 'x'), 'a-file/sub'), /^procdeck: export: .*a-file is a file, not a directory/],
    ['an output name is a directory', (): string => (mkdirSync(join(project, 'deploy/dir-in-way/shop.target'), {recursive: true}), 'deploy/dir-in-way'), /^procdeck: export: .*shop\.target is a directory, where export writes a file/],
    ['DIR cannot be created (/proc)', (): string => '/proc/procdeck-export/x', /^procdeck: export: cannot create the directory \/proc\/procdeck-export: /],
  ])('exits 2 with one line naming the path when %s', (_what, makeDir, message) => {
    const run = procdeck('export', 'systemd', makeDir());
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.status).toBe(2);
  });

  // Regression: a symlink planted at an output name had its target overwritten.
  it('refuses to write through a symlink, exit 2, and leaves its target alone', () => {
    mkdirSync(join(project, 'deploy/linked'), {recursive: true});
    writeFileSync(join(project, 'victim.txt'), 'precious');
    symlinkSync('../../victim.txt', join(project, 'deploy/linked/shop.target'));
    const run = procdeck('export', 'systemd', 'deploy/linked');
    expect(run.stderr).toMatch(/^procdeck: export: .*deploy\/linked\/shop\.target is a symbolic link, and export never writes through one/);
    expect(run.status).toBe(2);
    expect(readFileSync(join(project, 'victim.txt'), 'utf8')).toBe('precious');
    expect(readdirSync(join(project, 'deploy/linked'))).toEqual(['shop.target']);
  });

  // Regression: only systemd checked --user; supervisord wrote `user=a b` and Compose took '' and newlines.
  it.each([['supervisord', 'a b'], ['supervisord', ''], ['compose', ''], ['compose', 'x\ny'], ['kubernetes', 'a;b']])('refuses %s --user %j with exit 2', (format, user) => {
    const run = procdeck('export', format, `deploy/user-${format}`, '--user', user, '--image', 'shop:1');
    expect(run.stderr).toMatch(/^procdeck: --user: expected a user name or uid/);
    expect(run.status).toBe(2);
  });

  // Regression: the check for ambiguous YAML values printed `YAMLWarning: Unresolved tag: !bang` and `[BAD_DIRECTIVE]`.
  it('prints nothing on stderr for env values that look like YAML tags or directives', () => {
    writeFileSync(join(project, 'yaml-looking.env'), 'BANG=!bang\nHERE=%(here)s\nDIRECTIVE="%YAML 1.2"\n');
    for (const format of ['compose', 'kubernetes']) {
      const run = procdeck('export', format, `deploy/quiet-${format}`, '--image', 'shop:1', '-e', 'yaml-looking.env');
      const stderr = run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('procdeck: warning: '));
      expect({format, stderr, status: run.status}).toEqual({format, stderr: [], status: 0});
    }
  });

  // Regression: `next:` pasted DIR unquoted, so `my out; echo hi` became two commands.
  it('quotes DIR in the next: hint', () => {
    const run = procdeck('export', 'systemd', 'my out; echo hi');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("next: sudo cp 'my out; echo hi'/* /etc/systemd/system/ && sudo systemctl daemon-reload && sudo systemctl enable --now shop.target");
    expect(procdeck('export', 'compose', "it's here", '--image', 'x').stdout).toContain(`next: docker compose -f 'it'\\''s here/docker-compose.yml' up -d`);
  });
});
