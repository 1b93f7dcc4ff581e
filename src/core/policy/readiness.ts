/**
 * Readiness checks (`ready:` in procdeck.yaml): an instance stays `starting`
 * until its check passes. http (2xx), tcp (connect), log (a line of its own
 * output matches) and exec (a command exits 0), tried every `interval`; past
 * `timeout` the watch says so once and keeps trying, because a slow server
 * that comes up late should still release what depends on it.
 *
 *   const watch = new ReadinessWatch(spec.ready, {port, cwd, env, spawn, clock}, {onReady, onTimeout});
 *   watch.start();
 *   watch.observeLine(text);   // every output line, for `log:` checks
 *   watch.cancel();            // on any state change: no timer, socket or probe process survives it
 */
import type {ClientRequest} from 'node:http';
import net from 'node:net';
import stripAnsi from 'strip-ansi';
import type {ReadyCheck, ReadySpec} from '../../config/spec.js';
import {expandPort} from '../../config/port-reference.js';
import type {Clock} from '../clock.js';
import type {Spawner} from '../spawn.js';
import {signalGroup} from '../process-group.js';

/** What a probe needs from the instance it watches. */
export interface ProbeContext {
  port: number;
  cwd: string;
  env: Record<string, string>;
  spawn: Spawner;
  clock: Clock;
}

export interface ReadinessHooks {
  onReady(elapsedMs: number): void;
  /** Called once when `timeout` passes without success; checking goes on. */
  onTimeout(elapsedMs: number): void;
}

/** One try of a check: resolves true on success; `cancel` ends its socket or process now. */
interface Attempt {
  done: Promise<boolean>;
  cancel(): void;
}

/** The check in words for messages: `http://localhost:5000/health`, `tcp localhost:5432`. */
export function describeReadyCheck(check: ReadyCheck, port: number): string {
  switch (check.kind) {
    case 'http':
      return expandPort(check.url, port);
    case 'tcp': {
      const {host, port: target} = parseTcpTarget(expandPort(check.port, port));
      return `tcp ${host}:${target}`;
    }
    case 'log':
      return `log /${check.pattern}/`;
    case 'exec':
      return `exec ${expandPort(check.command, port)}`;
  }
}

/** `5432` → localhost:5432; `db:5432` → db:5432. */
export function parseTcpTarget(value: string): {host: string; port: number} {
  const colon = value.lastIndexOf(':');
  if (colon === -1) return {host: 'localhost', port: Number(value.trim())};
  return {host: value.slice(0, colon).replace(/^\[|\]$/g, '') || 'localhost', port: Number(value.slice(colon + 1).trim())};
}

/** Tries a readiness check until it passes or the watch is cancelled. */
export class ReadinessWatch {
  private readonly timers = new Set<unknown>();
  private attempt: Attempt | undefined;
  private pattern: RegExp | undefined;
  private isCancelled = false;
  private startedAt = 0;

  constructor(
    private readonly spec: ReadySpec,
    private readonly context: ProbeContext,
    private readonly hooks: ReadinessHooks,
  ) {}

  start(): void {
    this.startedAt = this.context.clock.now();
    this.setTimer(this.spec.timeoutMs, () => this.hooks.onTimeout(this.elapsedMs()));
    if (this.spec.check.kind === 'log') {
      // The schema has compiled this pattern already, so it cannot throw here.
      this.pattern = new RegExp(this.spec.check.pattern);
      return;
    }
    this.probe();
  }

  /** Feeds one output line to a `log:` check (ANSI colors removed: FORCE_COLOR is set for children). */
  observeLine(text: string): void {
    if (this.isCancelled || !this.pattern) return;
    if (this.pattern.test(stripAnsi(text))) this.succeed();
  }

  /** Stops checking: clears every timer and ends an attempt in flight (its socket or probe process). */
  cancel(): void {
    this.isCancelled = true;
    for (const handle of this.timers) this.context.clock.clearTimeout(handle);
    this.timers.clear();
    this.attempt?.cancel();
    this.attempt = undefined;
  }

