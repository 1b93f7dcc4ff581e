import {describe, expect, it} from 'vitest';
import {instancesFor, parseFormation} from '../../../src/config/formation.js';
import {UsageError} from '../../../src/config/errors.js';

const names = ['web', 'worker', 'clock'];

describe('parseFormation', () => {
  it('reads all=N as the default and NAME=N per type', () => {
    expect(parseFormation('all=1,web=2,worker=0', names)).toEqual({all: 1, counts: {web: 2, worker: 0}});
  });

  it('tolerates spaces and a trailing comma', () => {
    expect(parseFormation(' web = 3 , ', names)).toEqual({counts: {web: 3}});
  });

  it('rejects an unknown type, listing the valid names', () => {
    expect(() => parseFormation('web=1,wrker=2', names)).toThrow(UsageError);
    expect(() => parseFormation('web=1,wrker=2', names)).toThrow('--formation: unknown process type "wrker" (known: all, web, worker, clock)');
  });

  it.each(['web', 'web=', 'web=-1', 'web=two', '=2', 'web=1=2', ''])('rejects the malformed entry %j, showing the format', (spec) => {
    expect(() => parseFormation(spec, names)).toThrow(/^--formation: expected NAME=COUNT pairs like all=1,web=2,worker=0, got "/);
  });
});

describe('instancesFor', () => {
  const formation = parseFormation('all=3,web=2', names);
  it('prefers the type\'s own entry, then all=N', () => {
    expect(instancesFor('web', formation, 5)).toBe(2);
    expect(instancesFor('worker', formation, 5)).toBe(3);
  });
  it('falls back to the config\'s instances, then 1', () => {
    expect(instancesFor('web', undefined, 4)).toBe(4);
    expect(instancesFor('web', parseFormation('worker=0', names), 4)).toBe(4);
    expect(instancesFor('web', undefined, undefined)).toBe(1);
  });
});
