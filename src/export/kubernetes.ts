/**
 * Kubernetes export: one ConfigMap with every env value, then per process
 * type a Deployment (plus a Service when it listens on PORT), a Job for a
 * oneshot or a CronJob for a cron process. Apply with `kubectl apply -f DIR`.
 */
// Types only (erased at build time): they make the compiler check every field name we write.
import {execScript} from '../core/shell-command.js';
import type {IConfigMap} from 'kubernetes-models/v1/ConfigMap';
import type {IContainer} from 'kubernetes-models/v1/Container';
import type {IEnvVar} from 'kubernetes-models/v1/EnvVar';
import type {IProbe} from 'kubernetes-models/v1/Probe';
import type {IService} from 'kubernetes-models/v1/Service';
import type {IDeployment} from 'kubernetes-models/apps/v1/Deployment';
import type {IJob} from 'kubernetes-models/batch/v1/Job';
import type {ICronJob} from 'kubernetes-models/batch/v1/CronJob';
import type {IJobSpec} from 'kubernetes-models/batch/v1/JobSpec';
import type {ProcessSpec, StackSpec} from '../config/spec.js';
import {instancePort} from '../config/ports.js';
import {UsageError} from '../config/errors.js';
import {escapeKubernetesExpansion, toDnsLabel} from './quote.js';
import {toStandardCron} from './cron-fields.js';
import {toYamlDocument} from './yaml-output.js';
import {describeBackoff, exportUser, hasOwnBackoff, hasOwnMaxRestarts, manualDependencies, manualDependencyWarning, parseHttpCheck, requireImage, servedPort, toSeconds, typeEnv, type ExportFile, type ExportOptions, type ExportResult} from './stack-model.js';
import {expandPort} from '../config/port-reference.js';

type Resource = IConfigMap | IService | IDeployment | IJob | ICronJob;

interface Context {
  stack: StackSpec;
  app: string;
  image: string;
  configMap: string;
  /** The zone CronJobs run in; undefined when the exporting machine's is unknown. */
  timeZone: string | undefined;
  /** `--user` as a uid: Kubernetes runs containers as a uid, never by user name. */
  runAsUser: number | undefined;
}

/** Manifests for `kubectl apply -f DIR`; `--image` names the image every container runs. */
export function exportKubernetes(stack: StackSpec, options: ExportOptions): ExportResult {
  const image = requireImage(options, 'kubernetes');
  // Service names must start with a letter (DNS-1035), and every name here starts with the app's.
  const label = toDnsLabel(options.app, 40);
  const app = /^[a-z]/.test(label) ? label : toDnsLabel(`app-${label}`, 40);
  const user = exportUser(options);
  const runAsUser = user !== undefined && /^\d+$/.test(user) ? Number(user) : undefined;
  const context: Context = {stack, app, image, configMap: `${app}-env`, timeZone: cronTimeZone(options), runAsUser};
  const warnings: string[] = [];
  if (user !== undefined && runAsUser === undefined) {
    warnings.push(`kubernetes: --user ${user} is a name, but Kubernetes runs containers as a uid: pass --user with a uid for securityContext.runAsUser (or set USER in the image)`);
  }
  // `.` is in no process file's name (process names are letters, digits, - and _), so no process can take this one.
  const files: ExportFile[] = [{path: `${app}.env.yaml`, content: render([configMapOf(context)])}];
  const seen = new Map<string, string>();
  for (const proc of stack.processes) {
    const name = toDnsLabel(`${app}-${proc.name}`);
    const clash = seen.get(name);
    if (clash !== undefined) throw new UsageError(`kubernetes: processes ${clash} and ${proc.name} both become the name ${name}; rename one (names are lowercased and _ becomes -)`);
    seen.set(name, proc.name);
    if (proc.stopSignal !== 'SIGTERM') {
      warnings.push(`kubernetes: ${proc.name} stops on ${proc.stopSignal}, but Kubernetes always sends SIGTERM; trap SIGTERM in the process or its image`);
    }
    if (proc.cron !== undefined && context.timeZone === undefined) {
      warnings.push(`kubernetes: ${proc.name} runs cron in local time, but this machine's time zone is unknown, so its CronJob runs in the cluster's (usually UTC); set spec.timeZone in ${name}.yaml`);
    }
    const dependencies = Object.keys(proc.dependsOn);
    if (dependencies.length > 0) {
      warnings.push(`kubernetes: ${proc.name} depends on ${dependencies.join(', ')}, but Kubernetes starts everything at once; ${proc.name} must retry until they answer (its readiness probe keeps traffic away meanwhile)`);
    }
    warnings.push(...policyWarnings(proc));
    for (const dependency of manualDependencies(stack, proc)) {
      warnings.push(manualDependencyWarning('kubernetes', proc, dependency, `it has replicas: 0 (or a suspended Job) and ${proc.name} starts without it`));
    }
    files.push({path: `${name}.yaml`, content: render(resourcesOf(context, proc, name)), process: proc.name});
  }
  return {files, warnings};
}

