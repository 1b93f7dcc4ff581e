/**
 * One client of the control server: reads its requests (capped, validated),
 * answers them through the SupervisorApi, and streams events to it through a
 * bounded queue. Every failure becomes an error reply; nothing here throws
 * into the server or waits on the client.
 */
import type net from 'node:net';
import type {InstanceId, LogLine, StackSnapshot, SupervisorApi} from '../core/api.js';
import type {Command, Outcome} from '../core/commands.js';
import {parseSignal} from '../core/process-group.js';
import {toStoredLine} from '../core/log-ring.js';
import {
  clientQueueBytes,
  encodeMessage,
  LineReader,
  maxRequestBytes,
  protocolVersion,
  toStatusReport,
  type ErrorCode,
  type Hello,
  type RequestId,
} from './protocol.js';
import {methodParams, requestSchema, type Method, type MethodParams} from './request-schema.js';

/** Backlog sent to a new subscriber: newest lines first, at most this much JSON. */
const backlogBudgetBytes = 32 * 1024 * 1024;
const backlogChunkLines = 500;
/** Beyond the backlog and the droppable queue: a client this far behind has stopped reading. */
const hardQueueBytes = backlogBudgetBytes + 4 * clientQueueBytes;

export interface ConnectionOptions {
  api: SupervisorApi;
  hello: Hello;
  /** Lines kept per instance: an attached UI mirrors as many. */
  scrollback: number;
  /** The stack's stats interval, told to subscribers (an attached UI keeps a minute of samples). */
  statsIntervalMs: number;
  /** Called before the stack's numbers are read (`start` turns stats on here when they were off). */
  beforeRead?: () => Promise<void>;
}

/** A request failed in a way the client caused; becomes an error reply. */
class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One client of the control server: its request reader, its open streams and its bounded outgoing queue. */
export class ServerConnection {
  private readonly streams = new Map<RequestId, Array<() => void>>();
  private droppedEvents = 0;
  private isClosed = false;
  private readonly reader: LineReader;
  private readonly api: SupervisorApi;

  constructor(
    private readonly socket: net.Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.api = options.api;
    this.reader = new LineReader(maxRequestBytes, (line) => this.onLine(line), () =>
      this.reply(null, {code: 'too-large', message: `request longer than ${maxRequestBytes} bytes: ignored`}),
    );
    socket.on('data', (chunk) => this.reader.push(chunk));
    // A client that vanished mid-write: nothing to tell it; close() cleans up.
    socket.on('error', () => {});
    socket.on('drain', () => this.onDrain());
    this.event(null, 'hello', options.hello, false);
  }

