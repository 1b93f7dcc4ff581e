/** Temp project directories for file-based config tests; removed after each test. */
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterEach} from 'vitest';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, {recursive: true, force: true});
});

/** Creates a temp directory holding `files` (paths relative to it) and returns its path. */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-config-'));
  created.push(dir);
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), {recursive: true});
    writeFileSync(full, content);
  }
  return dir;
}

/** The messages of a thrown ConfigErrors/ConfigError/UsageError, one per line. */
export function messagesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    return (error as Error).message.split('\n');
  }
  throw new Error('expected an error, but none was thrown');
}

/** The lines of the message `pending` rejects with; fails when it resolves. */
export async function rejectionMessagesOf(pending: Promise<unknown>): Promise<string[]> {
  return pending.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => (error as Error).message.split('\n'),
  );
}
