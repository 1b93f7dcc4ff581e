import {describe, expect, it} from 'vitest';
import {join} from 'node:path';
import {loadStack, selectProcesses} from '../../../src/config/load.js';
import type {LoadOptions} from '../../../src/config/load.js';
import {instanceEnv} from '../../../src/config/env.js';
import {instancePort} from '../../../src/config/ports.js';
import {ConfigErrors, UsageError} from '../../../src/config/errors.js';
import type {StackSpec} from '../../../src/config/spec.js';
import {makeProject, rejectionMessagesOf} from './temp-project.js';

function load(dir: string, options: Partial<LoadOptions> = {}): Promise<StackSpec> {
  return loadStack({cwd: dir, env: {}, ...options});
}

function processNamed(stack: StackSpec, name: string) {
  const proc = stack.processes.find((candidate) => candidate.name === name);
  if (!proc) throw new Error(`no process ${name} in ${stack.processes.map((p) => p.name).join(', ')}`);
  return proc;
}

describe('loadStack: Procfile only', () => {
  it('builds a spec with defaults, indexes and the project name', async () => {
    const dir = makeProject({Procfile: 'web: npm start\nworker: node w.js\n'});
    const stack = await load(dir);
    expect(stack).toMatchObject({name: dir.split('/').at(-1), root: dir, procfilePath: join(dir, 'Procfile'), basePort: 5000, envFiles: [], fileEnv: {}});
    expect(stack.configPath).toBeUndefined();
    expect(stack.processes).toEqual([
      {
        name: 'web', command: 'npm start', cwd: dir, index: 0, env: {}, instances: 1, autostart: true, restart: 'no',
        maxRestarts: 10, backoff: {initialMs: 1000, maxMs: 30_000}, stopSignal: 'SIGTERM', stopTimeoutMs: 5000,
        dependsOn: {}, oneshot: false, source: 'Procfile:1',
      },
      expect.objectContaining({name: 'worker', index: 1, source: 'Procfile:2'}),
    ]);
  });

  it('reads -f relative to cwd and runs processes in the Procfile\'s directory', async () => {
    const dir = makeProject({'stack/Procfile.dev': 'web: x\n'});
    const stack = await load(dir, {procfile: 'stack/Procfile.dev'});
    expect(stack.root).toBe(join(dir, 'stack'));
    expect(processNamed(stack, 'web')).toMatchObject({cwd: join(dir, 'stack'), source: 'stack/Procfile.dev:1'});
  });

  it('uses --root for the root and process cwd', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'app/.keep': ''});
    const stack = await load(dir, {root: 'app'});
    expect(stack.root).toBe(join(dir, 'app'));
    expect(processNamed(stack, 'web').cwd).toBe(join(dir, 'app'));
  });

  it('reports a missing Procfile with its absolute path', async () => {
    const dir = makeProject({});
    expect(await rejectionMessagesOf(load(dir))).toEqual([`Procfile: not found at ${join(dir, 'Procfile')} (create one, or pass -f PATH)`]);
  });

  it('throws ConfigErrors for a bad Procfile', async () => {
    const dir = makeProject({Procfile: 'web npm start\n'});
    await expect(load(dir)).rejects.toThrow(ConfigErrors);
  });
});

