import {describe, expect, it} from 'vitest';
import {exportKubernetes} from '../../../src/export/kubernetes.js';
import {makeFullStack, makeProcess, makeStack, nastyValues} from '../../fixtures/export/stacks.js';
import {parseYamlBothWays, validateKubernetes} from '../../fixtures/export/schemas.js';
import {asYaml11Lines, rawForbidden} from './yaml-checks.js';

// Loose views of the parsed manifests: the schema check has already vouched for their shape.
type Resource = {kind: string; metadata: {name: string}; spec: any; data?: Record<string, string>};

function readManifests(stack = makeFullStack(), options: {app: string; image?: string; user?: string; timeZone?: string} = {app: 'shop', image: 'registry.example.com/shop:1'}): Map<string, Resource[]> {
  const result = exportKubernetes(stack, options);
  const files = new Map<string, Resource[]>();
  for (const file of result.files) {
    const resources = parseYamlBothWays(file.content) as Resource[];
    for (const resource of resources) expect({file: file.path, errors: validateKubernetes(resource)}).toEqual({file: file.path, errors: []});
    files.set(file.path, resources);
  }
  return files;
}

/** What Kubernetes makes of a command or env value: `$$` is a literal `$`, `$(VAR)` would be expanded. */
function expand(text: string): string {
  return text.replace(/\$(.?)/gs, (match, next: string) => {
    if (next === '(') throw new Error(`Kubernetes would expand ${JSON.stringify(text)}`);
    return next === '$' ? '$' : match;
  });
}

function container(resource: Resource | undefined): any {
  const podSpec = resource?.kind === 'CronJob' ? resource.spec.jobTemplate.spec.template.spec : resource?.spec.template.spec;
  return podSpec?.containers[0];
}

