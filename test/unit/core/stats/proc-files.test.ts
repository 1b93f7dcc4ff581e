import {describe, expect, it} from 'vitest';
import {clockTicksPerSecond, pageSizeBytes, readProcText, readUptimeTicks} from '../../../../src/core/stats/proc-files.js';

describe('proc files', () => {
  it('reads a /proc file whole, and null for one that does not exist', () => {
    expect(readProcText(`/proc/${process.pid}/stat`)).toMatch(new RegExp(`^${process.pid} \\(`));
    expect(readProcText('/proc/0/stat')).toBeNull();
  });

  it('reads multi-page files to the end, past its 16 KiB buffer', () => {
    // seq_file hands these out about a page per read(): stopping at the first
    // short read once lost everything after the first 4 KiB.
    const maps = readProcText('/proc/self/maps') ?? '';
    expect(maps.length).toBeGreaterThan(4096);
    expect(maps).toContain('[stack]');
    const smaps = readProcText('/proc/self/smaps') ?? '';
    expect(smaps.length).toBeGreaterThan(16 * 1024);
    expect(smaps.trimEnd().split('\n').at(-1)).toMatch(/^VmFlags:/);
  });

  it('gets page size and clock ticks from the auxiliary vector, without getconf', () => {
    expect([4096, 16384, 65536]).toContain(pageSizeBytes);
    expect(clockTicksPerSecond).toBe(100);
    expect(readUptimeTicks()).toBeGreaterThan(0);
  });
});