describe('loadStack: env files and ports', () => {
  it('loads .env beside the Procfile by default', async () => {
    const dir = makeProject({'sub/Procfile': 'web: x\n', 'sub/.env': 'A=1\n', '.env': 'A=wrong\n'});
    const stack = await load(dir, {procfile: 'sub/Procfile'});
    expect(stack.fileEnv).toEqual({A: '1'});
    expect(stack.envFiles).toEqual([join(dir, 'sub/.env')]);
  });

  it('loads -e files in order instead of .env', async () => {
    const dir = makeProject({Procfile: 'web: x\n', '.env': 'DEFAULT=1\n', 'a.env': 'A=a\nB=a\n', 'b.env': 'B=b\n'});
    const stack = await load(dir, {envFiles: ['a.env', 'b.env']});
    expect(stack.fileEnv).toEqual({A: 'a', B: 'b'});
    expect(stack.envFiles).toEqual([join(dir, 'a.env'), join(dir, 'b.env')]);
  });

  it('reports a missing -e file by name', async () => {
    const dir = makeProject({Procfile: 'web: x\n'});
    expect(await rejectionMessagesOf(load(dir, {envFiles: ['.env.local']}))).toEqual([
      `.env.local: not found at ${join(dir, '.env.local')} (check the -e option)`,
    ]);
  });

  it('loads env_file from the config when -e is not given', async () => {
    const dir = makeProject({Procfile: 'web: x\n', '.env': 'A=default\n', 'procdeck.yaml': 'env_file: [one.env, two.env]\n', 'one.env': 'A=1\n', 'two.env': 'B=2\n'});
    expect((await load(dir)).fileEnv).toEqual({A: '1', B: '2'});
    expect((await load(dir, {envFiles: ['.env']})).fileEnv).toEqual({A: 'default'});
  });

  it('layers the whole environment for an instance', async () => {
    const dir = makeProject({
      Procfile: 'web: x\nworker: y\n',
      '.env': 'A=file\nB=file\n',
      'procdeck.yaml': 'processes:\n  worker:\n    env: {B: proc, N: 3}\n',
    });
    const stack = await load(dir);
    const env = instanceEnv(stack, processNamed(stack, 'worker'), 2, {A: 'inherited', HOME: '/home/x'});
    expect(env).toMatchObject({A: 'file', B: 'proc', N: '3', HOME: '/home/x', PORT: '5101', PS: 'worker.2', FORCE_COLOR: '1', PYTHONUNBUFFERED: '1'});
  });

  it('takes the base port from -p, then env file PORT, then $PORT, then 5000', async () => {
    const withFile = makeProject({Procfile: 'web: x\nworker: y\n', '.env': 'PORT=6000\n'});
    const without = makeProject({Procfile: 'web: x\nworker: y\n'});
    expect((await load(withFile, {port: 4000, env: {PORT: '7000'}})).basePort).toBe(4000);
    expect((await load(withFile, {env: {PORT: '7000'}})).basePort).toBe(6000);
    expect((await load(without, {env: {PORT: '7000'}})).basePort).toBe(7000);
    const stack = await load(without);
    expect(stack.basePort).toBe(5000);
    expect(instancePort(stack, processNamed(stack, 'worker'), 2)).toBe(5101);
  });

  it('refuses a base port that would give some instance a PORT above 65535', async () => {
    const dir = makeProject({Procfile: 'web: x\nworker: y\n'});
    expect(await rejectionMessagesOf(load(dir, {port: 65_500}))).toEqual(['worker.1 would get PORT 65600, above 65535 (pass a lower -p, or set a lower PORT)']);
    expect(await rejectionMessagesOf(load(dir, {port: 1000, formation: 'web=100000'}))).toEqual(['web.100000 would get PORT 100999, above 65535 (pass a lower -p, or set a lower PORT)']);
    expect((await load(dir, {port: 65_435})).basePort).toBe(65_435);
  });

  it('reports a PORT in an env file that is not a number', async () => {
    const dir = makeProject({Procfile: 'web: x\n', '.env': 'PORT=abc\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual(['.env: PORT: expected a port number (1-65535), got "abc" (or pass -p N)']);
  });
});

describe('loadStack: formation', () => {
  it('applies -m over the config, with all=N as the default', async () => {
    const dir = makeProject({Procfile: 'web: x\nworker: y\nclock: z\n', 'procdeck.yaml': 'processes:\n  clock:\n    instances: 4\n  worker:\n    instances: 3\n'});
    expect((await load(dir)).processes.map((p) => p.instances)).toEqual([1, 3, 4]);
    expect((await load(dir, {formation: 'web=2,worker=0'})).processes.map((p) => p.instances)).toEqual([2, 0, 4]);
    expect((await load(dir, {formation: 'all=0,web=1'})).processes.map((p) => p.instances)).toEqual([1, 0, 0]);
  });

  it('reports an unknown type in -m as a usage error', async () => {
    const dir = makeProject({Procfile: 'web: x\n'});
    await expect(load(dir, {formation: 'wbe=2'})).rejects.toThrow(UsageError);
  });
});

describe('loadStack: procdeck.yaml', () => {
  it('merges YAML settings into Procfile entries and appends YAML-only processes in YAML order', async () => {
    const dir = makeProject({
      Procfile: 'web: npm start\nworker: node w.js\n',
      'procdeck.yaml': [
        'shutdown_timeout: 3s',
        'processes:',
        '  zeta:',
        '    command: echo z',
        '  web:',
        '    restart: on-failure',
        '    max_restarts: 3',
        '    backoff: {initial: 500ms, max: 4s}',
        '    stop_signal: SIGINT',
        '    ready: {http: "http://localhost:$PORT/health", interval: 2s}',
        '    depends_on: {db: ready}',
        '    max_memory: 512MiB',
        '  db:',
        '    command: postgres',
        '    ready: {tcp: 5432}',
        '    oneshot: false',
        '    autostart: false',
        '  backup:',
        '    command: ./backup.sh',
        '    cron: "0 3 * * *"',
        '    oneshot: true',
        '',
      ].join('\n'),
    });
    const stack = await load(dir);
    expect(stack.configPath).toBe(join(dir, 'procdeck.yaml'));
    expect(stack.processes.map((p) => [p.name, p.index, p.source])).toEqual([
      ['web', 0, 'Procfile:1'],
      ['worker', 1, 'Procfile:2'],
      ['zeta', 2, 'procdeck.yaml:3'],
      ['db', 3, 'procdeck.yaml:13'],
      ['backup', 4, 'procdeck.yaml:18'],
    ]);
    expect(processNamed(stack, 'web')).toMatchObject({
      command: 'npm start',
      restart: 'on-failure',
      maxRestarts: 3,
      backoff: {initialMs: 500, maxMs: 4000},
      written: {backoff: true, maxRestarts: true},
      stopSignal: 'SIGINT',
      stopTimeoutMs: 3000,
      ready: {check: {kind: 'http', url: 'http://localhost:$PORT/health'}, intervalMs: 2000, timeoutMs: 60_000},
      dependsOn: {db: 'ready'},
      maxMemoryBytes: 512 * 1024 * 1024,
    });
    expect(processNamed(stack, 'db')).toMatchObject({ready: {check: {kind: 'tcp', port: '5432'}}, autostart: false, oneshot: false});
    expect(processNamed(stack, 'db').written).toBeUndefined();
    expect(processNamed(stack, 'backup')).toMatchObject({cron: '0 3 * * *', oneshot: true});
  });

  it('lets a YAML command replace the Procfile\'s', async () => {
    const dir = makeProject({Procfile: 'web: npm start\n', 'procdeck.yaml': 'processes:\n  web:\n    command: npm run dev\n'});
    expect(processNamed(await load(dir), 'web')).toMatchObject({command: 'npm run dev', source: 'procdeck.yaml:2'});
  });

  it('resolves cwd against the project root and reports a missing one', async () => {
    const dir = makeProject({Procfile: 'web: x\napi: y\n', 'app/.keep': '', 'procdeck.yaml': 'processes:\n  web:\n    cwd: ./app\n  api:\n    cwd: nowhere\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      `procdeck.yaml:5: processes.api.cwd: directory not found: ${join(dir, 'nowhere')} (cwd is relative to the project root)`,
    ]);
    const ok = makeProject({Procfile: 'web: x\n', 'app/.keep': '', 'procdeck.yaml': 'processes:\n  web:\n    cwd: ./app\n'});
    expect(processNamed(await load(ok), 'web').cwd).toBe(join(ok, 'app'));
  });

  it('picks the stop timeout: process stop_timeout, then -t, then shutdown_timeout, then 5s', async () => {
    const dir = makeProject({Procfile: 'a: x\nb: y\n', 'procdeck.yaml': 'shutdown_timeout: 3s\nprocesses:\n  a:\n    stop_timeout: 10s\n'});
    const timeouts = (stack: StackSpec) => stack.processes.map((p) => p.stopTimeoutMs);
    expect(timeouts(await load(dir))).toEqual([10_000, 3000]);
    expect(timeouts(await load(dir, {stopTimeoutMs: 7000}))).toEqual([10_000, 7000]);
    const plain = makeProject({Procfile: 'a: x\n'});
    expect(timeouts(await load(plain))).toEqual([5000]);
  });

  it('uses -c from anywhere, and its procfile: relative to it', async () => {
    const dir = makeProject({'conf/procdeck.yaml': 'procfile: ../stack/Procfile\n', 'stack/Procfile': 'web: x\n'});
    const stack = await load(dir, {config: 'conf/procdeck.yaml'});
    expect(stack.procfilePath).toBe(join(dir, 'stack/Procfile'));
    expect(stack.root).toBe(join(dir, 'stack'));
  });

  it('names the procfile: setting when the Procfile it gives is not there', async () => {
    const dir = makeProject({'procdeck.yaml': 'shutdown_timeout: 5s\nprocfile: Nope\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      `procdeck.yaml:2: procfile: not found at ${join(dir, 'Nope')} (paths are relative to procdeck.yaml; fix it, or create the file)`,
    ]);
  });

  it('also finds procdeck.yml', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'procdeck.yml': 'processes:\n  web:\n    restart: always\n'});
    expect(processNamed(await load(dir), 'web').restart).toBe('always');
  });

  it('refuses procdeck.yaml and procdeck.yml side by side, which one would be silently ignored, unless -c names one', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'procdeck.yaml': 'processes:\n  web:\n    restart: always\n', 'procdeck.yml': 'processes:\n  web:\n    restart: no\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual(['procdeck.yaml and procdeck.yml: are both here, and only one is read (remove one, or name it with -c)']);
    expect(processNamed(await load(dir, {config: 'procdeck.yml'}), 'web').restart).toBe('no');
  });

  it('needs no Procfile when the config gives every process a command', async () => {
    const dir = makeProject({'procdeck.yaml': 'processes:\n  web:\n    command: npm start\n'});
    const stack = await load(dir);
    expect(stack.processes.map((p) => [p.name, p.command, p.cwd])).toEqual([['web', 'npm start', dir]]);
  });

  it('reports a YAML process without a command that the Procfile lacks', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'procdeck.yaml': 'processes:\n  web:\n    restart: always\n  db:\n    restart: always\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      'procdeck.yaml:4: processes.db: no command, and Procfile has no "db" entry (add command:, or add the process to the Procfile)',
    ]);
  });

  it('requires the Procfile when the config does not define every command', async () => {
    const dir = makeProject({'procdeck.yaml': 'processes:\n  web:\n    restart: always\n'});
    const messages = await rejectionMessagesOf(load(dir));
    expect(messages[0]).toBe(`Procfile: not found at ${join(dir, 'Procfile')} (create one, or pass -f PATH)`);
  });

  it('reports a missing -c file', async () => {
    const dir = makeProject({Procfile: 'web: x\n'});
    expect(await rejectionMessagesOf(load(dir, {config: 'nope.yaml'}))).toEqual([`nope.yaml: not found at ${join(dir, 'nope.yaml')} (create it, or pass -c PATH)`]);
  });

  it('reports a dependency on an unknown process, listing the known ones', async () => {
    const dir = makeProject({Procfile: 'web: x\nworker: y\n', 'procdeck.yaml': 'processes:\n  web:\n    depends_on:\n      db: ready\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual(['procdeck.yaml:4: processes.web.depends_on.db: unknown process "db" (known: web, worker)']);
  });

  it('reports a dependency cycle by naming it', async () => {
    const dir = makeProject({
      Procfile: 'web: x\napi: y\nsolo: z\n',
      'procdeck.yaml': 'processes:\n  web:\n    depends_on: {api: started}\n  api:\n    depends_on: {web: ready}\n  solo:\n    depends_on: {solo: started}\n',
    });
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      'procdeck.yaml:3: processes.web.depends_on: dependency cycle web -> api -> web (remove one of these dependencies)',
      'procdeck.yaml:7: processes.solo.depends_on: dependency cycle solo -> solo (remove one of these dependencies)',
    ]);
  });

  it('reports a backoff whose initial delay exceeds its max', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'procdeck.yaml': 'processes:\n  web:\n    backoff: {initial: 1m, max: 5s}\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      'procdeck.yaml:3: processes.web.backoff: initial (60000ms) is longer than max (5000ms) (make max at least as long as initial)',
    ]);
  });

  it('refuses a readiness interval under 50ms, a zero readiness timeout and a zero max_memory', async () => {
    const dir = makeProject({
      Procfile: 'web: x\ndb: y\n',
      'procdeck.yaml': 'processes:\n  web:\n    ready: {exec: "false", interval: 0ms, timeout: 0}\n  db:\n    max_memory: 0\n    ready: {tcp: 5432, interval: 50ms}\n',
    });
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      'procdeck.yaml:3: processes.web.ready.interval: expected at least 50ms, got 0ms',
      "procdeck.yaml:3: processes.web.ready.timeout: expected more than 0 (leave it out for the default 60s)",
      'procdeck.yaml:5: processes.db.max_memory: expected more than 0 (leave max_memory out for no limit)',
    ]);
  });

  it('reports problems from every file at once and applies nothing', async () => {
    const dir = makeProject({
      Procfile: 'web: x\nbroken line\n',
      'procdeck.yaml': 'processes:\n  web:\n    restart: sometimes\n    extra: 1\n',
    });
    let thrown: unknown;
    try {
      await load(dir, {envFiles: ['missing.env']});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigErrors);
    expect((thrown as ConfigErrors).errors.map((e) => e.where)).toEqual(['procdeck.yaml:3', 'procdeck.yaml:4', 'Procfile:2', 'missing.env']);
  });
});

