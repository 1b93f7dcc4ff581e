import {describe, expect, it} from 'vitest';
import {exportCompose} from '../../../src/export/compose.js';
import {makeFullStack, makeProcess, makeStack, nastyValues} from '../../fixtures/export/stacks.js';
import {parseYamlBothWays, validateCompose} from '../../fixtures/export/schemas.js';
import {asYaml11Lines, rawForbidden} from './yaml-checks.js';

interface Service {
  image: string;
  command: string[];
  working_dir: string;
  environment: Record<string, string>;
  deploy: {replicas: number};
  restart: string;
  stop_signal: string;
  stop_grace_period: string;
  ports?: string[];
  healthcheck?: {test: string[]; interval: string};
  depends_on?: Record<string, {condition: string}>;
  user?: string;
}

function readCompose(stack = makeFullStack(), options: {app: string; image: string; user?: string} = {app: 'shop', image: 'registry.example.com/shop:1'}): {name: string; services: Record<string, Service>} {
  const result = exportCompose(stack, options);
  expect(result.files.map((file) => file.path)).toEqual(['docker-compose.yml']);
  const [doc] = parseYamlBothWays(result.files[0]?.content ?? '');
  expect(validateCompose(doc)).toEqual([]);
  return doc as {name: string; services: Record<string, Service>};
}

/** What Compose makes of a string: `$$` is a literal `$`; any other `$` would be substituted, so the test fails on it. */
function interpolate(text: string): string {
  return text.replace(/\$(.?)/gs, (_match, next: string) => {
    if (next !== '$') throw new Error(`Compose would substitute the $ in ${JSON.stringify(text)}`);
    return '$';
  });
}

