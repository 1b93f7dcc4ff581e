/**
 * `max_memory`: the whole process tree's RSS above the limit on two
 * consecutive stats samples restarts the instance. Two samples, not one, so
 * a brief spike (a build step, a GC pause before collection) is forgiven.
 */
import {formatSize} from '../../config/durations.js';

/** Samples in a row over the limit before a restart. */
export const samplesOverLimit = 2;

/** Counts consecutive samples over a memory limit. */
export class MemoryLimit {
  private overCount = 0;

  constructor(readonly limitBytes: number) {}

  /** Records one sample; true when it makes `samplesOverLimit` in a row over the limit. */
  observe(rssBytes: number): boolean {
    this.overCount = rssBytes > this.limitBytes ? this.overCount + 1 : 0;
    return this.overCount >= samplesOverLimit;
  }

  /** A new run starts with a clean count. */
  reset(): void {
    this.overCount = 0;
  }
}

/** `web.1 uses 612.4MB, over max_memory 512MB on 2 samples in a row: stopping it`. */
export function describeMemoryStop(id: string, rssBytes: number, limitBytes: number): string {
  const limit = formatSize(limitBytes);
  return `${id} uses ${formatInUnitOf(rssBytes, limit)}, over max_memory ${limit} on ${samplesOverLimit} samples in a row: stopping it`;
}

const bytesPerUnit: Record<string, number> = {
  TiB: 1024 ** 4, TB: 1000 ** 4, GiB: 1024 ** 3, GB: 1000 ** 3, MiB: 1024 ** 2, MB: 1000 ** 2, KiB: 1024, kB: 1000,
};

/** The RSS in the unit the limit was written in, so the two figures compare at a glance. */
function formatInUnitOf(bytes: number, limit: string): string {
  const unit = /[A-Za-z]+$/.exec(limit)?.[0] ?? 'B';
  const size = bytesPerUnit[unit];
  return size === undefined ? `${bytes}B` : `${Number((bytes / size).toFixed(1))}${unit}`;
}
