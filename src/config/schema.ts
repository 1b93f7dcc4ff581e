/**
 * The `procdeck.yaml` schema (SPEC §5), written once with zod: it validates
 * the file and generates the JSON Schema that ships for editors.
 *
 * zod/mini, not classic zod: classic cannot be tree-shaken and bundles every
 * locale (about 730 KB of the CLI), which Node parses at every start.
 */
import * as z from 'zod/mini';
import {Cron} from 'croner';
import {describeDurationProblem, describeSizeProblem, describeValue, durationPattern, sizePattern} from './durations.js';
import {describeReservedName, processNamePattern, reservedProcessNames} from './procfile.js';

/** Signals a process may ask to be stopped with. */
export const stopSignals = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGKILL'] as const;
/** Values of `restart:`. */
export const restartPolicies = ['no', 'on-failure', 'always'] as const;
/** Values under `depends_on:`. */
export const dependencyConditions = ['started', 'ready', 'completed'] as const;

/** `z.optional(schema)` described for editors (the description lands on the property). */
function optionalWith<T extends z.core.SomeType>(schema: T, description: string): z.ZodMiniOptional<T> {
  return z.optional(schema).check(z.meta({description}));
}

const durationSchema = z
  .union(
    [
      z.number().check(z.nonnegative({error: (issue) => describeDurationProblem(issue.input)})),
      z.string().check(z.regex(durationPattern, {error: (issue) => describeDurationProblem(issue.input)})),
    ],
    {error: (issue) => describeDurationProblem(issue.input)},
  )
  .check(z.meta({description: 'A duration: 500ms, 5s, 2m, 1h, or a number of seconds.'}));

const sizeSchema = z
  .union(
    [
      z.number().check(z.int(), z.nonnegative({error: (issue) => describeSizeProblem(issue.input)})),
      z.string().check(z.regex(sizePattern, {error: (issue) => describeSizeProblem(issue.input)})),
    ],
    {error: (issue) => describeSizeProblem(issue.input)},
  )
  .check(z.meta({description: 'A size: 512MB (1000^2 bytes), 1GiB (1024^3 bytes), or a number of bytes.'}));

const describeCount = (issue: {input?: unknown}): string => `expected a whole number (0 or more), got ${describeValue(issue.input)}`;
const countSchema = z.number({error: describeCount}).check(z.int({error: describeCount}), z.nonnegative({error: describeCount}));

// A name the shell passes on to the command: others never reach it (and no export can write them).
const envNameSchema = z.string().check(
  z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {error: (issue) => `${JSON.stringify(issue.input)} is not a variable name the shell passes on (letters, digits and _, not starting with a digit)`}),
);

const envValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: (issue) => `expected a string, number or boolean, got ${describeValue(issue.input)}`,
});

const cronSchema = z
  .string()
  .check(
    z.superRefine((pattern, ctx) => {
      const problem = describeCronProblem(pattern);
      if (problem) ctx.addIssue({code: 'custom', message: problem, input: pattern});
    }),
    z.meta({description: 'When to run: 5 cron fields, or 6 with seconds first (e.g. "0 3 * * *").'}),
  );

const readyKinds = ['http', 'tcp', 'log', 'exec'] as const;

