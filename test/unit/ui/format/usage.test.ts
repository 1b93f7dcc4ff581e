import {describe, expect, it} from 'vitest';
import {formatUsage} from '../../../../src/ui/format/usage.js';

describe('formatUsage', () => {
  it('shows - for both until memory has been measured, then the numbers', () => {
    expect(formatUsage(0, 0)).toEqual({cpu: '-', mem: '-'});
    expect(formatUsage(12.5, 0)).toEqual({cpu: '-', mem: '-'});
    expect(formatUsage(0, 3 * 1024 * 1024)).toEqual({cpu: '0.0%', mem: '3.0M'});
    expect(formatUsage(150.2, 52 * 1024 * 1024)).toEqual({cpu: '150%', mem: '52M'});
  });
});
