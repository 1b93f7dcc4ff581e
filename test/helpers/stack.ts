/** Test helper: a Supervisor over a Procfile written to a temp dir, with cleanup checks. */
import {mkdtempSync, readFileSync, writeFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {loadStack} from '../../src/config/load.js';
import {Supervisor} from '../../src/core/supervisor.js';
import {spawnChild} from '../../src/core/spawn.js';
import type {LogLine} from '../../src/core/api.js';
import type {Clock} from '../../src/core/clock.js';
import {hasLiveMembers} from '../../src/core/process-group.js';
import {waitFor} from './wait-for.js';

export const fixtures = path.resolve(import.meta.dirname, '../fixtures/bin');
/** Fixtures for policy tests (readiness servers, start recorders, memory hogs). */
export const policyFixtures = path.resolve(import.meta.dirname, '../fixtures/policy');

export interface TestStack {
  dir: string;
  api: Supervisor;
  lines: LogLine[];
  waitForLine(id: string, pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
  /** Every process group this stack ever started. */
  groups(): number[];
  dispose(): Promise<void>;
}

export async function startStack(
  procfile: Record<string, string>,
  options: {
    timeout?: string;
    yaml?: string;
    scrollback?: number;
    files?: Record<string, string>;
    /** Base PORT (`-p`); default 5000. */
    port?: number;
    /** Periodic stats (needed by max_memory); default off. */
    statsIntervalMs?: number;
    clock?: Clock;
  } = {},
): Promise<TestStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'procdeck-test-'));
  writeFileSync(path.join(dir, 'Procfile'), Object.entries(procfile).map(([n, c]) => `${n}: ${c}`).join('\n') + '\n');
  if (options.yaml) writeFileSync(path.join(dir, 'procdeck.yaml'), options.yaml);
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(path.join(dir, name), content);
  const stack = await loadStack({
    cwd: dir,
    env: {...process.env, FIXTURES: fixtures},
    ...(options.timeout ? {stopTimeoutMs: Number.parseFloat(options.timeout) * 1000} : {}),
    ...(options.port !== undefined ? {port: options.port} : {}),
  });
  const api = new Supervisor(stack, {
    scrollback: options.scrollback ?? 1000,
    statsIntervalMs: options.statsIntervalMs ?? 0,
    inheritedEnv: {...process.env, FIXTURES: fixtures, POLICY_FIXTURES: policyFixtures},
    spawn: spawnChild,
    ...(options.clock ? {clock: options.clock} : {}),
  });
  const lines: LogLine[] = [];
  const pgids = new Set<number>();
  api.on('log', (line) => lines.push(line));
  api.on('state', (_id, state) => {
    if ('pid' in state && typeof state.pid === 'number') pgids.add(state.pid);
  });
  api.start();
  return {
    dir,
    api,
    lines,
    waitForLine: (id, pattern, timeoutMs = 10_000) =>
      waitFor(() => lines.find((line) => line.id === id && pattern.test(line.text)), {
        timeoutMs,
        describe: () => lines.slice(-8).map((l) => `${l.id}|${l.text}`).join(' / '),
      }),
    groups: () => [...pgids],
    dispose: async () => {
      await api.shutdown({force: true});
      rmSync(dir, {recursive: true, force: true});
      const alive = [...pgids].filter((pgid) => hasLiveMembers(pgid));
      if (alive.length > 0) throw new Error(`process groups left behind: ${alive.join(', ')}`);
    },
  };
}

/** The current state of one instance. */
export const stateOf = (s: TestStack, id: string) => s.api.snapshot().instances.find((i) => i.id === id)?.state;

/** procdeck's own messages so far. */
export const systemTexts = (s: TestStack) => s.lines.filter((l) => l.id === 'system').map((l) => l.text);

/** A base port away from 5000 and from other test files running in parallel. */
export const randomBasePort = () => 20_000 + Math.floor(Math.random() * 300) * 100;

/** Start times a fixture appended to `file` in the stack's directory, one per line (empty until it exists). */
export function startsIn(s: TestStack, file: string): number[] {
  try {
    return readFileSync(path.join(s.dir, file), 'utf8').trim().split('\n').filter(Boolean).map(Number);
  } catch {
    // Not written yet: the fixture has not started.
    return [];
  }
}
