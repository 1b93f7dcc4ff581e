import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {makeProject, type Project} from '../../helpers/cli.js';

let project: Project | undefined;
afterEach(() => {
  project?.dispose();
  project = undefined;
});

/** What numbered.mjs prints for `count` lines. */
function numberedOutput(count: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) lines.push(`line ${String(i).padStart(7, '0')} ${'x'.repeat(60)}\n`);
  return lines.join('');
}

describe('log files (--log-dir)', () => {
  it('refuse a --log-dir that cannot be a directory with one line, before anything starts', async () => {
    project = makeProject({Procfile: 'web: echo started > started.txt\n', afile: ''});
    for (const dir of ['afile', 'afile/sub']) {
      const result = await project.run(['start', '--no-tui', '--log-dir', dir], {env: {XDG_RUNTIME_DIR: path.join(project.dir, 'run')}});
      expect(result.exitCode).toBe(2);
      expect(result.all).toBe(`procdeck: --log-dir: ${path.join(project.dir, 'afile')} is a file, not a directory, so ${path.join(project.dir, dir)} cannot be made (pass another --log-dir, or move that file away)`);
    }
    expect(existsSync(path.join(project.dir, 'started.txt'))).toBe(false);
  });

  it('refuse a --log-dir that exists but takes no files, and an empty one, before anything starts', async () => {
    project = makeProject({Procfile: 'web: echo started > started.txt\n'});
    const env = {XDG_RUNTIME_DIR: path.join(project.dir, 'run')};
    const readOnly = await project.run(['start', '--no-tui', '--log-dir', '/proc/self'], {env});
    expect(readOnly.exitCode).toBe(2);
    expect(readOnly.all).toMatch(/^procdeck: --log-dir: cannot write files in \/proc\/self: .+ \(pass a --log-dir .+\)$/);
    const empty = await project.run(['start', '--no-tui', '--log-dir', ''], {env});
    expect(empty.exitCode).toBe(2);
    expect(empty.all).toBe('procdeck: --log-dir: the path is empty (pass a directory)');
    expect(existsSync(path.join(project.dir, 'started.txt'))).toBe(false);
  });

  it('hold exactly what the process printed, all 100,000 lines, flushed before exit', async () => {
    project = makeProject({Procfile: 'numbers: node $FIXTURES/numbered.mjs 100000\nshort: echo last words; echo to stderr >&2\n'});
    const result = await project.run(['start', '--no-tui', '--log-dir', 'logs'], {env: {XDG_RUNTIME_DIR: path.join(project.dir, 'run')}});
    expect(result.exitCode, result.stderr).toBe(0);
    const logs = path.join(project.dir, 'logs');
    expect(readFileSync(path.join(logs, 'numbers.1.log'), 'utf8')).toBe(numberedOutput(100_000));
    expect(readFileSync(path.join(logs, 'short.1.log'), 'utf8').split('\n').sort()).toEqual(['', 'last words', 'to stderr']);
    expect(readFileSync(path.join(logs, 'system.log'), 'utf8')).toMatch(/^numbers\.1 started \(pid \d+\)$/m);
  });

  it('rotate at --log-max-size, keeping the current file and 3 old ones, with no line lost between them', async () => {
    project = makeProject({Procfile: 'numbers: node $FIXTURES/numbered.mjs 100000\n'});
    const maxBytes = 500_000;
    const result = await project.run(['start', '--no-tui', '--log-dir', 'logs', '--log-max-size', '500kB'], {env: {XDG_RUNTIME_DIR: path.join(project.dir, 'run')}});
    expect(result.exitCode, result.stderr).toBe(0);
    const logs = path.join(project.dir, 'logs');
    const files = readdirSync(logs).filter((name) => name.startsWith('numbers.')).sort();
    expect(files).toEqual(['numbers.1.log', 'numbers.1.log.1', 'numbers.1.log.2', 'numbers.1.log.3']);
    const lineBytes = 74;
    for (const name of files) expect(statSync(path.join(logs, name)).size).toBeLessThanOrEqual(maxBytes);
    for (const name of files.slice(1)) expect(statSync(path.join(logs, name)).size).toBeGreaterThan(maxBytes - lineBytes);
    const kept = ['numbers.1.log.3', 'numbers.1.log.2', 'numbers.1.log.1', 'numbers.1.log'].map((name) => readFileSync(path.join(logs, name), 'utf8')).join('');
    const everything = numberedOutput(100_000);
    expect(kept.length % lineBytes).toBe(0);
    expect(everything.endsWith(kept)).toBe(true);
  });

  it('refuses a --log-max-size that is not a size, with exit 2', async () => {
    project = makeProject({Procfile: 'a: true\n'});
    const result = await project.run(['start', '--no-tui', '--log-dir', 'logs', '--log-max-size', 'lots']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--log-max-size: expected a size/);
  });
});