const readySchema = z
  .strictObject({
    http: optionalWith(
      z.string().check(z.regex(/^https?:\/\//, {error: (issue) => `expected an http:// or https:// URL, got ${describeValue(issue.input)}`})),
      'Ready when an HTTP GET to this URL succeeds. $PORT is expanded.',
    ),
    tcp: optionalWith(
      z.union(
        [
          z.number().check(z.int({error: describePortProblem}), z.minimum(1, {error: describePortProblem}), z.maximum(65535, {error: describePortProblem})),
          z.string().check(
            z.regex(/^(\$PORT|\$\{PORT\}|[1-9][0-9]{0,4})$/, {error: describePortProblem}),
            z.refine((port) => !/^\d+$/.test(port) || Number(port) <= 65535, {error: describePortProblem}),
          ),
        ],
        {error: describePortProblem},
      ),
      'Ready when this port accepts a TCP connection. $PORT is expanded.',
    ),
    log: optionalWith(
      z.string().check(z.superRefine((pattern, ctx) => {
        const problem = describeRegexProblem(pattern);
        if (problem) ctx.addIssue({code: 'custom', message: problem, input: pattern});
      })),
      'Ready when a log line matches this regular expression.',
    ),
    exec: optionalWith(z.string().check(z.minLength(1)), 'Ready when this shell command exits 0.'),
    interval: optionalWith(durationSchema, 'Time between checks (default 1s).'),
    timeout: optionalWith(durationSchema, 'How long to keep checking (default 60s).'),
  })
  .check(z.superRefine((ready, ctx) => {
    const kinds = readyKinds.filter((kind) => ready[kind] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: kinds.length === 0
          ? `expected one of ${readyKinds.join(', ')}`
          : `expected only one of ${readyKinds.join(', ')}, got ${kinds.join(' and ')}`,
        input: ready,
      });
    }
  }));

function describePortProblem(issue: {input?: unknown}): string {
  return `expected a port number or "$PORT", got ${describeValue(issue.input)}`;
}

/** One process's settings under `processes:`. */
export const processConfigSchema = z.strictObject({
  command: optionalWith(
    z.string().check(z.trim(), z.minLength(1, {error: 'expected a command, got an empty string'})),
    'Shell command (run with /bin/sh -c). Optional when the Procfile has this process.',
  ),
  cwd: optionalWith(z.string().check(z.minLength(1)), 'Working directory, relative to the project root.'),
  env: optionalWith(z.record(envNameSchema, envValueSchema), 'Extra environment variables for this process.'),
  instances: optionalWith(countSchema, 'How many instances to run (default 1); -m overrides.'),
  autostart: optionalWith(z.boolean(), 'Start with the stack (default true); false lists it stopped.'),
  restart: optionalWith(z.enum(restartPolicies), 'When to restart after it exits (default no).'),
  max_restarts: optionalWith(countSchema, 'Restarts before it is marked failed (default 10).'),
  backoff: z.optional(z.strictObject({
    initial: optionalWith(durationSchema, 'First restart delay (default 1s); doubles each time.'),
    max: optionalWith(durationSchema, 'Longest restart delay (default 30s).'),
  })),
  stop_signal: optionalWith(z.enum(stopSignals), 'Signal sent to the process group to stop it (default SIGTERM).'),
  stop_timeout: optionalWith(durationSchema, 'Wait this long after the stop signal, then SIGKILL (default: shutdown_timeout, -t or 5s).'),
  ready: optionalWith(readySchema, 'How to tell the process is ready: one of http, tcp, log, exec.'),
  depends_on: optionalWith(
    z.record(z.string(), z.enum(dependencyConditions)),
    'Processes to wait for, and for what: started, ready or completed.',
  ),
  max_memory: optionalWith(sizeSchema, 'Restart when the process tree\'s RSS goes over this.'),
  oneshot: optionalWith(z.boolean(), 'Exiting 0 means completed, not crashed (default false).'),
  cron: z.optional(cronSchema),
});

/** The whole `procdeck.yaml`. */
export const configSchema = z
  .strictObject({
    procfile: optionalWith(z.string().check(z.minLength(1)), 'Procfile to read, relative to this file (default Procfile).'),
    env_file: optionalWith(
      z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1)))], {
        error: (issue) => `expected a file name or a list of file names, got ${describeValue(issue.input)}`,
      }),
      'Env files to load in order, relative to this file (default .env); -e overrides.',
    ),
    shutdown_timeout: optionalWith(durationSchema, 'Default stop_timeout for every process (default 5s).'),
    processes: optionalWith(
      z.record(
        z.string().check(
          z.regex(processNamePattern, {error: (issue) => `invalid process name ${describeValue(issue.input)} (use only letters, digits, "-" and "_")`}),
          z.refine((name) => !reservedProcessNames.has(name), {error: (issue) => `${describeReservedName(String(issue.input))} (rename the process)`}),
        ),
        processConfigSchema,
      ),
      'Settings per process type, and processes the Procfile does not have.',
    ),
  })
  .check(z.meta({title: 'procdeck.yaml', description: 'procdeck configuration: policies per process of a Procfile stack.'}));

