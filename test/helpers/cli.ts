/** Test helper: runs the built CLI (`dist/cli.js`) in a temp project directory. */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa, type ResultPromise} from 'execa';
import {fixtures} from './stack.js';

export const cliPath = path.resolve(import.meta.dirname, '../../dist/cli.js');

export interface Project {
  dir: string;
  write(name: string, content: string): void;
  run(args: string[], options?: {env?: Record<string, string | undefined>; timeoutMs?: number}): ResultPromise<{reject: false; all: true}>;
  dispose(): void;
}

export function makeProject(files: Record<string, string> = {}): Project {
  const dir = mkdtempSync(path.join(tmpdir(), 'procdeck-cli-'));
  const write = (name: string, content: string) => writeFileSync(path.join(dir, name), content);
  for (const [name, content] of Object.entries(files)) write(name, content);
  return {
    dir,
    write,
    run: (args, options = {}) =>
      execa('node', [cliPath, ...args], {
        cwd: dir,
        env: {FIXTURES: fixtures, NO_COLOR: '', ...options.env},
        reject: false,
        all: true,
        timeout: options.timeoutMs ?? 20_000,
        // Own group, so a hung run can be killed with everything it started.
        detached: true,
      }) as ResultPromise<{reject: false; all: true}>,
    dispose: () => rmSync(dir, {recursive: true, force: true}),
  };
}
