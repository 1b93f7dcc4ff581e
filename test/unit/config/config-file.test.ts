import {describe, expect, it} from 'vitest';
import {parseConfigText} from '../../../src/config/config-file.js';

/** The error messages for a YAML text, in line order. */
function problemsIn(yaml: string): string[] {
  return parseConfigText(yaml, 'procdeck.yaml').errors.map((error) => error.message);
}

describe('procdeck.yaml validation', () => {
  it('accepts the full example from the spec', () => {
    const file = parseConfigText(`
procfile: Procfile
env_file: [.env]
shutdown_timeout: 5s
processes:
  web:
    command: npm run dev
    cwd: ./app
    env: { LOG_LEVEL: debug, WORKERS: 4, DEBUG: true }
    instances: 2
    autostart: true
    restart: on-failure
    max_restarts: 10
    backoff: { initial: 1s, max: 30s }
    stop_signal: SIGINT
    stop_timeout: 10s
    ready: { http: "http://localhost:$PORT/health", interval: 1s, timeout: 60s }
    depends_on: { db: ready }
    max_memory: 512MB
  db:
    command: postgres
    ready: { tcp: 5432 }
  migrate:
    command: npm run migrate
    oneshot: true
  backup:
    command: ./backup.sh
    cron: "0 3 * * *"
  ticker:
    command: date
    cron: "*/10 * * * * *"
`, 'procdeck.yaml');
    expect(file.errors).toEqual([]);
    expect(file.config?.processes?.web?.env).toEqual({LOG_LEVEL: 'debug', WORKERS: '4', DEBUG: 'true'});
  });

  it('accepts an empty file', () => {
    expect(problemsIn('')).toEqual([]);
    expect(problemsIn('# only a comment\n')).toEqual([]);
  });

  it('reports an unknown key at its line, suggesting the near miss', () => {
    expect(problemsIn('processes:\n  web:\n    command: x\n    depend_on: {db: ready}\n')).toEqual([
      'procdeck.yaml:4: processes.web.depend_on: unknown key (did you mean "depends_on"?); expected one of command, cwd, env, instances, autostart, restart, max_restarts, backoff, stop_signal, stop_timeout, ready, depends_on, max_memory, oneshot, cron',
    ]);
  });

  it('reports unknown top-level, backoff and ready keys', () => {
    const problems = problemsIn('version: 3\nprocesses:\n  web:\n    backoff: {initial: 1s, maximum: 5s}\n    ready:\n      http: http://x\n      every: 1s\n');
    expect(problems).toEqual([
      'procdeck.yaml:1: version: unknown key; expected one of procfile, env_file, shutdown_timeout, processes',
      'procdeck.yaml:4: processes.web.backoff.maximum: unknown key; expected one of initial, max',
      'procdeck.yaml:7: processes.web.ready.every: unknown key; expected one of http, tcp, log, exec, interval, timeout',
    ]);
  });

  it('reports a bad enum value with the allowed ones', () => {
    expect(problemsIn('processes:\n  web:\n    restart: sometimes\n')).toEqual([
      'procdeck.yaml:3: processes.web.restart: expected one of no, on-failure, always, got "sometimes"',
    ]);
    expect(problemsIn('processes:\n  web:\n    stop_signal: TERM\n')[0]).toMatch(/^procdeck\.yaml:3: processes\.web\.stop_signal: expected one of SIGTERM, SIGINT, .*got "TERM"$/);
    expect(problemsIn('processes:\n  web:\n    depends_on:\n      db: up\n')).toEqual([
      'procdeck.yaml:4: processes.web.depends_on.db: expected one of started, ready, completed, got "up"',
    ]);
  });

  it('reports wrong types', () => {
    expect(problemsIn('processes:\n  web:\n    instances: two\n    autostart: yes\n    max_restarts: 1.5\n    env: [A=1]\n    command: [npm, start]\n')).toEqual([
      'procdeck.yaml:3: processes.web.instances: expected a whole number (0 or more), got "two"',
      'procdeck.yaml:4: processes.web.autostart: expected true or false, got "yes"',
      'procdeck.yaml:5: processes.web.max_restarts: expected a whole number (0 or more), got 1.5',
      'procdeck.yaml:6: processes.web.env: expected a mapping, got a list',
      'procdeck.yaml:7: processes.web.command: expected a string, got a list',
    ]);
    expect(problemsIn('processes: [web]\n')).toEqual(['procdeck.yaml:1: processes: expected a mapping, got a list']);
    expect(problemsIn('- web\n')).toEqual(['procdeck.yaml:1: expected a mapping, got a list']);
  });

  it('reports negative counts and empty commands', () => {
    expect(problemsIn('processes:\n  web:\n    instances: -1\n    command: "  "\n')).toEqual([
      'procdeck.yaml:3: processes.web.instances: expected a whole number (0 or more), got -1',
      'procdeck.yaml:4: processes.web.command: expected a command, got an empty string',
    ]);
  });

  it('reports bad durations and sizes with an example of what works', () => {
    expect(problemsIn('shutdown_timeout: 5x\nprocesses:\n  web:\n    backoff:\n      initial: soon\n    stop_timeout: -2\n    max_memory: 1XB\n')).toEqual([
      'procdeck.yaml:1: shutdown_timeout: expected a duration like 500ms, 5s or 2m, got "5x"',
      'procdeck.yaml:5: processes.web.backoff.initial: expected a duration like 500ms, 5s or 2m, got "soon"',
      'procdeck.yaml:6: processes.web.stop_timeout: expected a duration like 500ms, 5s or 2m, got -2',
      'procdeck.yaml:7: processes.web.max_memory: expected a size like 512MB, 1GiB or a number of bytes, got "1XB"',
    ]);
    expect(problemsIn('processes:\n  web:\n    stop_timeout: true\n')).toEqual([
      'procdeck.yaml:3: processes.web.stop_timeout: expected a duration like 500ms, 5s or 2m, got true',
    ]);
  });

  it('reports bad cron patterns through croner', () => {
    expect(problemsIn('processes:\n  a:\n    cron: "0 3 * *"\n  b:\n    cron: "61 * * * *"\n  c:\n    cron: "0 0 3 * * * 2030"\n')).toEqual([
      'procdeck.yaml:3: processes.a.cron: expected 5 cron fields, or 6 with seconds first, got 4 in "0 3 * *"',
      'procdeck.yaml:5: processes.b.cron: invalid cron pattern "61 * * * *": Invalid value for minute: 61',
      'procdeck.yaml:7: processes.c.cron: expected 5 cron fields, or 6 with seconds first, got 7 in "0 0 3 * * * 2030"',
    ]);
  });

  it('requires exactly one readiness check, and a valid one', () => {
    expect(problemsIn('processes:\n  a:\n    ready: {interval: 1s}\n  b:\n    ready: {http: "http://x", tcp: 80}\n  c:\n    ready: {log: "([a-z"}\n  d:\n    ready: {http: "localhost:80"}\n  e:\n    ready: {tcp: 70000}\n')).toEqual([
      'procdeck.yaml:3: processes.a.ready: expected one of http, tcp, log, exec',
      'procdeck.yaml:5: processes.b.ready: expected only one of http, tcp, log, exec, got http and tcp',
      "procdeck.yaml:7: processes.c.ready.log: invalid regular expression: /([a-z/: Unterminated character class",
      'procdeck.yaml:9: processes.d.ready.http: expected an http:// or https:// URL, got "localhost:80"',
      'procdeck.yaml:11: processes.e.ready.tcp: expected a port number or "$PORT", got 70000',
    ]);
    // A string is a port or $PORT too, checked as strictly.
    expect(problemsIn('processes:\n  a:\n    ready: {tcp: abc}\n  b:\n    ready: {tcp: "70000"}\n  c:\n    ready: {tcp: "${PORT}"}\n  d:\n    ready: {tcp: "5432"}\n')).toEqual([
      'procdeck.yaml:3: processes.a.ready.tcp: expected a port number or "$PORT", got "abc"',
      'procdeck.yaml:5: processes.b.ready.tcp: expected a port number or "$PORT", got "70000"',
    ]);
  });

  it('says what YAML problems mean and how to fix them, with no internal error', () => {
    expect(problemsIn('processes:\n  web:\n    env: { A: *x }\n    restart: *never_defined\n')).toEqual([
      'procdeck.yaml:3: *x refers to no anchor (define &x above it)',
      'procdeck.yaml:4: *never_defined refers to no anchor (define &never_defined above it)',
    ]);
    expect(problemsIn('processes:\n  web: {}\n---\nprocesses: {}\n')).toEqual([
      'procdeck.yaml:3: a second YAML document (after a "---" line) (keep one document: remove the "---" and what follows, or merge them)',
    ]);
    expect(problemsIn('processes:\n  web:\n    command: echo a: b\n')).toEqual([
      'procdeck.yaml:3: a value holds ": ", which YAML reads as another key (quote the value: command: "echo a: b")',
    ]);
  });

  it('keeps keys as written: TRUE, null and Yes under env: are variable names', () => {
    const file = parseConfigText('processes:\n  web:\n    env: { TRUE: 1, null: b, Yes: d }\n', 'procdeck.yaml');
    expect(file.errors).toEqual([]);
    expect(Object.keys(file.config?.processes?.web?.env ?? {})).toEqual(['TRUE', 'null', 'Yes']);
  });

  it('keeps env values as written: VERSION: 1.10 is "1.10", not YAML\'s number 1.1', () => {
    const file = parseConfigText('processes:\n  web:\n    env: { VERSION: 1.10, MODE: 0o17, BIG: 1e3, ON: true, N: 3, Q: "1.50" }\n    instances: 2\n', 'procdeck.yaml');
    expect(file.errors).toEqual([]);
    expect(file.config?.processes?.web?.env).toEqual({VERSION: '1.10', MODE: '0o17', BIG: '1e3', ON: 'true', N: '3', Q: '1.50'});
    expect(file.config?.processes?.web?.instances).toBe(2); // only env: values are text
  });

  it('refuses env names the shell would not pass on, at their key', () => {
    expect(problemsIn('processes:\n  web:\n    env:\n      OK: 1\n      "BAD KEY": x\n      1ST: y\n')).toEqual([
      'procdeck.yaml:5: processes.web.env.BAD KEY: "BAD KEY" is not a variable name the shell passes on (letters, digits and _, not starting with a digit)',
      'procdeck.yaml:6: processes.web.env.1ST: "1ST" is not a variable name the shell passes on (letters, digits and _, not starting with a digit)',
    ]);
  });

  it('merges a mapping into another with <<, as Compose files do', () => {
    const file = parseConfigText('processes:\n  web: &policy\n    restart: always\n    stop_timeout: 10s\n  worker:\n    <<: *policy\n    restart: on-failure\n', 'procdeck.yaml');
    expect(file.errors).toEqual([]);
    expect(file.config?.processes?.worker).toEqual({restart: 'on-failure', stop_timeout: '10s'});
  });

  it('reports an invalid process name at its key', () => {
    expect(problemsIn('processes:\n  web:\n    command: x\n  web.api:\n    command: y\n')).toEqual([
      'procdeck.yaml:4: processes.web.api: invalid process name "web.api" (use only letters, digits, "-" and "_")',
    ]);
  });

  it('points env_file list entries at their own line', () => {
    expect(problemsIn('env_file:\n  - .env\n  - 3\n')).toEqual(['procdeck.yaml:1: env_file: expected a file name or a list of file names, got a list']);
  });

  it('reports YAML syntax errors and duplicate keys with their line, on one line each', () => {
    const [syntax] = problemsIn('processes:\n  web:\n    command: "unterminated\n');
    expect(syntax).toMatch(/^procdeck\.yaml:3: /);
    expect(syntax).not.toContain('\n');
    expect(problemsIn('processes:\n  web: {}\n  web: {}\n')).toEqual(['procdeck.yaml:3: Map keys must be unique']);
  });

  it('reports several problems at once, in line order', () => {
    const problems = problemsIn('processes:\n  web:\n    restart: sometimes\n    instances: -1\n  worker:\n    oneshot: maybe\nshutdown_timeout: forever\nextra: 1\n');
    expect(problems.map((message) => message.split(':').slice(0, 2).join(':'))).toEqual([
      'procdeck.yaml:3',
      'procdeck.yaml:4',
      'procdeck.yaml:6',
      'procdeck.yaml:7',
      'procdeck.yaml:8',
    ]);
  });
});