function resourcesOf(context: Context, proc: ProcessSpec, name: string): Resource[] {
  const labels = labelsOf(context, proc);
  if (proc.cron !== undefined) {
    const cronJob: ICronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {name: toDnsLabel(name, 52), labels},
      spec: {
        schedule: toStandardCron(proc, 'kubernetes'),
        ...(context.timeZone !== undefined && {timeZone: context.timeZone}),
        concurrencyPolicy: 'Forbid',
        suspend: !proc.autostart,
        // A failed run is retried by the next run, as procdeck does: the restart policy does not apply between runs.
        jobTemplate: {metadata: {labels}, spec: {...jobSpecOf(context, proc, labels, 1), backoffLimit: 0}},
      },
    };
    return [cronJob];
  }
  if (proc.oneshot) {
    const job: IJob = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name, labels},
      spec: {...jobSpecOf(context, proc, labels, Math.max(1, proc.instances)), suspend: !proc.autostart || proc.instances === 0},
    };
    return [job];
  }
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, labels},
    spec: {
      replicas: proc.autostart ? proc.instances : 0,
      selector: {matchLabels: labels},
      template: {
        metadata: {labels},
        spec: {terminationGracePeriodSeconds: toSeconds(proc.stopTimeoutMs), containers: [containerOf(context, proc, true)]},
      },
    },
  };
  const port = servedPort(context.stack, proc, 1);
  if (port === undefined) return [deployment];
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name, labels},
    spec: {selector: labels, ports: [{name: 'main', port, targetPort: port, protocol: 'TCP'}]},
  };
  return [deployment, service];
}

function jobSpecOf(context: Context, proc: ProcessSpec, labels: Record<string, string>, count: number): IJobSpec {
  return {
    completions: count,
    parallelism: count,
    backoffLimit: proc.restart === 'no' ? 0 : proc.maxRestarts,
    template: {
      metadata: {labels},
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: toSeconds(proc.stopTimeoutMs),
        containers: [containerOf(context, proc, false)],
      },
    },
  };
}

function containerOf(context: Context, proc: ProcessSpec, withProbe: boolean): IContainer {
  const container: IContainer = {
    name: toDnsLabel(proc.name),
    image: context.image,
    // Kubernetes expands $(VAR) in command; doubling every $ keeps the command literal for sh.
    // exec: the program is PID 1 and gets the pod's SIGTERM, which a shell as PID 1 would ignore.
    command: ['/bin/sh', '-c', escapeKubernetesExpansion(execScript(proc.command))],
    workingDir: proc.cwd,
    env: envOf(context, proc),
  };
  const port = servedPort(context.stack, proc, 1);
  if (port !== undefined) container.ports = [{name: 'main', containerPort: port, protocol: 'TCP'}];
  const probe = withProbe ? probeOf(context, proc) : undefined;
  if (probe !== undefined) container.readinessProbe = probe;
  if (proc.maxMemoryBytes !== undefined) container.resources = {limits: {memory: String(proc.maxMemoryBytes)}};
  if (context.runAsUser !== undefined) container.securityContext = {runAsUser: context.runAsUser};
  return container;
}

/**
 * Every variable comes from the one ConfigMap, so values never pass through
 * Kubernetes' `$(VAR)` expansion: shared values under their own name, a
 * type's own (its `env:` and PORT) under `TYPE.NAME`. PS is the pod's name.
 */
function envOf(context: Context, proc: ProcessSpec): IEnvVar[] {
  const shared = context.stack.fileEnv;
  const env = {...typeEnv(context.stack, proc), PORT: ''};
  const vars: IEnvVar[] = Object.keys(env).map((key) => {
    const isShared = key !== 'PORT' && !(key in proc.env) && key in shared;
    return {name: key, valueFrom: {configMapKeyRef: {name: context.configMap, key: isShared ? key : `${proc.name}.${key}`}}};
  });
  vars.push({name: 'PS', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}});
  return vars;
}

