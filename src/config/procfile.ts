/** Procfile parsing (SPEC §3): `name: command` lines, errors with file:line. */
import {readFileSync} from 'node:fs';
import {ConfigError, ConfigErrors} from './errors.js';

/** One `name: command` line of a Procfile. */
export interface ProcfileEntry {
  name: string;
  command: string;
  /** 1-based line number, for messages. */
  line: number;
}

/** Process names: the same rule for the Procfile, procdeck.yaml and `-m`. */
export const processNamePattern = /^[A-Za-z0-9_-]+$/;

const nameRule = 'use only letters, digits, "-" and "_"';

/** Names procdeck uses itself: the UI's merged view and `-m all=N`, and its own log lines. */
export const reservedProcessNames: ReadonlySet<string> = new Set(['all', 'system']);

/** Why `name` cannot name a process, or undefined when it can. */
export function describeReservedName(name: string): string | undefined {
  return reservedProcessNames.has(name) ? `"${name}" is reserved for procdeck's own use (${name === 'all' ? 'the merged view and -m all=N' : 'its own log lines'})` : undefined;
}

/**
 * Parses Procfile text (or raw bytes) into entries in file order. Every bad line is
 * reported, each as `label:line: problem`, in one ConfigErrors.
 */
export function parseProcfile(text: string | Uint8Array, fileLabel: string): ProcfileEntry[] {
  const decoded = decodeText(text, fileLabel);
  const entries: ProcfileEntry[] = [];
  const errors: ConfigError[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = decoded.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((raw, i) => {
    const line = i + 1;
    const where = `${fileLabel}:${line}`;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;

    const colon = trimmed.indexOf(':');
    if (colon === -1) {
      errors.push(new ConfigError(where, `expected "name: command", got ${JSON.stringify(trimmed)}`, 'put a colon after the process name'));
      return;
    }
    const name = trimmed.slice(0, colon).trim();
    const command = trimmed.slice(colon + 1).trim();
    if (name === '') {
      errors.push(new ConfigError(where, `expected "name: command", got ${JSON.stringify(trimmed)}`, 'put the process name before the colon'));
      return;
    }
    if (!processNamePattern.test(name)) {
      errors.push(new ConfigError(where, `expected "name: command", got ${JSON.stringify(trimmed)}`, `process names ${nameRule}`));
      return;
    }
    const reserved = describeReservedName(name);
    if (reserved) {
      errors.push(new ConfigError(where, reserved, 'rename the process'));
      return;
    }
    const first = firstLineOf.get(name);
    if (first !== undefined) {
      errors.push(new ConfigError(where, `duplicate process name "${name}", first defined on line ${first}`, 'rename or remove one of them'));
      return;
    }
    firstLineOf.set(name, line);
    if (command === '') {
      errors.push(new ConfigError(where, `process "${name}" has an empty command`, 'write the command after the colon'));
      return;
    }
    entries.push({name, command, line});
  });

  if (errors.length > 0) throw new ConfigErrors(errors);
  if (entries.length === 0) {
    throw new ConfigErrors([new ConfigError(fileLabel, 'no processes defined', 'add a line like "web: npm start"')]);
  }
  return entries;
}

/**
 * Reads and parses a Procfile from disk. `fileLabel` is how messages name it
 * (usually the path relative to where procdeck was started).
 */
export function readProcfile(path: string, fileLabel: string): ProcfileEntry[] {
  return parseProcfile(readTextFile(path, fileLabel, 'create one, or pass -f PATH'), fileLabel);
}

/**
 * Reads a file's bytes, turning the common failures into one-line ConfigErrors.
 * `missingHint` tells the user how to fix a missing file.
 */
export function readTextFile(path: string, fileLabel: string, missingHint: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(fileLabel, `not found at ${path}`, missingHint);
    if (code === 'EISDIR') throw new ConfigError(fileLabel, `${path} is a directory, not a file`, missingHint);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ConfigError(fileLabel, `cannot read ${path}: permission denied`, 'check the file\'s permissions');
    }
    throw new ConfigError(fileLabel, `cannot read ${path}: ${(error as Error).message}`);
  }
}

// A Procfile with NUL bytes or broken UTF-8 is almost always the wrong file (a
// binary passed to -f): one error beats a line-by-line dump of garbage.
function decodeText(text: string | Uint8Array, fileLabel: string): string {
  const binary = new ConfigErrors([
    new ConfigError(fileLabel, 'is not a text file (it contains NUL bytes or invalid UTF-8)', 'pass the Procfile with -f PATH'),
  ]);
  let decoded: string;
  if (typeof text === 'string') {
    decoded = text;
  } else {
    try {
      decoded = new TextDecoder('utf-8', {fatal: true}).decode(text);
    } catch {
      throw binary;
    }
  }
  if (decoded.includes('\u0000') || decoded.includes('\uFFFD')) throw binary;
  return decoded;
}
