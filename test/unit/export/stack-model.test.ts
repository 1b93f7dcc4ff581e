import {describe, expect, it} from 'vitest';
import {instanceExportEnv, listensOnPort, parseHttpCheck, servedPort, toGoDuration, typeEnv} from '../../../src/export/stack-model.js';
import {exportStack} from '../../../src/export/index.js';
import {makeProcess, makeStack} from '../../fixtures/export/stacks.js';

const ready = (check: NonNullable<Parameters<typeof makeProcess>[2]>['ready']) => ({ready: check});

describe('listensOnPort (SPEC §10)', () => {
  it.each([
    ['node server.js --port $PORT', {}, true],
    ['node server.js --port ${PORT}', {}, true],
    ['node server.js --port ${PORT:-3000}', {}, true],
    ['npm run dev', {PORT_ARG: '--port=${PORT-3000}'}, true],
    ['node server.js', {BIND: '0.0.0.0:$PORT'}, true],
    ['echo $PORTAL', {}, false],
    ['node worker.js', {}, false],
  ])('command %j with env %j → %s', (command, env, expected) => {
    expect(listensOnPort(makeProcess('web', 0, {command, env}))).toBe(expected);
  });

  it('counts an http or tcp ready check, not a log or exec one', () => {
    const timing = {intervalMs: 1000, timeoutMs: 5000};
    expect(listensOnPort(makeProcess('a', 0, ready({check: {kind: 'http', url: 'http://localhost:8080/'}, ...timing})))).toBe(true);
    expect(listensOnPort(makeProcess('a', 0, ready({check: {kind: 'tcp', port: '5432'}, ...timing})))).toBe(true);
    expect(listensOnPort(makeProcess('a', 0, ready({check: {kind: 'log', pattern: 'up'}, ...timing})))).toBe(false);
    expect(listensOnPort(makeProcess('a', 0, ready({check: {kind: 'exec', command: 'true'}, ...timing})))).toBe(false);
  });
});

describe('ports and env', () => {
  const stack = makeStack([makeProcess('web', 0, {command: 'serve $PORT', env: {A: 'own'}}), makeProcess('db', 1, ready({check: {kind: 'tcp', port: '5432'}, intervalMs: 1, timeoutMs: 1}))], {fileEnv: {A: 'file', B: 'file'}, basePort: 6000});

  it('gives PORT by foreman\'s rule and PS per instance, the process env winning over the files', () => {
    expect(instanceExportEnv(stack, stack.processes[0]!, 3)).toEqual({A: 'own', B: 'file', PORT: '6002', PS: 'web.3'});
  });

  it('serves on PORT, or on the port a ready check names', () => {
    expect(servedPort(stack, stack.processes[0]!, 1)).toBe(6000);
    expect(servedPort(stack, stack.processes[1]!, 1)).toBe(5432);
  });

  it('takes http checks apart', () => {
    expect(parseHttpCheck('https://localhost/health?deep=1', 7000)).toEqual({port: 443, path: '/health?deep=1', isHttps: true});
  });

  it('refuses env names no target can set', () => {
    const bad = makeStack([makeProcess('web', 0, {env: {'BAD-NAME': 'x'}})]);
    expect(() => typeEnv(bad, bad.processes[0]!)).toThrow(/BAD-NAME/);
  });
});

describe('small conversions', () => {
  it('writes Go durations', () => {
    expect([toGoDuration(5000), toGoDuration(1500)]).toEqual(['5s', '1500ms']);
  });

  it('refuses two processes that would be written to the same file, naming both', () => {
    const stack = makeStack([makeProcess('web', 0, {instances: 2}), makeProcess('web-1', 1, {cron: '0 3 * * *'})]);
    expect(() => exportStack('systemd', stack, {app: 'shop'})).toThrow(/^export systemd: processes web and web-1 would both be written to shop-web-1.service; rename one of them$/);
  });

  // Regression: a process named `env` was refused with "two processes would both be written to
  // shop-env.yaml", though the other file was the ConfigMap's. The ConfigMap's file name now holds
  // a `.`, which no process name can, so every name a process can have exports.
  it.each(['env', 'ENV', 'env_'])('exports a kubernetes process named %j beside the ConfigMap', (name) => {
    const stack = makeStack([makeProcess(name, 0), makeProcess('web', 1)]);
    const paths = exportStack('kubernetes', stack, {app: 'shop', image: 'x'}).files.map((file) => file.path);
    expect(paths).toEqual(['shop.env.yaml', `shop-${name.toLowerCase().replace('_', '')}.yaml`, 'shop-web.yaml']);
  });

  it('never lets a process name become a path', () => {
    const stack = makeStack([makeProcess('../../etc/x', 0)]);
    expect(() => exportStack('systemd', stack, {app: 'shop'})).toThrow(/invalid process name/);
  });
});
