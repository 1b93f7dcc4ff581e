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
    expect(formatSparkline(values, width, max === undefined ? {} : {max})).toBe(expected);
  });

  it('spans the whole minute in fewer cells, each the highest sample it covers', () => {
    // 60 samples in 20 cells: 3 per cell. A 12-sample burst long ago still shows, newest on the right.
    const minute = Array.from({length: 60}, (_, i) => (i >= 10 && i < 22 ? 100 : 0));
    expect(formatSparkline(minute, 20, {span: 60})).toBe('▁▁▁█████▁▁▁▁▁▁▁▁▁▁▁▁');
    // One sample of a spike is not lost to the cell's others.
    const spike = Array.from({length: 60}, (_, i) => (i === 59 ? 50 : 1));
    expect(formatSparkline(spike, 3, {span: 60})).toBe('▁▁█');
  });

  it('leaves the part of the minute before the first sample blank', () => {
    expect(formatSparkline([4, 8], 4, {span: 60})).toBe('   █');
    expect(formatSparkline(Array.from({length: 30}, () => 1), 4, {span: 60})).toBe('  ██');
  });
});
