import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {UsageError} from '../../../src/config/errors.js';
import {writeExportFiles} from '../../../src/export/write-files.js';

const work = mkdtempSync(join(tmpdir(), 'procdeck-write-'));
afterAll(() => {
  rmSync(work, {recursive: true, force: true});
});

let count = 0;
function freshDir(): string {
  count += 1;
  return join(work, `case-${count}`);
}

const files = [{path: 'shop.target', content: 'target\n'}, {path: 'shop-web-1.service', content: 'web\n'}];

describe('writeExportFiles', () => {
  it('creates missing directories, writes every file, and names the ones it replaced', () => {
    const dir = join(freshDir(), 'deploy', 'systemd');
    expect(writeExportFiles(dir, files.slice(1))).toEqual([]);
    writeFileSync(join(dir, 'shop.target'), 'old');
    expect(writeExportFiles(dir, files)).toEqual(['shop.target', 'shop-web-1.service']);
    expect(readFileSync(join(dir, 'shop.target'), 'utf8')).toBe('target\n');
    expect(readdirSync(dir).sort()).toEqual(['shop-web-1.service', 'shop.target']); // no temporary file left
  });

  // Regression: export wrote through a symlink planted at an output name and overwrote its target.
  it('refuses a symlink at a destination, naming it, and writes nothing at all', () => {
    const dir = freshDir();
    mkdirSync(dir);
    const victim = join(work, `victim-${count}.txt`);
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'shop-web-1.service'));
    expect(() => writeExportFiles(dir, files)).toThrow(new UsageError(`export: ${join(dir, 'shop-web-1.service')} is a symbolic link, and export never writes through one (remove the link, or pass another DIR)`));
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(existsSync(join(dir, 'shop.target'))).toBe(false);
  });

  it('refuses a dangling symlink too (writing would create its target)', () => {
    const dir = freshDir();
    mkdirSync(dir);
    symlinkSync(join(work, 'not-there-yet'), join(dir, 'shop.target'));
    expect(() => writeExportFiles(dir, files)).toThrow(/shop\.target is a symbolic link/);
    expect(existsSync(join(work, 'not-there-yet'))).toBe(false);
  });

  // Regression: these crashed with `internal error` and a stack trace (ENOTDIR, EISDIR) instead of one line and exit 2.
  it('says which path is a file when DIR goes through one', () => {
    const file = join(freshDir());
    writeFileSync(file, 'x');
    expect(() => writeExportFiles(join(file, 'sub'), files)).toThrow(new UsageError(`export: ${file} is a file, not a directory, so ${join(file, 'sub')} cannot be made (pass another DIR, or move that file away)`));
  });

  it('says which output name is a directory', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'shop.target'), {recursive: true});
    expect(() => writeExportFiles(dir, files)).toThrow(new UsageError(`export: ${join(dir, 'shop.target')} is a directory, where export writes a file (move it away, or pass another DIR)`));
  });

  // Regression: Node 20's recursive mkdirSync spun forever at 100% CPU on `/proc/x`.
  it.skipIf(!existsSync('/proc/self'))('fails at once, with the path, where a directory cannot be made (/proc)', () => {
    const started = Date.now();
    expect(() => writeExportFiles('/proc/procdeck-export-test/x', files)).toThrow(/^export: cannot create the directory \/proc\/procdeck-export-test: /);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