  dispose(): void {
    this.isClosed = true;
    for (const unsubscribers of this.streams.values()) for (const off of unsubscribers) off();
    this.streams.clear();
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onLine(text: string): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.reply(null, {code: 'parse-error', message: 'expected one JSON object per line'});
      return;
    }
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && (typeof raw.id === 'number' || typeof raw.id === 'string') ? raw.id : null;
    const request = requestSchema.safeParse(raw);
    if (!request.success) {
      this.reply(id, {code: 'bad-request', message: 'expected {"v":1,"id":…,"method":…,"params":{…}}'});
      return;
    }
    const {v, method} = request.data;
    if (v !== protocolVersion) {
      this.reply(id, {code: 'unsupported-version', message: `protocol version ${v} is not supported (this procdeck speaks ${protocolVersion})`});
      return;
    }
    if (!Object.hasOwn(methodParams, method)) {
      this.reply(id, {code: 'unknown-method', message: `unknown method ${JSON.stringify(method)} (known: ${Object.keys(methodParams).join(', ')})`});
      return;
    }
    const params = methodParams[method as Method].safeParse(request.data.params ?? {});
    if (!params.success) {
      const issue = params.error.issues[0];
      this.reply(request.data.id, {code: 'bad-request', message: `${method}: ${issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid params'}`});
      return;
    }
    const requestId = request.data.id;
    // Streams reply and register their listeners in one synchronous step, so
    // no event can reach the client before the reply (or the backlog).
    if (method === 'logs' || method === 'subscribe') {
      try {
        if (method === 'logs') this.openLogs(requestId, params.data as MethodParams<'logs'>);
        else this.subscribe(requestId);
      } catch (error) {
        this.replyFailure(requestId, error);
      }
      return;
    }
    this.handle(method as Exclude<Method, 'logs' | 'subscribe'>, params.data).then(
      (result) => this.reply(requestId, undefined, result),
      (error: unknown) => this.replyFailure(requestId, error),
    );
  }

  /** A RequestError is the client's doing; anything else is our bug, still answered, never thrown. */
  private replyFailure(id: RequestId, error: unknown): void {
    if (error instanceof RequestError) this.reply(id, {code: error.code, message: error.message});
    else this.reply(id, {code: 'internal', message: error instanceof Error ? error.message : String(error)});
  }

  private async handle(method: Exclude<Method, 'logs' | 'subscribe'>, params: unknown): Promise<unknown> {
    switch (method) {
      case 'status':
        await this.options.beforeRead?.();
        return toStatusReport(this.api.snapshot(), Date.now());
      case 'snapshot':
        return this.api.snapshot();
      case 'start':
      case 'stop':
      case 'restart': {
        const {targets} = params as MethodParams<'restart'>;
        return {outcomes: await this.dispatchEach(targets, (target) => ({type: method, target}))};
      }
      case 'signal': {
        const {targets, signal: name} = params as MethodParams<'signal'>;
        const signal = this.toSignal(name);
        return {outcomes: await this.dispatchEach(targets, (target) => ({type: 'signal', target, signal}))};
      }
      case 'scale': {
        const {process: type, to} = params as MethodParams<'scale'>;
        const types = this.api.snapshot().types.map((t) => t.name);
        if (!types.includes(type)) throw new RequestError('unknown-name', `no process type ${JSON.stringify(type)} (known: ${types.join(', ')})`);
        return {outcomes: [await this.api.dispatch({type: 'scale', process: type, to})]};
      }
      case 'quit': {
        const {force} = params as MethodParams<'quit'>;
        return {outcomes: [await this.api.dispatch({type: 'shutdown', ...(force !== undefined && {force})})]};
      }
      case 'command': {
        const {command} = params as MethodParams<'command'>;
        if (command.type === 'signal') return this.api.dispatch({...command, signal: this.toSignal(command.signal)});
        return this.api.dispatch(command as Command);
      }
    }
  }

  private toSignal(name: string): NodeJS.Signals {
    const signal = parseSignal(name);
    if (signal === undefined) throw new RequestError('bad-request', `unknown signal ${JSON.stringify(name)} (for example SIGUSR1, HUP or 15)`);
    return signal;
  }

  /**
   * Runs one command per instance the names cover (`web` is every web
   * instance; `web web.1` restarts web.1 once). The whole request is refused,
   * before anything is done, when any name matches nothing.
   */
  private async dispatchEach(targets: readonly string[], toCommand: (id: string) => Command): Promise<Outcome[]> {
    const snapshot = this.api.snapshot();
    const ids = snapshot.instances.map((instance) => instance.id);
    const types = new Set(snapshot.types.map((type) => type.name));
    const unknown = targets.filter((target) => !ids.includes(target) && !types.has(target));
    if (unknown.length > 0) {
      const names = unknown.map((name) => JSON.stringify(name)).join(', ');
      throw new RequestError('unknown-name', `no process named ${names} (known: ${ids.join(', ') || 'none'})`);
    }
    const chosen = new Set<string>();
    const outcomes: Array<Outcome | Promise<Outcome>> = [];
    for (const target of targets) {
      const matching = snapshot.instances.filter((instance) => instance.id === target || instance.type === target);
      if (matching.length === 0) outcomes.push({ok: false, message: `${target} has 0 instances (procdeck scale ${target}=1 adds one)`});
      for (const instance of matching) {
        if (chosen.has(instance.id)) continue;
        chosen.add(instance.id);
        outcomes.push(this.api.dispatch(toCommand(instance.id)));
      }
    }
    return Promise.all(outcomes);
  }

  /** Lines of one instance, one type, `system`, or everything; then (with `follow`) new ones as they come. */
  private openLogs(id: RequestId, params: MethodParams<'logs'>): void {
    const snapshot = this.api.snapshot();
    const target = params.target;
    let matches: (line: LogLine) => boolean = () => true;
    let lines: LogLine[];
    const typeOf = (lineId: string) => lineId.slice(0, lineId.lastIndexOf('.'));
    const isType = (name: string) => snapshot.types.some((type) => type.name === name);
    // The newest lines the filter keeps, from the merged log: it has the instances scaled away too.
    const readMerged = (keep: (line: LogLine) => boolean) => (params.lines === 0 ? [] : [...this.api.readLog('all', {limit: params.lines}, keep)]);
    const ofTarget = (line: LogLine) => line.id === target;
    if (target === undefined || target === 'all') {
      lines = [...this.api.readLog('all', {limit: params.lines})];
    } else if (target === 'system' || snapshot.instances.some((instance) => instance.id === target)) {
      lines = [...this.api.readLog(target, {limit: params.lines})];
      matches = ofTarget;
    } else if (isType(target)) {
      matches = (line) => line.id !== 'system' && typeOf(line.id) === target;
      lines = readMerged(matches);
    } else if (isType(typeOf(target)) && this.api.readLog('all', {limit: 1}, ofTarget).length > 0) {
      // An instance scaled away: no longer in the snapshot, but its log is kept.
      matches = ofTarget;
      lines = readMerged(matches);
    } else {
      const known = ['system', ...snapshot.instances.map((instance) => instance.id)];
      throw new RequestError('unknown-name', `no process named ${JSON.stringify(target)} (known: ${known.join(', ')})`);
    }
    this.reply(id, undefined, {lines});
    if (params.follow) {
      this.openStream(id, [
        this.api.on('log', (line) => matches(line) && this.event(id, 'log', line)),
        this.api.on('stopped', () => this.event(id, 'stopped', {}, false)),
      ]);
    }
  }

  /** Everything `attach` needs to mirror the stack: snapshot now, backlog, then every event. */
  private subscribe(id: RequestId): void {
    // Stats events follow once sampling runs; the snapshot cannot wait for it.
    void this.options.beforeRead?.();
    // One snapshot for the reply, the backlog and the unfinished lines: all sent in this turn, so all of one moment.
    const snapshot = this.api.snapshot();
    this.reply(id, undefined, {snapshot, scrollback: this.options.scrollback, statsIntervalMs: this.options.statsIntervalMs});
    this.sendBacklog(id, snapshot);
    const stateEvent = (instanceId: InstanceId) => this.event(id, 'state', {id: instanceId, snapshot: this.api.snapshot()}, false);
    // Droppable like log lines: the next change, or the line once ended, puts the pane right.
    const unfinishedEvent = (instanceId: InstanceId) => this.event(id, 'unfinished', {id: instanceId, lines: this.api.unfinishedLines(instanceId)});
    for (const instance of snapshot.instances) {
      if (this.api.unfinishedLines(instance.id).length > 0) unfinishedEvent(instance.id);
    }
    this.openStream(id, [
      this.api.on('state', stateEvent),
      this.api.on('log', (line) => this.event(id, 'log', toStoredLine(line))),
      this.api.on('unfinished', unfinishedEvent),
      this.api.on('stats', (sample) => this.event(id, 'stats', sample)),
      this.api.on('formation', () => this.event(id, 'formation', {snapshot: this.api.snapshot()}, false)),
      this.api.on('stopped', () => this.event(id, 'stopped', {}, false)),
    ]);
  }

  /** Sends a subscription's backlog (newest lines within a byte budget), then `ready`. */
  private sendBacklog(id: RequestId, snapshot: StackSnapshot): void {
    const sources = ['system', ...snapshot.instances.map((instance) => instance.id)];
    const all = sources.flatMap((source) => this.api.readLog(source, {limit: this.options.scrollback}));
    all.sort((a, b) => a.seq - b.seq);
    let budget = backlogBudgetBytes;
    let first = all.length;
    while (first > 0 && budget > 0) {
      first -= 1;
      budget -= all[first]!.text.length + 80;
    }
    const kept = all.slice(budget < 0 ? first + 1 : first);
    for (let i = 0; i < kept.length; i += backlogChunkLines) {
      this.event(id, 'backlog', {lines: kept.slice(i, i + backlogChunkLines)}, false);
    }
    this.event(id, 'ready', {}, false);
  }

  private openStream(id: RequestId, unsubscribers: Array<() => void>): void {
    const previous = this.streams.get(id);
    this.streams.set(id, [...(previous ?? []), ...unsubscribers]);
  }

  private reply(id: RequestId | null, error?: {code: ErrorCode; message: string}, result?: unknown): void {
    if (this.isClosed) return;
    const message = error ? {v: protocolVersion, id, ok: false, error} : {v: protocolVersion, id, ok: true, result: result ?? null};
    this.write(encodeMessage(message));
  }

  /** An event; `isDroppable` ones are dropped (and counted) while the client's queue is full. */
  private event(id: RequestId | null, name: string, data: unknown, isDroppable = true): void {
    if (this.isClosed) return;
    if (isDroppable && this.socket.writableLength > clientQueueBytes) {
      this.droppedEvents += 1;
      return;
    }
    this.write(encodeMessage({v: protocolVersion, id, event: name, data}));
  }

  private write(text: string): void {
    // Replies and state events are not dropped, so a client that reads
    // nothing at all would make them pile up: past this much it is cut off.
    if (this.socket.destroyed) return;
    if (this.socket.writableLength > hardQueueBytes) {
      this.socket.destroy();
      return;
    }
    this.socket.write(text);
    // Replies are never dropped; instead stop reading requests from a client
    // that does not read its replies, so its queue cannot grow without bound.
    if (this.socket.writableLength > clientQueueBytes && !this.socket.isPaused()) this.socket.pause();
  }

  private onDrain(): void {
    if (this.socket.isPaused()) this.socket.resume();
    if (this.droppedEvents > 0) {
      const count = this.droppedEvents;
      this.droppedEvents = 0;
      this.event(null, 'dropped', {count}, false);
    }
  }
}

/** What the engine keeps of a line (the first 64 KiB), which is what a mirror needs. */
