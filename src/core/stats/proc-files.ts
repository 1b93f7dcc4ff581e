/**
 * Cheap, synchronous reads of Linux /proc files, shared by the stats code.
 *
 *   const text = readProcText(`/proc/${pid}/stat`); // null when the process is gone
 *   const ticks = clockTicksPerSecond;              // units of /proc/PID/stat times
 *
 * Why not `fs.readFileSync`: on this kind of VM it costs ~55 µs per /proc
 * file (an fstat, a growing read loop and a fresh buffer each time), while
 * open + one read into a reused buffer + close costs ~12 µs. The sampler reads
 * a few hundred of these per second, so the difference is most of its budget.
 */
import {closeSync, openSync, readSync} from 'node:fs';
import {endianness} from 'node:os';

let shared = Buffer.allocUnsafe(16 * 1024);

/** True where /proc has the per-process files we read (Linux, and Android). */
export const hasProcFs: boolean = (() => {
  if (process.platform !== 'linux' && process.platform !== 'android') return false;
  return readProcText('/proc/self/stat') !== null;
})();

/**
 * The bytes of a /proc file, or null when it cannot be read. The result is a
 * view of a shared buffer: use it before the next call. `isOneRecord` is for
 * files the kernel renders in one piece (/proc/PID/stat, /proc/uptime): their
 * first read returns everything, so the read() that would return 0 is skipped.
 */
export function readProcBytes(path: string, isOneRecord = false): Buffer | null {
  // A huge file (/proc/net/tcp on a busy server) grew the buffer last time;
  // give that memory back rather than keep it for the life of the process.
  if (shared.length > 256 * 1024) shared = Buffer.allocUnsafe(16 * 1024);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    // ENOENT/ESRCH: the process ended between listing and reading it;
    // EACCES: it belongs to another user. Both mean "nothing to report".
    return null;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger);
        shared = bigger;
      }
      const got = readSync(fd, shared, length, shared.length - length, null);
      length += got;
      // Only a read of 0 ends a multi-record file: seq_file hands out one
      // page or so per read (/proc/self/maps, /proc/net/tcp), short of the end.
      if (got === 0 || isOneRecord) break;
    }
    return shared.subarray(0, length);
  } catch {
    // ESRCH on read: the process ended after open. Same meaning as above.
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The text of a /proc file, or null when it cannot be read (process gone, or not ours). */
export function readProcText(path: string, isOneRecord = false): string | null {
  const bytes = readProcBytes(path, isOneRecord);
  return bytes === null ? null : bytes.toString('latin1');
}

/** Auxiliary vector entries the kernel gave this process (`getauxval`). */
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

function readAuxValue(type: number): number | null {
  if (!hasProcFs) return null;
  const bytes = readProcBytes('/proc/self/auxv');
  if (bytes === null) return null;
  // auxv is pairs of native unsigned longs; Node no longer runs on 32-bit
  // Linux except arm, so the word size follows the architecture.
  const wordBytes = process.arch === 'arm' || process.arch === 'ia32' ? 4 : 8;
  const littleEndian = endianness() === 'LE';
  for (let offset = 0; offset + 2 * wordBytes <= bytes.length; offset += 2 * wordBytes) {
    const read = (at: number): number =>
      wordBytes === 8
        ? Number(littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at))
        : littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    const key = read(offset);
    if (key === 0) break;
    if (key === type) return read(offset + wordBytes);
  }
  return null;
}

/**
 * Units of the times in /proc/PID/stat (USER_HZ). Read from the auxiliary
 * vector rather than by running `getconf CLK_TCK`, which would spawn a process.
 */
export const clockTicksPerSecond: number = readAuxValue(AT_CLKTCK) ?? 100;

/** Bytes per page, the unit of the rss field in /proc/PID/stat. */
export const pageSizeBytes: number = readAuxValue(AT_PAGESZ) ?? 4096;

/** Time since boot in clock ticks, the clock that `startTime` is measured on. */
export function readUptimeTicks(): number | null {
  const text = readSystemFile('/proc/uptime');
  if (text === null) return null;
  const seconds = Number.parseFloat(text);
  return Number.isFinite(seconds) ? Math.round(seconds * clockTicksPerSecond) : null;
}

/**
 * The pid most recently handed out (last field of /proc/loadavg). If it has
 * not changed since the last look, no process was created anywhere in the
 * meantime, so no tree can have gained a member: one ~12 µs read that lets
 * an idle tick skip every children file.
 */
export function readLastCreatedPid(): number | null {
  const text = readSystemFile('/proc/loadavg');
  const pid = Number(text?.slice(text.lastIndexOf(' ') + 1));
  return text !== null && Number.isInteger(pid) ? pid : null;
}

/**
 * Reads a one-record /proc file through an fd kept open between calls
 * (one pread, ~5 µs, against ~12 µs for open + read + close). Throws ESRCH
 * once the process behind it has ended, even if its pid was reused since.
 */
export function readOpenProcFile(fd: number): string {
  const got = readSync(fd, shared, 0, readOpenProcFile.capacity, 0);
  return shared.toString('latin1', 0, got);
}
/** Bytes one readOpenProcFile call reads at most; a result this long may be cut. */
readOpenProcFile.capacity = 16 * 1024;

const systemFds = new Map<string, number>();

/**
 * A small machine-wide /proc file read every tick for the life of the process
 * (/proc/uptime, /proc/loadavg, /proc/net/sockstat): one fd each, opened
 * once, saves an open and a close per read (~150 µs here for sockstat).
 */
export function readSystemFile(path: string): string | null {
  let fd = systemFds.get(path);
  if (fd === undefined) {
    try {
      fd = openSync(path, 'r');
    } catch {
      // No /proc (or a restricted one): callers fall back to other clocks.
      return null;
    }
    systemFds.set(path, fd);
  }
  try {
    return readOpenProcFile(fd);
  } catch {
    // These files cannot end like a process does; an error means we cannot know.
    return null;
  }
}
