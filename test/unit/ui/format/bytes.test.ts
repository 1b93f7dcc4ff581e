import {describe, expect, it} from 'vitest';
import {formatBytes} from '../../../../src/ui/format/bytes.js';

describe('formatBytes', () => {
  it.each([
    [0, '0B'],
    [900, '900B'],
    [1023, '1023B'],
    [1024, '1.0K'],
    [12 * 1024, '12K'],
    [1023.96 * 1024, '1.0M'],
    [9.5 * 1024 ** 2, '9.5M'],
    [512 * 1024 ** 2, '512M'],
    [1.21 * 1024 ** 3, '1.2G'],
    [5 * 1024 ** 4, '5.0T'],
    [-1, '-'],
    [Number.NaN, '-'],
  ])('%d bytes read %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it('never needs more than 6 columns', () => {
    for (let bytes = 1; bytes < 1024 ** 5; bytes = Math.ceil(bytes * 1.07)) expect(formatBytes(bytes).length).toBeLessThanOrEqual(6);
  });
});
