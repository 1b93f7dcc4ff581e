import {describe, expect, it} from 'vitest';
import {formatPercent} from '../../../../src/ui/format/percent.js';

describe('formatPercent', () => {
  it.each([
    [0, '0.0%'],
    [12.345, '12.3%'],
    [99.94, '99.9%'],
    [99.96, '100%'],
    [250.4, '250%'],
    [-1, '-'],
  ])('%d reads %s', (value, expected) => {
    expect(formatPercent(value)).toBe(expected);
  });
});
