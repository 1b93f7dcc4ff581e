/**
 * A scripted SupervisorApi for UI tests: the test sets the stack, appends
 * lines and emits events; the fake records every dispatched command and
 * answers with `respond` (default: ok, "<type> <target>").
 */
import {EventEmitter} from 'node:events';
import type {
  InstanceSnapshot, InstanceState, LogLine, LogWindow, StackSnapshot, StatsSample, SupervisorApi, SupervisorEvents, UnfinishedLine,
} from '../../src/core/api.js';
import type {Command, Outcome} from '../../src/core/commands.js';

export class FakeApi implements SupervisorApi {
  stack: StackSnapshot;
  readonly lines: LogLine[] = [];
  readonly dispatched: Command[] = [];
  respond: (command: Command) => Outcome | Promise<Outcome> = (command) => ({
    ok: true,
    message: `${command.type} ${'target' in command ? command.target : ''}`.trim(),
  });
  /** How many times readLog was called, and the largest limit asked for. */
  readCalls = 0;
  largestLimit = 0;
  private seq = 0;
  private readonly events = new EventEmitter();
  private readonly unfinished = new Map<string, UnfinishedLine[]>();

  constructor(stack: Partial<StackSnapshot> & {instances: InstanceSnapshot[]}) {
    const types = stack.types ?? typesOf(stack.instances);
    this.stack = {name: 'demo', root: '/tmp/demo', shutdown: null, remote: false, ...stack, types};
  }

  snapshot(): StackSnapshot {
    return structuredClone(this.stack);
  }

  async dispatch(command: Command): Promise<Outcome> {
    this.dispatched.push(command);
    return this.respond(command);
  }

  readLog(id: string, window: LogWindow, keep: (line: LogLine) => boolean = () => true): readonly LogLine[] {
    this.readCalls += 1;
    this.largestLimit = Math.max(this.largestLimit, window.limit);
    const source = id === 'all' ? this.lines : this.lines.filter((line) => line.id === id);
    const inWindow = source.filter(
      (line) => (window.beforeSeq === undefined || line.seq < window.beforeSeq) && (window.afterSeq === undefined || line.seq > window.afterSeq) && keep(line),
    );
    return window.afterSeq === undefined ? inWindow.slice(Math.max(0, inWindow.length - window.limit)) : inWindow.slice(0, window.limit);
  }

  unfinishedLines(id: string): readonly UnfinishedLine[] {
    return this.unfinished.get(id) ?? [];
  }

  /** Sets what an instance has begun but not ended printing, and emits `unfinished`. */
  setUnfinished(id: string, lines: UnfinishedLine[]): void {
    this.unfinished.set(id, lines);
    this.events.emit('unfinished', id);
  }

  on<E extends keyof SupervisorEvents>(event: E, listener: (...args: SupervisorEvents[E]) => void): () => void {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return () => this.events.off(event, listener as (...args: unknown[]) => void);
  }

  /** Appends a line and emits `log`, as the engine does when a child prints. */
  print(id: string, text: string, stream: LogLine['stream'] = 'stdout'): LogLine {
    this.seq += 1;
    const line: LogLine = {seq: this.seq, id, stream, text, time: Date.now()};
    this.lines.push(line);
    const instance = this.stack.instances.find((i) => i.id === id);
    if (instance) instance.lastSeq = line.seq;
    this.events.emit('log', line);
    return line;
  }

  /** Changes an instance's state and emits `state`. */
  setState(id: string, state: InstanceState, patch: Partial<InstanceSnapshot> = {}): void {
    const instance = this.stack.instances.find((i) => i.id === id);
    if (!instance) throw new Error(`fake: no instance ${id}`);
    Object.assign(instance, patch, {state});
    instance.pid = 'pid' in state ? state.pid : instance.pid;
    this.events.emit('state', id, state);
  }

  /** Emits a stats sample for every instance (and copies it into the snapshot). */
  sampleStats(values: Record<string, {cpuPercent: number; rssBytes: number; listenPorts?: number[]; paused?: boolean}>): void {
    const sample: StatsSample = {time: Date.now(), instances: {}};
    for (const [id, value] of Object.entries(values)) {
      const stats = {cpuPercent: value.cpuPercent, rssBytes: value.rssBytes, listenPorts: value.listenPorts ?? [], paused: value.paused ?? false};
      sample.instances[id] = stats;
      const instance = this.stack.instances.find((i) => i.id === id);
      if (instance) Object.assign(instance, stats);
    }
    this.events.emit('stats', sample);
  }

  /** Replaces the instance list and emits `formation`. */
  setInstances(instances: InstanceSnapshot[]): void {
    this.stack.instances = instances;
    this.events.emit('formation');
  }

  emit<E extends keyof SupervisorEvents>(event: E, ...args: SupervisorEvents[E]): void {
    this.events.emit(event, ...args);
  }
}

/** An instance snapshot with sensible defaults. */
export function instance(id: string, state: InstanceState, patch: Partial<InstanceSnapshot> = {}): InstanceSnapshot {
  const dot = id.lastIndexOf('.');
  return {
    id,
    type: id.slice(0, dot),
    index: Number(id.slice(dot + 1)),
    state,
    pid: 'pid' in state ? state.pid : null,
    port: 5000,
    cpuPercent: 0,
    rssBytes: 0,
    listenPorts: [],
    paused: false,
    restarts: 0,
    lastSeq: 0,
    ...patch,
  };
}

function typesOf(instances: InstanceSnapshot[]): StackSnapshot['types'] {
  const names = [...new Set(instances.map((i) => i.type))];
  return names.map((name) => ({name, instances: instances.filter((i) => i.type === name).length, oneshot: false, autostart: true}));
}
