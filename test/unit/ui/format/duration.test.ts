import {describe, expect, it} from 'vitest';
import {formatCountdown, formatUptime} from '../../../../src/ui/format/duration.js';

describe('formatUptime', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [42_000, '42s'],
    [185_000, '3m05s'],
    [2 * 3600_000 + 4 * 60_000 + 59_000, '2h04m'],
    [3 * 86_400_000 + 2 * 3600_000, '3d02h'],
    [-5, '-'],
  ])('%d ms reads %s', (ms, expected) => {
    expect(formatUptime(ms)).toBe(expected);
  });
});

describe('formatCountdown', () => {
  it.each([
    [4200, '5s'],
    [1, '1s'],
    [0, '0s'],
    [-300, '0s'],
    [65_000, '1m05s'],
    [3 * 3600_000 + 9 * 60_000 + 1, '3h09m'],
  ])('%d ms left reads %s', (ms, expected) => {
    expect(formatCountdown(ms)).toBe(expected);
  });
});