/** One process's settings as validated (durations and sizes still as written). */
export type ProcessConfig = z.infer<typeof processConfigSchema>;
/** The whole config file as validated. */
export type Config = z.infer<typeof configSchema>;

/** A schema problem: the YAML path it is at, and what is wrong. */
export interface ConfigProblem {
  path: PropertyKey[];
  message: string;
  /** When set, the problem is the key itself (an unknown key), not its value. */
  isKey?: boolean;
}

/** Validates parsed YAML, returning the config or every problem found. */
export function validateConfig(data: unknown): {config: Config; problems: []} | {config?: undefined; problems: ConfigProblem[]} {
  // describeBuiltInIssue words what zod checks itself; a schema's own `error` outranks it.
  const result = configSchema.safeParse(data ?? {}, {error: describeBuiltInIssue});
  if (result.success) return {config: result.data, problems: []};
  return {problems: result.error.issues.flatMap(describeIssue)};
}

/** The JSON Schema shipped in `schema/procdeck.schema.json` (draft-07: what YAML editors read). */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, {target: 'draft-7', io: 'input'});
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The problem with a cron pattern, or undefined when croner accepts it. */
export function describeCronProblem(pattern: string): string | undefined {
  const trimmed = pattern.trim();
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith('@') && fields !== 5 && fields !== 6) {
    return `expected 5 cron fields, or 6 with seconds first, got ${fields} in ${JSON.stringify(pattern)}`;
  }
  try {
    new Cron(trimmed, {paused: true}).stop();
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern:\s*/, '');
    return `invalid cron pattern ${JSON.stringify(pattern)}: ${reason}`;
  }
}

function describeRegexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    // V8's message already begins "Invalid regular expression: /…/: ".
    return `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

// Keys allowed at each level, for "unknown key" messages.
const keysAt = {
  top: Object.keys(configSchema.shape),
  process: Object.keys(processConfigSchema.shape),
  backoff: ['initial', 'max'],
  ready: [...readyKinds, 'interval', 'timeout'],
};

function allowedKeys(path: PropertyKey[]): string[] {
  if (path.length === 0) return keysAt.top;
  if (path.length === 2 && path[0] === 'processes') return keysAt.process;
  const last = path.at(-1);
  if (last === 'backoff') return keysAt.backoff;
  if (last === 'ready') return keysAt.ready;
  return [];
}

function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = allowedKeys(path);
        const suggestion = suggestKey(key, allowed);
        return {
          path: [...path, key],
          isKey: true,
          message: `unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; expected one of ${allowed.join(', ')}`,
        };
      });
    case 'invalid_key':
      return [{path, isKey: true, message: issue.issues[0]?.message ?? issue.message}];
    case 'invalid_element':
      return [{path, message: issue.issues[0]?.message ?? issue.message}];
    default:
      return [{path, message: issue.message}];
  }
}

// The parse-wide error map: zod consults it only for issues whose schema or
// check has no `error` of its own (durations, sizes, counts… say it better).
// Returning undefined leaves zod's generic "Invalid input".
function describeBuiltInIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${describeValue(issue.input)}`;
    case 'invalid_type':
      return `expected ${describeExpected(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'expected a non-empty string';
      return `expected a number of at least ${String(issue.minimum)}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return `expected a number of at most ${String(issue.maximum)}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    default:
      return expected;
  }
}

// One typo away (an edit distance of at most 2) is almost always what was meant.
function suggestKey(key: string, allowed: string[]): string | undefined {
  let best: {key: string; distance: number} | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(key, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = {key: candidate, distance};
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
