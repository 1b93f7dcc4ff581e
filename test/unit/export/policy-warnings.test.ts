/**
 * Every procdeck.yaml policy against every format: each is either written out
 * (no warning about it) or named in exactly one warning. Regression: supervisord
 * warned about nothing but cron, systemd never retried a oneshot and dropped
 * backoff.max, and Compose made `restart: always` unbounded, all without a word.
 */
import {describe, expect, it} from 'vitest';
import type {ProcessSpec} from '../../../src/config/spec.js';
import {exportCompose} from '../../../src/export/compose.js';
import {exportKubernetes} from '../../../src/export/kubernetes.js';
import {exportSupervisord} from '../../../src/export/supervisord.js';
import {exportSystemd} from '../../../src/export/systemd.js';
import type {Exporter} from '../../../src/export/stack-model.js';
import {makeProcess, makeStack} from '../../fixtures/export/stacks.js';

const exporters: Record<string, Exporter> = {systemd: exportSystemd, supervisord: exportSupervisord, compose: exportCompose, kubernetes: exportKubernetes};
type Expected = Record<keyof typeof exporters, RegExp | null>;

const tcp = {check: {kind: 'tcp' as const, port: '5432'}, intervalMs: 500, timeoutMs: 10_000};
const logCheck = {check: {kind: 'log' as const, pattern: 'listening'}, intervalMs: 500, timeoutMs: 10_000};

