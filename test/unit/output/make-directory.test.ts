import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {UsageError} from '../../../src/config/errors.js';
import {makeDirectory, toUsageError} from '../../../src/output/make-directory.js';

const work = mkdtempSync(join(tmpdir(), 'procdeck-mkdir-'));
afterAll(() => {
  rmSync(work, {recursive: true, force: true});
});
const logDir = {label: '--log-dir', argument: '--log-dir'};

describe('makeDirectory', () => {
  it('makes every missing level, and accepts one that exists', () => {
    const dir = join(work, 'a', 'b', 'c');
    makeDirectory(dir, logDir);
    expect(statSync(dir).isDirectory()).toBe(true);
    makeDirectory(dir, logDir);
  });

  it('names the file in the way, there or higher up, and says what to pass instead', () => {
    const file = join(work, 'afile');
    writeFileSync(file, '');
    expect(() => makeDirectory(file, logDir)).toThrow(new UsageError(`--log-dir: ${file} is a file, not a directory, so ${file} cannot be made (pass another --log-dir, or move that file away)`));
    expect(() => makeDirectory(join(file, 'sub'), logDir)).toThrow(/^--log-dir: .*afile is a file, not a directory, so .*afile\/sub cannot be made/);
  });
});

describe('toUsageError', () => {
  const systemError = (code: string, message: string): Error => Object.assign(new Error(message), {code, syscall: 'open'});
  const exportDir = {label: 'export', argument: 'DIR'};

  it.each([
    ['EACCES', "EACCES: permission denied, open '/etc/x'", 'export: cannot write /etc/x: permission denied (pass a DIR you may write to, or change its permissions)'],
    ['EROFS', "EROFS: read-only file system, open '/etc/x'", 'export: cannot write /etc/x: read-only file system (pass a DIR on a writable file system)'],
    ['EIO', "EIO: i/o error, open '/etc/x'", 'export: cannot write /etc/x: i/o error (pass a DIR on an ordinary file system)'],
  ])('turns %s into one line naming the path and a fix', (code, message, expected) => {
    expect(toUsageError(systemError(code, message), 'write', '/etc/x', exportDir)).toEqual(new UsageError(expected));
  });

  it('leaves anything but a system error alone, so a bug keeps its stack', () => {
    const bug = new TypeError('x is undefined');
    expect(toUsageError(bug, 'write', '/etc/x', exportDir)).toBe(bug);
  });
});
