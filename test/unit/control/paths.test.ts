import {mkdtempSync, rmSync, statSync, symlinkSync, mkdirSync, chmodSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ensurePrivateDir, projectDirFor, projectPaths, runtimeDirFor} from '../../../src/control/paths.js';
import {UsageError} from '../../../src/config/errors.js';

describe('control paths', () => {
  it('uses $XDG_RUNTIME_DIR/procdeck, else /tmp/procdeck-<uid>', () => {
    expect(runtimeDirFor({XDG_RUNTIME_DIR: '/run/user/7'})).toBe('/run/user/7/procdeck');
    expect(runtimeDirFor({})).toBe(path.join(tmpdir(), `procdeck-${process.getuid!()}`));
    expect(runtimeDirFor({XDG_RUNTIME_DIR: 'relative'})).toBe(path.join(tmpdir(), `procdeck-${process.getuid!()}`));
  });

  it('names one socket per project directory and puts logs under $XDG_STATE_HOME', () => {
    const env = {XDG_RUNTIME_DIR: '/run/user/7', XDG_STATE_HOME: '/state'};
    const a = projectPaths('/src/a', env);
    const b = projectPaths('/src/b', env);
    expect(a.socket).toMatch(/^\/run\/user\/7\/procdeck\/[0-9a-f]{16}\.sock$/);
    expect(a.socket).not.toBe(b.socket);
    expect(projectPaths('/src/a', env).socket).toBe(a.socket);
    expect(a.defaultLogDir).toBe(`/state/procdeck/${a.hash}/logs`);
  });

  it('finds the same project from -f and from the directory, through symlinks', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'procdeck-paths-'));
    try {
      mkdirSync(path.join(root, 'app'));
      symlinkSync(path.join(root, 'app'), path.join(root, 'link'));
      const real = projectDirFor(undefined, path.join(root, 'app'));
      expect(projectDirFor('link/Procfile', root)).toBe(real);
      expect(projectDirFor(path.join(root, 'app', 'Procfile'), '/')).toBe(real);
    } finally {
      rmSync(root, {recursive: true, force: true});
    }
  });

  it('makes the runtime directory 0700, tightens a looser one, and refuses a symlink', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'procdeck-paths-'));
    try {
      const dir = path.join(root, 'run');
      ensurePrivateDir(dir);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      chmodSync(dir, 0o755);
      ensurePrivateDir(dir);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      symlinkSync(dir, path.join(root, 'link'));
      expect(() => ensurePrivateDir(path.join(root, 'link'))).toThrow(/not a directory owned by you/);
      // A file in the way, there or higher up, is refused with the same words (not EEXIST or ENOTDIR).
      writeFileSync(path.join(root, 'file'), '');
      expect(() => ensurePrivateDir(path.join(root, 'file'))).toThrow(UsageError);
      expect(() => ensurePrivateDir(path.join(root, 'file', 'procdeck'))).toThrow(/file\/procdeck: not a directory owned by you/);
      // One that cannot be made (a read-only HOME, say) is one line naming the directory and the fix.
      // (As root no permission is refused; a name too long fails as plainly. Not /proc: a recursive mkdir there never returns.)
      const tooLong = path.join(root, 'x'.repeat(300));
      expect(() => ensurePrivateDir(tooLong, {what: "the stack's logs", variable: 'XDG_STATE_HOME'})).toThrow(
        new UsageError(`cannot create ${tooLong} for the stack's logs: name too long (set XDG_STATE_HOME to a directory you may write to)`),
      );
    } finally {
      rmSync(root, {recursive: true, force: true});
    }
  });
});
