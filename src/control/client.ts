/**
 * `SupervisorApi` over the control socket, for `procdeck attach`: a local
 * mirror of the daemon's snapshot and scrollback, kept current by the
 * `subscribe` stream. `readLog` is synchronous in the interface, so it reads
 * the mirror; commands go over the socket.
 *
 *   const api = await RemoteSupervisor.connect(paths.socket);
 *   await runTui(api, options);   // the same UI as in-process
 *   await api.close();            // detach: the daemon keeps running
 */
import type {InstanceId, LogLine, LogWindow, StackSnapshot, StatsSample, SupervisorApi, SupervisorEvents, UnfinishedLine} from '../core/api.js';
import type {Command, Outcome} from '../core/commands.js';
import {Emitter} from '../core/events.js';
import {LogRing} from '../core/log-ring.js';
import {UnfinishedLines} from '../core/unfinished-lines.js';
import {ControlConnection} from './connection.js';
import type {SubscribeResult} from './protocol.js';

export class RemoteSupervisor implements SupervisorApi {
  private readonly events = new Emitter<SupervisorEvents>();
  private readonly rings = new Map<InstanceId, LogRing>();
  private readonly unfinished = new UnfinishedLines();
  private systemRing: LogRing;
  private allRing: LogRing;
  /** While a resync is in flight: the live lines per ring it replaces (see `resync`). */
  private resyncBuffers: Map<string, LogLine[]> | null = null;
  private resyncTimer: NodeJS.Timeout | undefined;
  private lastResyncAt = 0;
  private current: StackSnapshot;
  private lastSeq = 0;
  private isStopped = false;
  /** The connection closed while the stack was not stopping: its procdeck is gone. */
  isConnectionLost = false;
  /** How often the stack samples stats (1 s from a server that does not say). */
  readonly statsIntervalMs: number;

  private constructor(
    private readonly connection: ControlConnection,
    subscription: SubscribeResult,
  ) {
    this.current = subscription.snapshot;
    this.statsIntervalMs = subscription.statsIntervalMs ?? 1000;
    this.systemRing = new LogRing(subscription.scrollback);
    this.allRing = new LogRing(subscription.scrollback);
    this.syncRings();
    connection.onGlobalEvent((name, data) => {
      if (name === 'dropped') {
        const {count} = data as {count: number};
        this.addLocalLine(`${count} event${count === 1 ? ' was' : 's were'} dropped: this terminal could not keep up with the stack's output; the lines are fetched again once it can`);
        this.scheduleResync();
      }
    });
    connection.onClose(() => {
      if (this.isStopped) return;
      // Closed with no `stopped` event first: the stack did not stop, its procdeck went away (killed, crashed).
      this.isConnectionLost = true;
      this.addLocalLine('the connection to procdeck was closed');
      this.markStopped();
    });
  }

  /** Connects, subscribes and loads the backlog; resolves when the mirror is complete. */
  static async connect(socketPath: string): Promise<RemoteSupervisor> {
    const connection = await ControlConnection.connect(socketPath);
    let remote: RemoteSupervisor | undefined;
    const early: Array<[string, unknown]> = [];
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const subscription = await connection.request<SubscribeResult>('subscribe', {}, (name, data) => {
      if (name === 'ready') onReady();
      else if (remote) remote.onEvent(name, data);
      else early.push([name, data]);
    });
    remote = new RemoteSupervisor(connection, subscription);
    for (const [name, data] of early) remote.onEvent(name, data);
    await Promise.race([ready, new Promise((resolve) => connection.onClose(() => resolve(undefined)))]);
    return remote;
  }

  snapshot(): StackSnapshot {
    return {
      ...this.current,
      instances: this.current.instances.map((instance) => ({...instance, lastSeq: this.rings.get(instance.id)?.lastSeq ?? instance.lastSeq})),
      remote: true,
    };
  }

  async dispatch(command: Command): Promise<Outcome> {
    try {
      return await this.connection.request<Outcome>('command', {command});
    } catch (error) {
      return {ok: false, message: error instanceof Error ? error.message : String(error)};
    }
  }

  readLog(id: InstanceId | 'all', window: LogWindow, keep?: (line: LogLine) => boolean): readonly LogLine[] {
    if (id === 'all') return this.allRing.read(window, keep);
    if (id === 'system') return this.systemRing.read(window, keep);
    return this.rings.get(id)?.read(window, keep) ?? [];
  }

  unfinishedLines(id: InstanceId): readonly UnfinishedLine[] {
    return this.unfinished.of(id);
  }

