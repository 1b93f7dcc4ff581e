import {describe, expect, it} from 'vitest';
import {formatSparkline} from '../../../../src/ui/format/sparkline.js';

describe('formatSparkline', () => {
  it.each([
    {values: [], width: 4, max: undefined, expected: '    '},
    {values: [0, 0, 0], width: 3, max: undefined, expected: '▁▁▁'},
    {values: [1, 2, 4, 8], width: 4, max: undefined, expected: '▂▃▅█'},
    {values: [5, 10], width: 4, max: undefined, expected: '  ▅█'},
    {values: [1, 2, 3, 4, 5, 6], width: 3, max: undefined, expected: '▆▇█'},
    {values: [50], width: 1, max: 100, expected: '▅'},
    {values: [200], width: 1, max: 100, expected: '█'},
    {values: [1], width: 0, max: undefined, expected: ''},
  ])('$values in $width columns reads "$expected"', ({values, width, max, expected}) => {
    expect(formatSparkline(values, width, max)).toBe(expected);
  });
});