function configMapOf(context: Context): IConfigMap {
  const data: Record<string, string> = {...context.stack.fileEnv};
  for (const proc of context.stack.processes) {
    typeEnv(context.stack, proc); // checks the names before they become keys
    for (const [key, value] of Object.entries(proc.env)) data[`${proc.name}.${key}`] = value;
    data[`${proc.name}.PORT`] = String(instancePort(context.stack, proc, 1));
  }
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: context.configMap, labels: {'app.kubernetes.io/name': context.app, 'app.kubernetes.io/managed-by': 'procdeck'}}, data};
}

function probeOf(context: Context, proc: ProcessSpec): IProbe | undefined {
  const ready = proc.ready;
  if (ready === undefined) return undefined;
  const port = instancePort(context.stack, proc, 1);
  const timing = {periodSeconds: toSeconds(ready.intervalMs, 1), timeoutSeconds: toSeconds(ready.intervalMs, 1)};
  const check = ready.check;
  if (check.kind === 'http') {
    const http = parseHttpCheck(check.url, port);
    return {httpGet: {path: http.path, port: http.port, scheme: http.isHttps ? 'HTTPS' : 'HTTP'}, ...timing};
  }
  if (check.kind === 'tcp') {
    const tcpPort = Number(expandPort(check.port, port));
    return {tcpSocket: {port: Number.isInteger(tcpPort) && tcpPort > 0 ? tcpPort : port}, ...timing};
  }
  // The kubelet expands `$(VAR)` in probe commands too (and turns `$$` into `$`), so they are escaped like the container's.
  if (check.kind === 'exec') return {exec: {command: ['/bin/sh', '-c', escapeKubernetesExpansion(check.command)]}, ...timing};
  return undefined;
}

/**
 * The zone for `timeZone:` on CronJobs: procdeck and systemd timers run cron
 * in local time, so the exporting machine's zone is written, UTC too (left
 * out, the cluster's kube-controller-manager zone applies, which need not be
 * UTC). ICU names a zone it cannot tell `Etc/Unknown`, and no zone is no
 * answer either: then there is nothing true to write, and the caller warns.
 */
function cronTimeZone(options: ExportOptions): string | undefined {
  const zone = options.timeZone;
  if (zone === undefined || zone === 'Etc/Unknown' || !/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return undefined;
  return zone;
}

/**
 * One line for each policy of `proc` that its resource cannot keep: a
 * Deployment restarts every exit, without limit, and the kubelet and the Job
 * controller pick the delay (a CronJob's runs take no restart policy).
 */
function policyWarnings(proc: ProcessSpec): string[] {
  const warnings: string[] = [];
  const isDeployment = proc.cron === undefined && !proc.oneshot;
  if (isDeployment && proc.restart !== 'always') {
    warnings.push(`kubernetes: ${proc.name} has restart: ${proc.restart}, but a Deployment restarts its pods after every exit`);
  }
  if (isDeployment && proc.restart !== 'no' && hasOwnMaxRestarts(proc)) {
    warnings.push(`kubernetes: ${proc.name} has max_restarts ${proc.maxRestarts}, but a Deployment restarts its pods without limit (CrashLoopBackOff)`);
  }
  if (proc.cron === undefined && proc.restart !== 'no' && hasOwnBackoff(proc)) {
    warnings.push(`kubernetes: ${proc.name} has ${describeBackoff(proc)}, but Kubernetes waits its own delay between restarts (10s, doubling up to 5-6 min)`);
  }
  if (proc.oneshot && proc.cron === undefined && proc.maxMemoryBytes !== undefined && proc.restart === 'no') {
    warnings.push(`kubernetes: ${proc.name} has max_memory with restart: no; procdeck restarts it when it goes over, but its Job's pod is killed at the memory limit and not retried (backoffLimit: 0)`);
  }
  if (isDeployment && proc.ready?.check.kind === 'log') {
    warnings.push(`kubernetes: ${proc.name} has a log ready check, which Kubernetes cannot watch; it gets no readinessProbe and is ready once started`);
  }
  return warnings;
}

function labelsOf(context: Context, proc: ProcessSpec): Record<string, string> {
  return {'app.kubernetes.io/name': context.app, 'app.kubernetes.io/component': toDnsLabel(proc.name), 'app.kubernetes.io/managed-by': 'procdeck'};
}

function render(resources: Resource[]): string {
  // Each resource is its own YAML document, made by the library; only the list of them is joined.
  return resources.map((resource) => toYamlDocument(resource, {isDocStart: true})).join('');
}
