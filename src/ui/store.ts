/**
 * The UI's single source of truth. Engine events only mark the store dirty;
 * a frame tick (at most one per `frameIntervalMs`, none while nothing changed)
 * builds one immutable `Frame`, which React reads with `useSyncExternalStore`.
 * UI state (selection, scroll, search, mode) lives here too, outside React,
 * so the pager can unmount Ink and come back to the same screen.
 */
import type {FirstStatus, InstanceId, LogLine, StatsSample, SupervisorApi} from '../core/api.js';
import type {Command} from '../core/commands.js';
import type {Frame, StatsHistory, UiState} from './frame.js';
import {computeLayout, type Size} from './layout.js';
import {buildLogView, countLogRows, emptyLogView, LogRowCache, type LogView, type LogViewRequest} from './log-view.js';
import type {LogReader, LogSource} from './log-window.js';
import {buildListRows, nameOfRow, typeOfKey, typeOfRow, type ListRow} from './rows.js';
import type {ScrollContext} from './scroll.js';
import {colorOfType, type ColorName} from './theme.js';

/** How many stats samples the sparklines keep by default: a minute at the default 1 s interval. */
export const historyLength = 60;

export type {Frame, Mode, PromptPurpose, StatsHistory, UiState} from './frame.js';

export interface StoreOptions {
  size: Size;
  noColor: boolean;
  /** Minimum time between frames (default 33 ms, about 30 frames per second). */
  frameIntervalMs?: number;
  /** Stats samples kept for the sparklines (default `historyLength`). */
  historySamples?: number;
  /**
   * Instances the caller is about to start (`start` draws the first frame
   * before spawning), and as what: they read `starting` or `waiting`, not
   * `stopped`, until the engine reports their state.
   */
  launching?: ReadonlyMap<InstanceId, FirstStatus>;
  now?: () => number;
}

const totalKey = '\u0000total';
const noneLaunching: ReadonlyMap<InstanceId, FirstStatus> = new Map();

export class UiStore {
  readonly noColor: boolean;
  private ui: UiState = {
    selectedKey: 'all', selectedIndex: 0, focus: 'list', anchorSeq: null, wrap: false,
    filter: null, search: null, matchSeq: null, mode: {kind: 'normal'}, status: null, quitting: null,
  };
  private size: Size;
  private frame: Frame;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private readonly history = new Map<string, StatsHistory>();
  private readonly launching: Map<InstanceId, FirstStatus>;
  private readonly logRows = new LogRowCache();
  /** Bumped by every event that may change the selected log: a line of it, a clear, a new formation. */
  private logChanges = 0;
  /** The last log view and what it was built from, for frames in which neither changed (a stats tick). */
  private lastLog: {request: LogViewRequest; logChanges: number; view: LogView} | null = null;
  private readonly frameIntervalMs: number;
  private readonly historySamples: number;
  private readonly now: () => number;
  private frameTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private isStopped = false;
  private readonly unsubscribers: Array<() => void>;

  constructor(readonly api: SupervisorApi, options: StoreOptions) {
    this.noColor = options.noColor;
    this.size = options.size;
    this.frameIntervalMs = options.frameIntervalMs ?? 33;
    this.historySamples = options.historySamples ?? historyLength;
    this.now = options.now ?? Date.now;
    this.launching = new Map(options.launching);
    this.frame = this.buildFrame();
    this.unsubscribers = [
      api.on('log', (line) => this.onLog(line)),
      api.on('unfinished', (id) => this.onUnfinished(id)),
      api.on('state', (id) => {
        this.launching.delete(id);
        this.invalidate();
      }),
      api.on('stats', (sample) => this.onStats(sample)),
      api.on('formation', () => this.onFormation()),
      api.on('stopped', () => {
        this.isStopped = true;
        this.invalidate();
      }),
    ];
  }

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For `useSyncExternalStore`: the same object until the next frame. */
  readonly getSnapshot = (): Frame => this.frame;

  /** Whether the engine reported that every process ended after a shutdown. */
  get stopped(): boolean {
    return this.isStopped;
  }

  /** The UI state as of now (not as of the last frame). */
  get state(): Readonly<UiState> {
    return this.ui;
  }

  /** Changes UI state and shows the result at once: keys must feel immediate. */
  update(patch: Partial<UiState>): void {
    this.ui = {...this.ui, ...patch};
    this.publish();
  }

  /** Shows a message in the status bar. */
  setStatus(text: string, ok = true): void {
    this.update({status: {text, ok}});
  }

  /** A new terminal size: re-lays out at once. */
  setSize(size: Size): void {
    this.size = size;
    this.publish();
  }

