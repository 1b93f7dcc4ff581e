/** Env files (dotenv syntax) and the environment each instance runs with (SPEC §4). */
import {parse} from 'dotenv';
import type {ProcessSpec, StackSpec} from './spec.js';
import {readTextFile} from './procfile.js';
import {ConfigError, ConfigErrors} from './errors.js';
import {instancePort} from './ports.js';

/** One env file to load: where it is, how messages name it, and whether it may be absent. */
export interface EnvFileRef {
  path: string;
  label: string;
  /** The default `.env` is loaded only when present; files the user named must exist. */
  isOptional: boolean;
  /** How to fix a missing file, e.g. "check the -e option". */
  missingHint?: string;
}

/** The result of loading env files: the merged values and the files actually read. */
export interface LoadedEnv {
  values: Record<string, string>;
  paths: string[];
}

/**
 * Reads env files in order with dotenv's parser, later files winning. Throws a
 * ConfigError naming the file when a required one is missing or unreadable.
 */
export function loadEnvFiles(files: EnvFileRef[]): LoadedEnv {
  const values: Record<string, string> = {};
  const paths: string[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readTextFile(file.path, file.label, file.missingHint ?? 'create it, or stop naming it');
    } catch (error) {
      if (file.isOptional && error instanceof ConfigError && error.problem.startsWith('not found')) continue;
      throw error;
    }
    if (bytes.includes(0)) {
      throw new ConfigError(file.label, 'is not a text file (it contains NUL bytes)', 'pass an env file in dotenv syntax (KEY=value lines)');
    }
    const text = bytes.toString('utf8');
    const skipped = linesDotenvSkips(text);
    if (skipped.length > 0) {
      throw new ConfigErrors(skipped.map(({number, line}) => new ConfigError(
        `${file.label}:${number}`,
        `not a KEY=value line: ${JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line)}`,
        'write it as KEY=value, the key in letters, digits, _ . - (no spaces), or make it a comment with #',
      )));
    }
    Object.assign(values, parse(text));
    paths.push(file.path);
  }
  return {values, paths};
}

/** What dotenv takes as the start of `KEY=value` (or `KEY: value`), `export ` allowed. */
const assignmentStart = /^\s*(?:export\s+)?[\w.-]+(?:\s*=|:\s)/;

/** dotenv's quoted values, which may span lines: from the opening quote to the first unescaped one. */
const quotedValue: Record<string, RegExp> = {
  '"': /"(?:\\"|[^"])*"/y,
  "'": /'(?:\\'|[^'])*'/y,
  '`': /`(?:\\`|[^`])*`/y,
};

/**
 * The lines dotenv's parser passes over without a word (`DATABASE URL=…`,
 * `just words`, `=x`): each is a variable the user meant to set and did not.
 * Blank lines, comments and the lines a quoted value spans are fine; a quote
 * that no later one closes is, as for dotenv, part of a one-line value.
 */
export function linesDotenvSkips(text: string): {number: number; line: string}[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  const skipped: {number: number; line: string}[] = [];
  let lineStart = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const valueStart = lineStart; // where this line begins in `normalized`
    lineStart += line.length + 1;
    if (/^\s*(?:#|$)/.test(line)) continue;
    const start = assignmentStart.exec(line);
    if (start === null) {
      skipped.push({number: index + 1, line});
      continue;
    }
    const value = line.slice(start[0].length).trimStart();
    const pattern = quotedValue[value[0] ?? ''];
    if (pattern === undefined) continue;
    pattern.lastIndex = valueStart + line.length - value.length;
    const spans = pattern.exec(normalized)?.[0].split('\n');
    if (spans === undefined || spans.length === 1) continue;
    // It spans lines only if nothing but a comment follows the closing quote (else dotenv reads one line).
    const lastLine = lines[index + spans.length - 1] as string;
    if (!/^\s*(?:#.*)?$/.test(lastLine.slice((spans.at(-1) as string).length))) continue;
    for (const spanned of lines.slice(index + 1, index + spans.length)) lineStart += spanned.length + 1;
    index += spans.length - 1;
  }
  return skipped;
}

/** The instance name everywhere in procdeck: `web.1`. */
export function instanceName(proc: Pick<ProcessSpec, 'name'>, instanceIndex: number): string {
  return `${proc.name}.${instanceIndex}`;
}

/**
 * The full environment of one instance, later entries winning: the inherited
 * environment, the env files, the process's `env:`, then PORT, PS, and for
 * output read through procdeck's pipes (`isOutputPiped`, the default)
 * FORCE_COLOR=1 (unless NO_COLOR or FORCE_COLOR is already set) and
 * PYTHONUNBUFFERED=1 (unless already set). `procdeck run` hands its own
 * stdout to the command, which then tells a terminal from a file itself.
 */
export function instanceEnv(
  stack: Pick<StackSpec, 'basePort' | 'fileEnv'>,
  proc: Pick<ProcessSpec, 'name' | 'index' | 'env'>,
  instanceIndex: number,
  inherited: NodeJS.ProcessEnv,
  {isOutputPiped = true}: {isOutputPiped?: boolean} = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited)) {
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, stack.fileEnv, proc.env);
  env.PORT = String(instancePort(stack, proc, instanceIndex));
  env.PS = instanceName(proc, instanceIndex);
  if (!isOutputPiped) return env;
  // Children write to pipes, so most tools turn colors off and Python buffers
  // stdout; these two make their output look as it does in a terminal. An
  // explicit choice (NO_COLOR, or FORCE_COLOR=0) is the user's and is kept.
  const isNoColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  if (!isNoColor && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  if (env.PYTHONUNBUFFERED === undefined) env.PYTHONUNBUFFERED = '1';
  return env;
}
