import {readFileSync} from 'node:fs';

/** Polls until `check` returns a value (not undefined/false), or fails with what was last seen. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: {timeoutMs?: number; intervalMs?: number; describe?: () => string} = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${options.timeoutMs ?? 10_000}ms; last seen: ${options.describe?.() ?? String(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

/** The pid a test's process wrote to `file` (`echo $$ > file`), once it is there. */
export function waitForPidFile(file: string, describe?: () => string): Promise<number> {
  return waitFor(() => {
    try {
      return Number(readFileSync(file, 'utf8')) || undefined;
    } catch {
      return undefined; // not written yet
    }
  }, describe ? {describe} : {});
}

/** True while the process exists (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
