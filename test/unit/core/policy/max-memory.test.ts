import {describe, expect, it} from 'vitest';
import {MemoryLimit, describeMemoryStop} from '../../../../src/core/policy/max-memory.js';

describe('MemoryLimit', () => {
  it('trips on the second consecutive sample over the limit, not on a single spike', () => {
    const limit = new MemoryLimit(100);
    expect([150, 50, 150, 150].map((rss) => limit.observe(rss))).toEqual([false, false, false, true]);
  });

  it('starts counting again after a reset (a new run)', () => {
    const limit = new MemoryLimit(100);
    limit.observe(150);
    limit.reset();
    expect(limit.observe(150)).toBe(false);
  });

  it('a sample exactly at the limit is not over it', () => {
    const limit = new MemoryLimit(100);
    expect([100, 100].map((rss) => limit.observe(rss))).toEqual([false, false]);
  });
});

describe('describeMemoryStop', () => {
  it('gives the figure in the unit the limit was written in', () => {
    expect(describeMemoryStop('web.1', 612_400_000, 512_000_000)).toBe('web.1 uses 612.4MB, over max_memory 512MB on 2 samples in a row: stopping it');
    expect(describeMemoryStop('web.1', 1.5 * 1024 ** 3, 1024 ** 3)).toBe('web.1 uses 1.5GiB, over max_memory 1GiB on 2 samples in a row: stopping it');
    expect(describeMemoryStop('web.1', 1234, 1000 + 1)).toBe('web.1 uses 1234B, over max_memory 1001B on 2 samples in a row: stopping it');
  });
});