describe('compose export', () => {
  // Regression: the dependency had replicas: 0, so Compose skipped it and the dependent started without
  // waiting, where `procdeck start` holds it; nothing said so.
  it('warns that a dependency with autostart off is skipped and not waited for', () => {
    const stack = makeStack([makeProcess('web', 0, {dependsOn: {debug: 'started'}}), makeProcess('debug', 1, {autostart: false})]);
    expect(readCompose(stack).services.debug?.deploy.replicas).toBe(0);
    expect(exportCompose(stack, {app: 'shop', image: 'x'}).warnings).toEqual([
      'compose: web depends on debug, which has autostart: false, so it has replicas: 0, Compose skips it, and web starts without waiting; procdeck holds web until you start debug',
    ]);
  });

  it('writes a schema-valid service per type (cron left out with a warning)', () => {
    const compose = readCompose();
    expect(compose.name).toBe('shop');
    expect(Object.keys(compose.services)).toEqual(['web', 'worker', 'db', 'migrate']);
    expect(exportCompose(makeFullStack(), {app: 'shop', image: 'x'}).warnings).toContainEqual(expect.stringMatching(/cron process backup/));
  });

  it('runs the command through /bin/sh -c with the formation as replicas and the policies mapped', () => {
    const {web, worker, migrate, db} = readCompose().services;
    expect(web?.command.map(interpolate)).toEqual(['/bin/sh', '-c', 'exec node server.js --port $PORT']);
    expect(web?.image).toBe('registry.example.com/shop:1');
    expect(web?.working_dir).toBe('/srv/app');
    expect(web?.deploy.replicas).toBe(2);
    expect(web?.restart).toBe('on-failure:3');
    expect(web?.stop_signal).toBe('SIGINT');
    expect(web?.stop_grace_period).toBe('10s');
    expect(worker?.restart).toBe('always');
    expect(migrate?.restart).toBe('no');
    expect(db?.restart).toBe('no');
  });

  it('publishes ports only for types that listen on PORT (or name a port in ready:)', () => {
    const {web, worker, db} = readCompose().services;
    expect(web?.ports).toEqual(['5000-5001:5000']);
    expect(db?.ports).toEqual(['5432:5432']);
    expect(worker?.ports).toBeUndefined();
  });

  it('turns depends_on into conditions and ready: into healthchecks', () => {
    const {web, worker, db} = readCompose().services;
    expect(web?.depends_on).toEqual({db: {condition: 'service_healthy'}, migrate: {condition: 'service_completed_successfully'}});
    expect(worker?.depends_on).toEqual({db: {condition: 'service_started'}});
    expect(web?.healthcheck?.test[1]).toContain("'http://localhost:5000/health'");
    expect(db?.healthcheck?.test).toEqual(['CMD-SHELL', "nc -z 127.0.0.1 '5432'"]);
  });

  it('sets the env files, env: and PORT, never the exporting user\'s environment', () => {
    const {web} = readCompose().services;
    expect(web?.environment).toEqual({DATABASE_URL: 'postgres://localhost/app', SHARED: 'from .env', LOG_LEVEL: 'debug', PORT: '5000', PS: 'web'});
  });

  // Regression: as PID 1, `sh -c CMD` neither passed docker stop's SIGTERM on nor died of it, so every
  // stop waited out the grace period and ended in SIGKILL. A simple command now replaces the shell.
  it('execs a simple command so the program itself is PID 1, and keeps a compound one (and every $$) as written', () => {
    const stack = makeStack([
      makeProcess('web', 0, {command: 'node server.js --port $PORT 2>&1'}),
      makeProcess('worker', 1, {command: 'cd app && node worker.js $(cat args)'}),
    ]);
    const {web, worker} = readCompose(stack).services;
    expect(web?.command).toEqual(['/bin/sh', '-c', 'exec node server.js --port $$PORT 2>&1']);
    expect(worker?.command).toEqual(['/bin/sh', '-c', 'cd app && node worker.js $$(cat args)']);
  });

  // Regression: U+2028, U+2029 and U+0085 went out raw, and YAML 1.1 readers (docker compose) end lines
  // there, so an env value, a command or --image could add a service.
  it('writes line separators, controls and tabs as escapes, so no value can add a service', () => {
    const lines = (...parts: string[]): string => parts.join('\u2028');
    const env = {
      LS: lines('x', 'services:', '  evil:', '    image: evil', '    privileged: true'),
      NEL: 'x\x85  evil2: {image: evil}', PS2: 'a\u2029b', DEL: 'a\x7fb', C1: 'a\x9bb', NONCHAR: 'a\ufffeb\uffff', BOM: '\ufeff',
      TSV: '\tcol2\nrow2', TAB: 'a\tb', UNIT_SEPARATOR: 'x\x1f;y',
    };
    const command = lines('node server.js', 'services:', '  evil:', '    image: evil');
    const stack = makeStack([makeProcess('web', 0, {command, env})]);
    const result = exportCompose(stack, {app: 'shop', image: 'shop:1\x85  evil3: {image: evil}'});
    const text = result.files[0]?.content ?? '';
    expect(text).not.toMatch(rawForbidden);
    const read = parseYamlBothWays(asYaml11Lines(text))[0] as {services: Record<string, Service>};
    expect(Object.keys(read.services)).toEqual(['web']);
    expect(read.services.web?.image).toBe('shop:1\x85  evil3: {image: evil}');
    expect(read.services.web?.command[2]).toBe(`exec ${command}`); // U+2028 is no separator to sh
    expect(read.services.web?.environment).toEqual({...env, PORT: '5000', PS: 'web'});
  });

  it.each(['', 'a b', 'x\ny', 'root\u2028'])('refuses the --user %j, as every format does', (user) => {
    expect(() => exportCompose(makeFullStack(), {app: 'shop', image: 'x', user})).toThrow(/^--user: expected a user name or uid/);
  });

  it('round-trips env values and commands full of quotes, $, %, backslashes and newlines exactly', () => {
    const command = `printf '%s\\n' "$(echo hi)" \`date\` 100% "it's" \\\\ ; echo $PORT\necho second line`;
    const stack = makeStack([makeProcess('web', 0, {command, env: {...nastyValues, BOOLISH: 'no', OCTAL: '0o12', NUMBER: '5000'}})]);
    const {web} = readCompose(stack).services;
    expect(web?.command.map(interpolate)).toEqual(['/bin/sh', '-c', command]);
    const env = Object.fromEntries(Object.entries(web?.environment ?? {}).map(([key, value]) => [key, interpolate(value)]));
    expect(env).toEqual({...nastyValues, BOOLISH: 'no', OCTAL: '0o12', NUMBER: '5000', PORT: '5000', PS: 'web'});
  });

  it('has a schema check that notices a misplaced field, so the passes above mean something', () => {
    expect(validateCompose({services: {web: {image: 'x', replicas: 2}}})).not.toEqual([]);
    expect(validateCompose({services: {web: {image: 'x', restart: 'no', deploy: {replicas: 'two'}}}})).not.toEqual([]);
  });

  it('requires --image with a message that says how to give it', () => {
    expect(() => exportCompose(makeFullStack(), {app: 'shop'})).toThrow(/--image is required/);
  });

  it('scales a type with autostart off to 0 replicas', () => {
    const stack = makeStack([makeProcess('web', 0), makeProcess('debug', 1, {autostart: false})]);
    expect(readCompose(stack).services.debug?.deploy.replicas).toBe(0);
  });
});