  on<E extends keyof SupervisorEvents>(event: E, listener: (...args: SupervisorEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Detaches: closes the connection, leaving the stack running. */
  async close(): Promise<void> {
    this.isStopped = true;
    await this.connection.close();
  }

  private onEvent(name: string, data: unknown): void {
    switch (name) {
      case 'backlog':
        for (const line of (data as {lines: LogLine[]}).lines) this.storeLine(line);
        break;
      case 'log': {
        const line = data as LogLine;
        this.storeLine(line);
        this.events.emit('log', line);
        break;
      }
      case 'unfinished': {
        const {id, lines} = data as {id: InstanceId; lines: UnfinishedLine[]};
        if (this.unfinished.replace(id, lines)) this.events.emit('unfinished', id);
        break;
      }
      case 'state': {
        const {id, snapshot} = data as {id: InstanceId; snapshot: StackSnapshot};
        this.current = snapshot;
        this.syncRings();
        const instance = snapshot.instances.find((candidate) => candidate.id === id);
        if (instance) this.events.emit('state', id, instance.state);
        break;
      }
      case 'formation':
        this.current = (data as {snapshot: StackSnapshot}).snapshot;
        this.syncRings();
        this.events.emit('formation');
        break;
      case 'stats': {
        const sample = data as StatsSample;
        this.current = {
          ...this.current,
          instances: this.current.instances.map((instance) => {
            const stats = sample.instances[instance.id];
            return {...instance, cpuPercent: stats?.cpuPercent ?? 0, rssBytes: stats?.rssBytes ?? 0, listenPorts: stats?.listenPorts ?? [], paused: stats?.paused ?? false};
          }),
        };
        this.events.emit('stats', sample);
        break;
      }
      case 'stopped':
        this.markStopped();
        break;
      default:
        break; // an event a newer server added: nothing in the mirror depends on it
    }
  }

  private storeLine(line: LogLine): void {
    this.lastSeq = Math.max(this.lastSeq, line.seq);
    pushNewer(line.id === 'system' ? this.systemRing : this.ringFor(line.id), line);
    pushNewer(this.allRing, line);
    if (this.resyncBuffers) for (const key of [line.id, 'all']) this.resyncBuffers.get(key)?.push(line);
  }

  /**
   * After drops, fetches every log again once no drop came for a while, and
   * at most every `resyncIntervalMs` while a flood goes on: the daemon keeps
   * the lines this mirror missed.
   */
  private scheduleResync(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    const delayMs = Math.max(resyncQuietMs, this.lastResyncAt + resyncIntervalMs - Date.now());
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      void this.resync();
    }, delayMs);
    this.resyncTimer.unref();
  }

  /**
   * Replaces each ring with the daemon's own lines. Events written before a
   * reply are in it and those after it are newer (one socket, in order); the
   * live lines handled between the reply and this code taking it are kept in
   * `resyncBuffers` and put back after it.
   */
  private async resync(): Promise<void> {
    if (this.isStopped || this.resyncBuffers) return;
    this.lastResyncAt = Date.now();
    const sources = ['all', 'system', ...this.current.instances.map((instance) => instance.id)];
    const buffers = new Map(sources.map((source) => [source, [] as LogLine[]]));
    this.resyncBuffers = buffers;
    let fetched = 0;
    try {
      await Promise.all(sources.map(async (source) => {
        const {lines} = await this.connection.request<{lines: LogLine[]}>('logs', {target: source, lines: this.allRing.capacity, follow: false});
        const ring = new LogRing(this.allRing.capacity);
        for (const line of [...lines, ...(buffers.get(source) ?? [])]) pushNewer(ring, line);
        for (const line of lines) this.lastSeq = Math.max(this.lastSeq, line.seq);
        if (source === 'all') {
          this.allRing = ring;
          fetched = lines.length;
        } else if (source === 'system') this.systemRing = ring;
        else if (this.rings.has(source)) this.rings.set(source, ring);
      }));
    } catch {
      // The connection closed, or an instance was scaled away meanwhile: what was fetched stays, the next drop tries again.
    } finally {
      this.resyncBuffers = null;
    }
    if (this.isStopped) return;
    this.addLocalLine(`fetched the newest ${fetched} lines again from the stack`);
    // The UI reads every log anew on a formation change.
    this.events.emit('formation');
  }

  /** A message from this side of the socket, shown in the system log. */
  private addLocalLine(text: string): void {
    // Between the last seq seen and the next one the daemon will use, so sorting by seq still works.
    const line: LogLine = {seq: this.lastSeq + 0.5, id: 'system', stream: 'system', text, time: Date.now()};
    this.systemRing.push(line);
    this.allRing.push(line);
    this.events.emit('log', line);
  }

  private markStopped(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.events.emit('stopped');
  }

  private ringFor(id: InstanceId): LogRing {
    let ring = this.rings.get(id);
    if (!ring) {
      ring = new LogRing(this.allRing.capacity);
      this.rings.set(id, ring);
    }
    return ring;
  }

  /** Rings for every instance of the snapshot; removed instances' rings go, as in the engine. */
  private syncRings(): void {
    const ids = new Set(this.current.instances.map((instance) => instance.id));
    for (const id of ids) this.ringFor(id);
    for (const id of this.rings.keys()) if (!ids.has(id)) this.rings.delete(id);
    for (const id of this.unfinished.ids()) if (!ids.has(id)) this.unfinished.forget(id);
  }
}

/** A resync waits this long after the last drop, so that it runs once the flood has passed. */
const resyncQuietMs = 300;
/** And runs at most this often while drops go on. */
const resyncIntervalMs = 2000;

/** Pushes `line` unless the ring already has it or newer (a line both fetched and received live). */
function pushNewer(ring: LogRing, line: LogLine): void {
  if (line.seq > ring.lastSeq) ring.push(line);
}