/** [what, web's policies, the dependency's, the policy the warnings are about, per format: null when kept, else the warning]. */
const cases: [string, Partial<ProcessSpec>, Partial<ProcessSpec> | undefined, RegExp, Expected][] = [
  ['restart: no', {}, undefined, /restart:/, {systemd: null, supervisord: null, compose: null, kubernetes: /restart: no, but a Deployment restarts its pods after every exit/}],
  ['restart: on-failure', {restart: 'on-failure'}, undefined, /restart:/, {systemd: null, supervisord: null, compose: null, kubernetes: /restart: on-failure, but a Deployment/}],
  ['restart: always, max_restarts 2', {restart: 'always', maxRestarts: 2}, undefined, /max_restarts/, {systemd: null, supervisord: /without limit once it has run startsecs/, compose: /"always" has no limit/, kubernetes: /without limit \(CrashLoopBackOff\)/}],
  ['restart: on-failure, max_restarts 2', {restart: 'on-failure', maxRestarts: 2}, undefined, /max_restarts/, {systemd: null, supervisord: /without limit/, compose: null, kubernetes: /without limit/}],
  ['oneshot, restart: on-failure, max_restarts 5', {oneshot: true, restart: 'on-failure', maxRestarts: 5}, undefined, /max_restarts/, {systemd: null, supervisord: /oneshot .* it is not retried/, compose: null, kubernetes: null}],
  // procdeck's own defaults (backoff 1s to 30s, max_restarts 10) are its safety net, not asked of the format: no warning.
  ['restart: always with the default backoff and max_restarts', {restart: 'always'}, undefined, /backoff|max_restarts/, {systemd: null, supervisord: null, compose: null, kubernetes: null}],
  // The same values written in procdeck.yaml were asked for: warned about as any other.
  ['backoff and max_restarts written with the default values', {restart: 'always', backoff: {initialMs: 1000, maxMs: 30_000}, maxRestarts: 10, written: {backoff: true, maxRestarts: true}}, undefined, /backoff/, {systemd: /does not double up to max/, supervisord: /restarts at once after a run/, compose: /Docker waits its own delay/, kubernetes: /Kubernetes waits its own delay/}],
  ['backoff 2s doubling to 1m', {restart: 'always', backoff: {initialMs: 2000, maxMs: 60_000}}, undefined, /backoff/, {systemd: /does not double up to max/, supervisord: /restarts at once after a run/, compose: /Docker waits its own delay/, kubernetes: /Kubernetes waits its own delay/}],
  ['backoff 2s, never growing', {restart: 'always', backoff: {initialMs: 2000, maxMs: 2000}}, undefined, /backoff/, {systemd: null, supervisord: /restarts at once/, compose: /own delay/, kubernetes: /own delay/}],
  ['backoff with restart: no', {backoff: {initialMs: 1000, maxMs: 60_000}}, undefined, /backoff/, {systemd: null, supervisord: null, compose: null, kubernetes: null}],
  ['max_memory, restart: no', {maxMemoryBytes: 1e8}, undefined, /max_memory/, {systemd: /MemoryMax= and, under Restart=no, leaves it stopped/, supervisord: /no memory limit/, compose: /under restart: no, leaves it stopped/, kubernetes: null}],
  ['max_memory, restart: on-failure', {maxMemoryBytes: 1e8, restart: 'on-failure'}, undefined, /max_memory/, {systemd: null, supervisord: /no memory limit/, compose: null, kubernetes: null}],
  ['max_memory on a oneshot, restart: no', {maxMemoryBytes: 1e8, oneshot: true}, undefined, /max_memory/, {systemd: /leaves it stopped/, supervisord: /no memory limit/, compose: /leaves it stopped/, kubernetes: /not retried/}],
  ['a tcp ready check', {ready: tcp}, undefined, /ready check/, {systemd: null, supervisord: /tcp ready check, but supervisord has no readiness/, compose: null, kubernetes: null}],
  ['a log ready check', {ready: logCheck}, undefined, /ready check/, {systemd: null, supervisord: /log ready check/, compose: null, kubernetes: /log ready check, which Kubernetes cannot watch/}],
  ['depends_on started', {dependsOn: {dep: 'started'}}, {}, /depends[_ ]on/, {systemd: null, supervisord: null, compose: null, kubernetes: /starts everything at once/}],
  ['depends_on ready', {dependsOn: {dep: 'ready'}}, {ready: tcp}, /depends[_ ]on/, {systemd: null, supervisord: /does not wait for it to be ready/, compose: null, kubernetes: /starts everything at once/}],
  ['depends_on completed, on a oneshot', {dependsOn: {dep: 'completed'}}, {oneshot: true}, /depends[_ ]on/, {systemd: null, supervisord: /to be completed/, compose: null, kubernetes: /at once/}],
  ['depends_on completed, on a server', {dependsOn: {dep: 'completed'}}, {}, /depends[_ ]on/, {systemd: /is not a oneshot/, supervisord: /to be completed/, compose: null, kubernetes: /at once/}],
  ['depends_on a cron process', {dependsOn: {dep: 'completed'}}, {cron: '0 3 * * *'}, /depends[_ ]on/, {systemd: /a unit cannot wait for a timer's run/, supervisord: /a cron process, which is left out/, compose: /a cron process, which is left out/, kubernetes: /at once/}],
  ['depends_on a process with autostart: false', {dependsOn: {dep: 'started'}}, {autostart: false}, /autostart: false/, {systemd: /only ordered after/, supervisord: /starts without it/, compose: /Compose skips it/, kubernetes: /replicas: 0/}],
  ['stop_signal SIGINT', {stopSignal: 'SIGINT'}, undefined, /SIGINT/, {systemd: null, supervisord: null, compose: null, kubernetes: /always sends SIGTERM/}],
  ['stop_timeout 1.5s', {stopTimeoutMs: 1500}, undefined, /stop/, {systemd: null, supervisord: null, compose: null, kubernetes: null}],
  ['autostart: false', {autostart: false}, undefined, /autostart/, {systemd: null, supervisord: null, compose: null, kubernetes: null}],
  ['env and cwd', {env: {LOG_LEVEL: 'debug'}, cwd: '/srv/other'}, undefined, /env|cwd|LOG_LEVEL|director/, {systemd: null, supervisord: null, compose: null, kubernetes: null}],
  ['cron', {cron: '0 3 * * *', restart: 'on-failure'}, undefined, /cron|schedul/, {systemd: null, supervisord: /has no scheduler: cron process web/, compose: /has no scheduler: cron process web/, kubernetes: null}],
];

describe('what each format does with each policy', () => {
  for (const [what, policies, dependency, topic, expected] of cases) {
    describe(what, () => {
      it.each(Object.keys(exporters))('%s writes it out or warns about it once', (format) => {
        const processes = [makeProcess('web', 0, policies), ...(dependency ? [makeProcess('dep', 1, dependency)] : [])];
        const warnings = exporters[format]?.(makeStack(processes), {app: 'shop', image: 'x', timeZone: 'UTC'}).warnings ?? [];
        const aboutIt = warnings.filter((warning) => /\bweb\b/.test(warning) && topic.test(warning));
        const wanted = expected[format];
        expect(aboutIt).toEqual(wanted === null || wanted === undefined ? [] : [expect.stringMatching(wanted)]);
      });
    });
  }
});
