/** The shapes the store publishes: UI state and the immutable Frame one screen is drawn from. */
import type {FirstStatus, InstanceId, StackSnapshot} from '../core/api.js';
import type {Layout} from './layout.js';
import type {LogView} from './log-view.js';
import type {ListRow} from './rows.js';
import type {Matcher} from './search.js';

export type PromptPurpose = 'search' | 'filter' | 'input';

export type Mode =
  | {kind: 'normal'}
  | {kind: 'prompt'; purpose: PromptPurpose; text: string; target?: InstanceId}
  | {kind: 'signals'; index: number; target: InstanceId}
  /** `page` counts screenfuls when the bindings do not fit at once. */
  | {kind: 'help'; page: number}
  /** Attached to a daemon: quitting asks whether to stop it or detach. */
  | {kind: 'confirm-quit'};

export interface UiState {
  selectedKey: string;
  /** Where the selection was, for when its row disappears (scaled down). */
  selectedIndex: number;
  focus: 'list' | 'log';
  /** null: follow the newest line. */
  anchorSeq: number | null;
  wrap: boolean;
  filter: Matcher | null;
  search: Matcher | null;
  matchSeq: number | null;
  mode: Mode;
  status: {text: string; ok: boolean} | null;
  quitting: null | 'graceful' | 'force';
}

export interface StatsHistory {
  cpuPercent: number[];
  rssBytes: number[];
}

/** Everything one screen shows, built once per frame. */
export interface Frame {
  version: number;
  nowMs: number;
  noColor: boolean;
  layout: Layout;
  stack: StackSnapshot;
  rows: ListRow[];
  selectedIndex: number;
  selected: ListRow;
  ui: Readonly<UiState>;
  /** Instances about to be started by the caller that the engine has not reported yet (StoreOptions.launching). */
  launching: ReadonlyMap<InstanceId, FirstStatus>;
  log: LogView;
  /** Sparkline data for the selected row (`all`: the stack's totals). */
  history: StatsHistory;
  /** How many samples a sparkline spans: a minute at the stats interval. */
  historySamples: number;
}