describe('kubernetes export', () => {
  it('writes schema-valid manifests: a ConfigMap, Deployments (+ Services), a Job and a CronJob', () => {
    const files = readManifests();
    expect([...files.keys()]).toEqual(['shop.env.yaml', 'shop-web.yaml', 'shop-worker.yaml', 'shop-db.yaml', 'shop-migrate.yaml', 'shop-backup.yaml']);
    const kinds = Object.fromEntries([...files].map(([path, resources]) => [path, resources.map((resource) => resource.kind)]));
    expect(kinds).toEqual({
      'shop.env.yaml': ['ConfigMap'], 'shop-web.yaml': ['Deployment', 'Service'], 'shop-worker.yaml': ['Deployment'],
      'shop-db.yaml': ['Deployment', 'Service'], 'shop-migrate.yaml': ['Job'], 'shop-backup.yaml': ['CronJob'],
    });
  });

  it('maps the formation, command, stop timeout, ready check and ports', () => {
    const [web, service] = readManifests().get('shop-web.yaml') ?? [];
    expect(web?.spec.replicas).toBe(2);
    expect(web?.spec.template.spec.terminationGracePeriodSeconds).toBe(10);
    const main = container(web);
    expect(main.image).toBe('registry.example.com/shop:1');
    expect(main.command.map(expand)).toEqual(['/bin/sh', '-c', 'exec node server.js --port $PORT']);
    expect(main.readinessProbe).toMatchObject({httpGet: {path: '/health', port: 5000}, periodSeconds: 1});
    expect(main.ports).toEqual([{name: 'main', containerPort: 5000, protocol: 'TCP'}]);
    expect(service?.spec.ports).toEqual([{name: 'main', port: 5000, targetPort: 5000, protocol: 'TCP'}]);
    expect(container(readManifests().get('shop-db.yaml')?.[0]).readinessProbe).toMatchObject({tcpSocket: {port: 5432}});
  });

  it('turns oneshot processes into Jobs and cron processes into CronJobs', () => {
    const files = readManifests();
    const job = files.get('shop-migrate.yaml')?.[0];
    expect(job?.spec.template.spec.restartPolicy).toBe('Never');
    expect(job?.spec.backoffLimit).toBe(0);
    const cronJob = files.get('shop-backup.yaml')?.[0];
    expect(cronJob?.spec.schedule).toBe('0 3 * * *');
    expect(container(cronJob).command).toEqual(['/bin/sh', '-c', 'exec ./backup.sh']);
  });

  // Regression: the schedule went out as procdeck took it, and the API server refused day of week 7 (and
  // would refuse L, # and W), while the CronJob ran in the cluster's time zone rather than local time.
  it('writes a schedule Kubernetes accepts, in the exporting machine\'s time zone', () => {
    const stack = makeStack([makeProcess('backup', 0, {cron: '0 3 * * 5-7'})]);
    for (const timeZone of ['Europe/Paris', 'UTC']) {
      const cronJob = readManifests(stack, {app: 'shop', image: 'x', timeZone}).get('shop-backup.yaml')?.[0];
      expect(cronJob?.spec).toMatchObject({schedule: '0 3 * * 0,5-6', timeZone});
      expect(exportKubernetes(stack, {app: 'shop', image: 'x', timeZone}).warnings).toEqual([]);
    }
    const unknown = exportKubernetes(stack, {app: 'shop', image: 'x', timeZone: 'Etc/Unknown'});
    expect(unknown.files[1]?.content).not.toContain('timeZone');
    expect(unknown.warnings).toEqual([expect.stringMatching(/^kubernetes: backup runs cron in local time, but this machine's time zone is unknown.*set spec.timeZone in shop-backup.yaml$/)]);
    const last = makeStack([makeProcess('backup', 0, {cron: '0 3 L * *'})]);
    expect(() => exportKubernetes(last, {app: 'shop', image: 'x'})).toThrow(/^kubernetes: process backup \(Procfile:1\) has cron "0 3 L \* \*": day of month "L"/);
  });

  // Regression: a CronJob's Jobs retried a failed run max_restarts times, where procdeck leaves the retry to the next run.
  it('never retries a CronJob run within the Job, whatever the restart policy', () => {
    const stack = makeStack([makeProcess('backup', 0, {cron: '0 3 * * *', restart: 'on-failure', maxRestarts: 4})]);
    expect(readManifests(stack).get('shop-backup.yaml')?.[0]?.spec.jobTemplate.spec.backoffLimit).toBe(0);
  });

  it('takes every env value from the one ConfigMap, per-type values under TYPE.NAME', () => {
    const files = readManifests();
    const configMap = files.get('shop.env.yaml')?.[0];
    const env = container(files.get('shop-web.yaml')?.[0]).env as {name: string; valueFrom: {configMapKeyRef?: {name: string; key: string}; fieldRef?: {fieldPath: string}}}[];
    const resolved = Object.fromEntries(env.map((entry) => [entry.name, entry.valueFrom.configMapKeyRef ? configMap?.data?.[entry.valueFrom.configMapKeyRef.key] : entry.valueFrom.fieldRef?.fieldPath]));
    expect(resolved).toEqual({DATABASE_URL: 'postgres://localhost/app', SHARED: 'from .env', LOG_LEVEL: 'debug', PORT: '5000', PS: 'metadata.name'});
    expect(env.every((entry) => entry.valueFrom.configMapKeyRef === undefined || entry.valueFrom.configMapKeyRef.name === 'shop-env')).toBe(true);
  });

  it('round-trips env values and commands full of quotes, $, %, backslashes and newlines exactly', () => {
    const command = `printf '%s\\n' "$(echo hi)" \`date\` 100% "it's" \\\\ ; echo $PORT\necho second line`;
    const stack = makeStack([makeProcess('web', 0, {command, env: {...nastyValues, BOOLISH: 'no', OCTAL: '0o12'}})], {fileEnv: {YES: 'yes'}});
    const files = readManifests(stack);
    expect(container(files.get('shop-web.yaml')?.[0]).command.map(expand)).toEqual(['/bin/sh', '-c', command]);
    const data = files.get('shop.env.yaml')?.[0]?.data ?? {};
    expect(data.YES).toBe('yes');
    for (const [key, value] of Object.entries({...nastyValues, BOOLISH: 'no', OCTAL: '0o12'})) expect({key, value: data[`web.${key}`]}).toEqual({key, value});
  });

  // Regression: as PID 1, `sh -c CMD` ignored the pod's SIGTERM, so every stop waited out terminationGracePeriodSeconds.
  it('execs a simple command so the program itself is PID 1, and keeps a compound one (and every $$) as written', () => {
    const stack = makeStack([makeProcess('web', 0, {command: 'node server.js --port $PORT'}), makeProcess('worker', 1, {command: 'cd app && node $(cat main)'})]);
    const files = readManifests(stack);
    expect(container(files.get('shop-web.yaml')?.[0]).command).toEqual(['/bin/sh', '-c', 'exec node server.js --port $$PORT']);
    expect(container(files.get('shop-worker.yaml')?.[0]).command).toEqual(['/bin/sh', '-c', 'cd app && node $$(cat main)']);
  });

  // Regression: the exec probe went in as written, but the kubelet expands `$(VAR)` in probe commands too and turns
  // `$$` into `$`, so `$(cat pidfile)` and `$$` changed meaning. `expand` reads it back as the kubelet does.
  it('escapes an exec readiness probe as the kubelet expands it, so the check runs as written', () => {
    const check = 'test "$(cat /tmp/ready)" = ok && kill -0 $$ && echo ${HOME} $(PORT)';
    const stack = makeStack([makeProcess('web', 0, {ready: {check: {kind: 'exec', command: check}, intervalMs: 1000, timeoutMs: 5000}})]);
    const probe = container(readManifests(stack).get('shop-web.yaml')?.[0]).readinessProbe;
    expect(probe.exec.command.map(expand)).toEqual(['/bin/sh', '-c', check]);
  });

  // Regression: U+2028, U+2029 and U+0085 went out raw, and kubectl's YAML 1.1 reader ends lines there, so a
  // value could add fields such as a privileged securityContext; DEL, C1 and U+FFFE made the file unreadable.
  it('writes line separators, controls and tabs as escapes, so no value can add a field', () => {
    const env = {
      LS: 'x\u2028      securityContext: {privileged: true}', NEL: 'x\x85evil: 1', PS2: 'a\u2029b', DEL: 'a\x7fb', C1: 'a\x9bb',
      NONCHAR: 'a\ufffeb', TSV: '\tcol2\nrow2', TAB: 'a\tb',
    };
    const command = 'node server.js\u2028      securityContext:\u2028        privileged: true';
    const result = exportKubernetes(makeStack([makeProcess('web', 0, {command, env})]), {app: 'shop', image: 'img\u2029x'});
    for (const file of result.files) {
      expect(file.content).not.toMatch(rawForbidden);
      expect(parseYamlBothWays(asYaml11Lines(file.content))).toEqual(parseYamlBothWays(file.content));
    }
    const files = readManifests(makeStack([makeProcess('web', 0, {command, env})]), {app: 'shop', image: 'img\u2029x'});
    const main = container(files.get('shop-web.yaml')?.[0]);
    expect(main.securityContext).toBeUndefined();
    expect([main.image, main.command[2]]).toEqual(['img\u2029x', `exec ${command}`]); // U+2028 is no separator to sh
    const data = files.get('shop.env.yaml')?.[0]?.data ?? {};
    for (const [key, value] of Object.entries(env)) expect({key, value: data[`web.${key}`]}).toEqual({key, value});
  });

  it('refuses a bad --user as every format does, though it only warns about a good one', () => {
    expect(() => exportKubernetes(makeFullStack(), {app: 'shop', image: 'x', user: 'a b'})).toThrow(/^--user: expected a user name or uid/);
  });

  it('runs every container as a uid given with --user, and says a name cannot be used', () => {
    const files = readManifests(makeFullStack(), {app: 'shop', image: 'x', user: '1000'});
    expect(container(files.get('shop-web.yaml')?.[0]).securityContext).toEqual({runAsUser: 1000});
    expect(exportKubernetes(makeFullStack(), {app: 'shop', image: 'x', user: '1000'}).warnings.filter((w) => w.includes('--user'))).toEqual([]);
    expect(exportKubernetes(makeFullStack(), {app: 'shop', image: 'x', user: 'deploy'}).warnings).toContain(
      'kubernetes: --user deploy is a name, but Kubernetes runs containers as a uid: pass --user with a uid for securityContext.runAsUser (or set USER in the image)',
    );
  });

  it('sanitises names to DNS labels and refuses two processes that would share one', () => {
    const stack = makeStack([makeProcess('Web_Server', 0), makeProcess('worker', 1)]);
    expect([...readManifests(stack, {app: 'My App', image: 'x'}).keys()]).toEqual(['my-app.env.yaml', 'my-app-web-server.yaml', 'my-app-worker.yaml']);
    expect([...readManifests(stack, {app: '2048', image: 'x'}).keys()][1]).toBe('app-2048-web-server.yaml');
    const clash = makeStack([makeProcess('web_a', 0), makeProcess('web-a', 1)]);
    expect(() => exportKubernetes(clash, {app: 'shop', image: 'x'})).toThrow(/web_a and web-a/);
  });

  it('warns that a dependency with autostart off is never started there', () => {
    const stack = makeStack([makeProcess('web', 0, {dependsOn: {debug: 'started'}}), makeProcess('debug', 1, {autostart: false})]);
    expect(exportKubernetes(stack, {app: 'shop', image: 'x'}).warnings).toContain(
      'kubernetes: web depends on debug, which has autostart: false, so it has replicas: 0 (or a suspended Job) and web starts without it; procdeck holds web until you start debug',
    );
  });

  it('requires --image and warns about what Kubernetes cannot express', () => {
    expect(() => exportKubernetes(makeFullStack(), {app: 'shop'})).toThrow(/--image is required/);
    const warnings = exportKubernetes(makeFullStack(), {app: 'shop', image: 'x', user: 'deploy'}).warnings;
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/--user/), expect.stringMatching(/web stops on SIGINT/), expect.stringMatching(/web depends on db, migrate/),
    ]));
  });

  it('has a schema check that notices a wrong field type, so the passes above mean something', () => {
    expect(validateKubernetes({kind: 'Deployment', apiVersion: 'apps/v1', metadata: {name: 'x'}, spec: {replicas: 'two', selector: {}, template: {}}} as never)).not.toEqual([]);
  });
});