  /** Sends a command to the engine and puts its outcome in the status bar. */
  async dispatch(command: Command): Promise<void> {
    try {
      const outcome = await this.api.dispatch(command);
      this.setStatus(outcome.message, outcome.ok);
    } catch (error) {
      this.setStatus(`${command.type} failed: ${error instanceof Error ? error.message : String(error)}`, false);
    }
  }

  /** The selected row, as of now. */
  selectedRow(): ListRow {
    const rows = buildListRows(this.api.snapshot());
    return rows[this.resolveSelection(rows)]!;
  }

  /** Where the selected row's log comes from; null for a type scaled to 0. */
  sourceOf(row: ListRow): LogSource | null {
    if (row.kind === 'all') return 'all';
    return row.kind === 'instance' ? row.instance.id : null;
  }

  /** What scrolling and search need to read the selected log. */
  scrollContext(): ScrollContext | null {
    const source = this.sourceOf(this.selectedRow());
    if (source === null) return null;
    // With wrap on, distances are counted in the rows lines take as the pane draws them.
    const request = this.lastLog?.request;
    const rowsOf = this.ui.wrap && request?.source === source ? (line: LogLine) => countLogRows(line, request) : undefined;
    return {api: this.shownLogs, source, filter: this.ui.filter, rows: this.frame.layout.logRows, ...(rowsOf && {rowsOf})};
  }

  /** The name width the `all` view pads instance names to. */
  nameWidth(): number {
    return this.frame.layout.nameWidth;
  }