describe('loadStack: a broken Procfile', () => {
  it('does not also claim that its processes are missing from the config', async () => {
    const dir = makeProject({
      Procfile: 'web: x\nworker: y\noops\n',
      'procdeck.yaml': 'processes:\n  worker:\n    restart: always\n  web:\n    depends_on: {worker: started}\n',
    });
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      'Procfile:3: expected "name: command", got "oops" (put a colon after the process name)',
    ]);
  });
});

describe('selectProcesses', () => {
  const dir = () => makeProject({
    Procfile: 'web: x\nworker: y\ndb: z\nclock: c\n',
    'procdeck.yaml': 'processes:\n  web:\n    depends_on: {db: ready}\n',
  });

  it('keeps the named processes, what they depend on, and their ports', async () => {
    const stack = selectProcesses(await load(dir()), ['web']);
    expect(stack.processes.map((p) => [p.name, p.index])).toEqual([['web', 0], ['db', 2]]);
  });

  it('starts what it keeps, autostart: false or not: named, or needed by what is', async () => {
    const project = makeProject({
      Procfile: 'web: x\ndb: z\nadmin: a\n',
      'procdeck.yaml': 'processes:\n  web:\n    depends_on: {db: started}\n  db:\n    autostart: false\n  admin:\n    autostart: false\n',
    });
    const full = await load(project);
    expect(full.processes.map((p) => [p.name, p.autostart])).toEqual([['web', true], ['db', false], ['admin', false]]);
    expect(selectProcesses(full, ['web']).processes.map((p) => [p.name, p.autostart])).toEqual([['web', true], ['db', true]]);
    expect(selectProcesses(full, ['admin']).processes.map((p) => [p.name, p.autostart])).toEqual([['admin', true]]);
  });

  it('returns the whole stack when no names are given', async () => {
    expect(selectProcesses(await load(dir()), []).processes).toHaveLength(4);
  });

  it('rejects unknown names, listing the known ones', async () => {
    const stack = await load(dir());
    expect(() => selectProcesses(stack, ['web', 'wrker'])).toThrow(UsageError);
    expect(() => selectProcesses(stack, ['wrker'])).toThrow('unknown process "wrker" (known: web, worker, db, clock)');
  });
});

describe('loadStack: reserved names', () => {
  it('refuses a procdeck.yaml process named all, with its line', async () => {
    const dir = makeProject({Procfile: 'web: x\n', 'procdeck.yaml': 'processes:\n  all:\n    command: y\n'});
    expect(await rejectionMessagesOf(load(dir))).toEqual([
      `procdeck.yaml:2: processes.all: "all" is reserved for procdeck's own use (the merged view and -m all=N) (rename the process)`,
    ]);
  });
});
