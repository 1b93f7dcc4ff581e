/** Formation `-m all=1,web=2,worker=0`: instances per process type (SPEC §4). */
import {UsageError} from './errors.js';

/** A parsed `-m` value: a default for every type (`all=N`) and per-type counts. */
export interface Formation {
  all?: number;
  counts: Record<string, number>;
}

const example = 'all=1,web=2,worker=0';

/**
 * Parses `-m`. Type names are checked against `knownNames` so a typo is
 * reported instead of silently starting nothing.
 */
export function parseFormation(spec: string, knownNames: readonly string[]): Formation {
  const formation: Formation = {counts: {}};
  const pairs = spec.split(',').map((pair) => pair.trim());
  for (const pair of pairs) {
    if (pair === '' && pairs.length > 1) continue; // a trailing comma is harmless
    const match = /^([A-Za-z0-9_-]+)\s*=\s*(\d+)$/.exec(pair);
    if (!match) {
      throw new UsageError(`--formation: expected NAME=COUNT pairs like ${example}, got ${JSON.stringify(pair)}`);
    }
    const [, name = '', count = '0'] = match;
    if (name === 'all') {
      formation.all = Number(count);
    } else if (knownNames.includes(name)) {
      formation.counts[name] = Number(count);
    } else {
      throw new UsageError(`--formation: unknown process type "${name}" (known: ${['all', ...knownNames].join(', ')})`);
    }
  }
  return formation;
}

/**
 * Instances of one type: its own `-m` entry, else `-m all=N`, else the
 * config's `instances:`, else 1. Command-line choices beat the file.
 */
export function instancesFor(name: string, formation: Formation | undefined, configured: number | undefined): number {
  return formation?.counts[name] ?? formation?.all ?? configured ?? 1;
}