  private probe(): void {
    // One attempt may take as long as the interval, but at least 2s (a cold `pg_isready`, a slow first request).
    const attemptMs = Math.min(this.spec.timeoutMs, Math.max(this.spec.intervalMs, 2000));
    const attempt = startAttempt(this.spec.check, this.context, attemptMs);
    this.attempt = attempt;
    void attempt.done.then((isReady) => {
      if (this.isCancelled || this.attempt !== attempt) return;
      this.attempt = undefined;
      if (isReady) this.succeed();
      else this.setTimer(this.spec.intervalMs, () => this.probe());
    });
  }

  private succeed(): void {
    const elapsedMs = this.elapsedMs();
    this.cancel();
    this.hooks.onReady(elapsedMs);
  }

  private elapsedMs(): number {
    return this.context.clock.now() - this.startedAt;
  }

  private setTimer(ms: number, callback: () => void): void {
    const handle = this.context.clock.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.isCancelled) callback();
    }, ms);
    this.timers.add(handle);
  }
}

function startAttempt(check: ReadyCheck, context: ProbeContext, timeoutMs: number): Attempt {
  switch (check.kind) {
    case 'http':
      return attemptHttp(expandPort(check.url, context.port), timeoutMs);
    case 'tcp':
      return attemptTcp(parseTcpTarget(expandPort(check.port, context.port)), timeoutMs);
    case 'exec':
      return attemptExec(expandPort(check.command, context.port), context, timeoutMs);
    case 'log':
      return {done: Promise.resolve(false), cancel: () => {}};
  }
}

function attemptHttp(url: string, timeoutMs: number): Attempt {
  let request: ClientRequest | undefined;
  let isCancelled = false;
  const done = (async () => {
    // Loaded on the first probe: node:http and node:https cost ~15 ms of every start-up otherwise.
    const {get} = url.startsWith('https:') ? await import('node:https') : await import('node:http');
    if (isCancelled) return false;
    return new Promise<boolean>((resolve) => {
      try {
        // No keep-alive agent: a pooled socket would outlive the check and hold the event loop.
        // Self-signed certificates are normal on development servers, so they count as up.
        request = get(url, {agent: false, timeout: timeoutMs, rejectUnauthorized: false}, (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          request?.destroy();
          // A redirect counts, as in Kubernetes' httpGet and `curl -f` (the exported
          // checks): a dev server's `/` often redirects to a login page.
          resolve(status >= 200 && status < 400);
        });
        request.on('timeout', () => request?.destroy());
        request.on('error', () => resolve(false));
        request.on('close', () => resolve(false));
      } catch {
        // An invalid URL after $PORT expansion: never ready, the timeout message names the URL.
        resolve(false);
      }
    });
  })();
  return {
    done,
    cancel: () => {
      isCancelled = true;
      request?.destroy();
    },
  };
}

function attemptTcp(target: {host: string; port: number}, timeoutMs: number): Attempt {
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    return {done: Promise.resolve(false), cancel: () => {}};
  }
  const socket = net.connect({host: target.host, port: target.port});
  socket.setTimeout(timeoutMs);
  const done = new Promise<boolean>((resolve) => {
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
  return {done, cancel: () => socket.destroy()};
}

function attemptExec(command: string, context: ProbeContext, timeoutMs: number): Attempt {
  // Spawned like an instance (own process group), so a probe's own children die with it.
  const child = context.spawn({command, cwd: context.cwd, env: context.env}, {onData: () => {}, onStreamsEnd: () => {}});
  const pid = child.pid;
  let isFinished = false;
  const kill = () => {
    if (!isFinished && pid !== null) signalGroup(pid, 'SIGKILL');
  };
  const timer = context.clock.setTimeout(kill, timeoutMs);
  const done = child.exited.then((exit) => {
    isFinished = true;
    context.clock.clearTimeout(timer);
    return exit.code === 0 && exit.signal === null && exit.error === undefined;
  });
  return {
    done,
    cancel: () => {
      context.clock.clearTimeout(timer);
      kill();
    },
  };
}
