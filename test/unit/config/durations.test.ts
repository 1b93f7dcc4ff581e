import {describe, expect, it} from 'vitest';
import {formatDuration, formatSize, parseDuration, parseSize} from '../../../src/config/durations.js';
import {UsageError} from '../../../src/config/errors.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['0.25m', 15_000],
    [' 10s ', 10_000],
    ['10', 10_000],
    [3, 3000],
    [0.5, 500],
    [0, 0],
  ] as const)('reads %j as %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(['5x', '', 's', '-1s', '1 2s', 'five seconds', '1e3'])('rejects %j with an example of what works', (value) => {
    expect(() => parseDuration(value)).toThrow(`expected a duration like 500ms, 5s or 2m, got ${JSON.stringify(value)}`);
  });

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1)).toThrow('got -1');
    expect(() => parseDuration(Number.NaN)).toThrow(UsageError);
  });

  it('names the flag when given one', () => {
    expect(() => parseDuration('5x', '--timeout')).toThrow('--timeout: expected a duration like 500ms, 5s or 2m, got "5x"');
  });
});

describe('parseSize', () => {
  it.each([
    ['512MB', 512_000_000],
    ['512MiB', 512 * 1024 ** 2],
    ['1GiB', 1024 ** 3],
    ['1GB', 1e9],
    ['20mb', 20_000_000],
    ['100kB', 100_000],
    ['1.5KiB', 1536],
    ['2TB', 2e12],
    ['123B', 123],
    ['4096', 4096],
    [1024, 1024],
  ] as const)('reads %j as %i bytes', (value, bytes) => {
    expect(parseSize(value)).toBe(bytes);
  });

  it.each(['1XB', 'MB', '-5MB', 'lots'])('rejects %j', (value) => {
    expect(() => parseSize(value, '--log-max-size')).toThrow(
      `--log-max-size: expected a size like 512MB, 1GiB or a number of bytes, got ${JSON.stringify(value)}`,
    );
  });
});

describe('formatting back', () => {
  it.each([[500, '500ms'], [1500, '1500ms'], [5000, '5s'], [120_000, '2m'], [3_600_000, '1h'], [90_000, '90s']] as const)(
    'formats %i ms as %s',
    (ms, text) => expect(formatDuration(ms)).toBe(text),
  );
  it.each([[512 * 1024 ** 2, '512MiB'], [512_000_000, '512MB'], [1024 ** 3, '1GiB'], [100, '100B']] as const)(
    'formats %i bytes as %s',
    (bytes, text) => expect(formatSize(bytes)).toBe(text),
  );
});