  /** Stops listening to the engine and cancels timers. */
  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    if (this.frameTimer) clearTimeout(this.frameTimer);
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.frameTimer = null;
    this.tickTimer = null;
    this.listeners.clear();
  }

  /**
   * Marks the screen out of date; the next frame comes one frame interval
   * after the first change. Waiting, rather than drawing the first change at
   * once, gathers what arrives close together (a stats tick and a log line a
   * few ms apart) into one frame, at the cost of at most one frame interval
   * of latency. Keys do not wait: `update` publishes at once.
   */
  invalidate(): void {
    if (this.frameTimer) return;
    this.frameTimer = setTimeout(() => {
      this.frameTimer = null;
      this.publish();
    }, this.frameIntervalMs);
    this.frameTimer.unref?.();
  }

  private onLog(line: LogLine): void {
    // Lines of a log that is not on screen, or arriving while scrolled back, change nothing visible.
    const key = this.ui.selectedKey;
    if (key !== 'all' && key !== line.id) return;
    this.logChanges += 1;
    if (this.ui.anchorSeq === null) this.invalidate();
  }

  private onUnfinished(id: InstanceId): void {
    // Shown only at the end of the selected process's own log, while following.
    if (this.ui.selectedKey !== id) return;
    this.logChanges += 1;
    if (this.ui.anchorSeq === null) this.invalidate();
  }

  /**
   * `c`: hides the lines one pane has now (a process's, or `all`), in that
   * pane of this UI only: cleared in web.1's pane, web.1's lines stay in
   * `all`. The engine keeps them: `procdeck logs`, the pager and another
   * attached UI still have them (a clear in one attached UI once wiped a
   * daemon's scrollback for everyone).
   */
  clearLog(source: LogSource): void {
    this.hiddenThrough.set(source, this.api.readLog('all', {limit: 1})[0]?.seq ?? 0);
    this.logChanges += 1;
    this.ui = {...this.ui, anchorSeq: null, matchSeq: null};
    this.invalidate();
  }

  /** Per pane, the newest seq `c` hid there. */
  private readonly hiddenThrough = new Map<LogSource, number>();

  /** The logs as this UI shows them: without the lines `c` cleared in the pane read. */
  readonly shownLogs: LogReader = {
    readLog: (id, window) => {
      const hidden = this.hiddenThrough.get(id);
      return this.api.readLog(id, window, hidden === undefined ? undefined : (line) => line.seq > hidden);
    },
    unfinishedLines: (id) => this.api.unfinishedLines(id),
  };

  private onFormation(): void {
    this.logChanges += 1;
    const ids = new Set(this.api.snapshot().instances.map((instance) => instance.id));
    for (const id of this.history.keys()) if (id !== totalKey && !ids.has(id)) this.history.delete(id);
    this.invalidate();
  }

  private onStats(sample: StatsSample): void {
    let cpuTotal = 0;
    let rssTotal = 0;
    for (const [id, stats] of Object.entries(sample.instances)) {
      pushSample(this.historyOf(id), stats.cpuPercent, stats.rssBytes, this.historySamples);
      cpuTotal += stats.cpuPercent;
      rssTotal += stats.rssBytes;
    }
    pushSample(this.historyOf(totalKey), cpuTotal, rssTotal, this.historySamples);
    this.invalidate();
  }

  private historyOf(id: string): StatsHistory {
    let history = this.history.get(id);
    if (!history) {
      history = {cpuPercent: [], rssBytes: []};
      this.history.set(id, history);
    }
    return history;
  }

  private publish(): void {
    if (this.frameTimer) {
      clearTimeout(this.frameTimer);
      this.frameTimer = null;
    }
    this.frame = this.buildFrame();
    this.scheduleTick();
    for (const listener of this.listeners) listener();
  }

  // Countdowns (restart backoff, shutdown) move without any event: refresh
  // them once a second, and only while one is on screen.
  private scheduleTick(): void {
    const {stack} = this.frame;
    const hasCountdown = stack.shutdown !== null || stack.instances.some((i) => i.state.status === 'restarting');
    if (!hasCountdown || this.tickTimer || this.isStopped) return;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = null;
      this.invalidate();
    }, 1000 - (this.now() % 1000) + 5);
    this.tickTimer.unref?.();
  }

  // A frame for a stats tick shows the same log as the last one: reading and
  // merging the rings again was a third of such a frame's work.
  private logView(request: LogViewRequest): LogView {
    const last = this.lastLog;
    if (last && last.logChanges === this.logChanges && isSameRequest(last.request, request)) return last.view;
    const view = buildLogView(this.shownLogs, request, this.logRows);
    this.lastLog = {request, logChanges: this.logChanges, view};
    return view;
  }

  private resolveSelection(rows: ListRow[]): number {
    const index = rows.findIndex((row) => row.key === this.ui.selectedKey);
    if (index >= 0) return index;
    // The selected instance went away (scaled down): the last one left of
    // its type, or the type's own row at 0, takes over, so that pressing `-`
    // again scales the same type down, never the next one in the list.
    const type = typeOfKey(this.ui.selectedKey);
    const sameType = type === null ? -1 : rows.findLastIndex((row) => typeOfRow(row) === type);
    return sameType >= 0 ? sameType : Math.min(this.ui.selectedIndex, rows.length - 1);
  }

  private buildFrame(): Frame {
    const stack = this.api.snapshot();
    const rows = buildListRows(stack);
    const selectedIndex = this.resolveSelection(rows);
    const selected = rows[selectedIndex]!;
    if (selected.key !== this.ui.selectedKey) {
      // The selected instance went away (scaled down): another row takes over, from the newest line.
      this.ui = {...this.ui, selectedKey: selected.key, selectedIndex, anchorSeq: null, matchSeq: null};
    } else if (selectedIndex !== this.ui.selectedIndex) {
      this.ui = {...this.ui, selectedIndex};
    }
    const longestName = Math.max(...rows.map((row) => nameOfRow(row).length), 'system'.length);
    const layout = computeLayout(this.size, longestName);
    const colorByType = new Map(stack.types.map((type, index) => [type.name, colorOfType(index)]));
    const colorOfId = (id: string): ColorName => colorByType.get(id.slice(0, id.lastIndexOf('.'))) ?? 'cyan';
    const log = layout.tooSmall
      ? emptyLogView
      : this.logView({
        source: this.sourceOf(selected),
        widthCols: layout.logWidth,
        rows: layout.logRows,
        wrap: this.ui.wrap,
        filter: this.ui.filter,
        search: this.ui.search,
        currentMatchSeq: this.ui.matchSeq,
        anchorSeq: this.ui.anchorSeq,
        noColor: this.noColor,
        nameWidth: layout.nameWidth,
        colorOfId,
      });
    const history = this.history.get(selected.kind === 'all' ? totalKey : selected.key);
    this.version += 1;
    return {
      version: this.version,
      nowMs: this.now(),
      noColor: this.noColor,
      layout,
      stack,
      rows,
      selectedIndex,
      selected,
      ui: this.ui,
      launching: this.launching.size === 0 ? noneLaunching : new Map(this.launching),
      log,
      history: {cpuPercent: [...(history?.cpuPercent ?? [])], rssBytes: [...(history?.rssBytes ?? [])]},
      historySamples: this.historySamples,
    };
  }
}

/** Whether two requests ask for the same pane (colors follow the formation, which counts as a log change). */
function isSameRequest(a: LogViewRequest, b: LogViewRequest): boolean {
  return a.source === b.source && a.widthCols === b.widthCols && a.rows === b.rows && a.wrap === b.wrap
    && a.filter === b.filter && a.search === b.search && a.currentMatchSeq === b.currentMatchSeq
    && a.anchorSeq === b.anchorSeq && a.noColor === b.noColor && a.nameWidth === b.nameWidth;
}

function pushSample(history: StatsHistory, cpuPercent: number, rssBytes: number, limit: number): void {
  history.cpuPercent.push(cpuPercent);
  history.rssBytes.push(rssBytes);
  if (history.cpuPercent.length > limit) history.cpuPercent.shift();
  if (history.rssBytes.length > limit) history.rssBytes.shift();
}
