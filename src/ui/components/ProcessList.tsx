/** The left pane: `all`, then one row per instance with status, pid, CPU, memory, uptime, restarts and ports. */
import {Box, Text} from 'ink';
import type {InstanceSnapshot, InstanceState} from '../../core/api.js';
import {formatBytes} from '../format/bytes.js';
import {formatUptime} from '../format/duration.js';
import {formatPercent} from '../format/percent.js';
import {describeStatus, type StatusLook} from '../format/status.js';
import {widthOfColumn, type ListColumn} from '../layout.js';
import {summarizeStack, type ListRow} from '../rows.js';
import type {Frame} from '../store.js';
import {colorOf, colorOfTone, colorOfType, type ColorName} from '../theme.js';

const titles: Record<ListColumn, string> = {
  symbol: '', name: 'NAME', state: 'STATE', pid: 'PID', cpu: 'CPU', mem: 'MEM', up: 'UP', restarts: '↺', ports: 'PORTS',
};
const rightAligned = new Set<ListColumn>(['pid', 'cpu', 'mem', 'up', 'restarts']);

interface Cell {
  text: string;
  color?: ColorName | undefined;
  bold?: boolean;
}

export function ProcessList({frame}: {frame: Frame}) {
  const {layout, rows, selectedIndex, ui} = frame;
  const visible = Math.max(0, layout.bodyRows - 1);
  // Keep the selection on screen when there are more rows than lines.
  const first = Math.max(0, Math.min(selectedIndex - visible + 1, rows.length - visible));
  const shown = rows.slice(Math.max(0, first), Math.max(0, first) + visible);
  const isFocused = ui.focus === 'list';
  return (
    <Box flexDirection="column" width={layout.listWidth} height={layout.bodyRows}>
      <Text inverse={isFocused} bold={isFocused} dimColor={!isFocused} wrap="truncate-end">
        {layout.listColumns.map((column) => pad(titles[column], widthOfColumn(column, layout.nameWidth), rightAligned.has(column))).join('').padEnd(layout.listWidth)}
      </Text>
      {shown.map((row) => (
        <ListLine key={row.key} frame={frame} row={row} isSelected={row.key === frame.selected.key} />
      ))}
    </Box>
  );
}

function ListLine({frame, row, isSelected}: {frame: Frame; row: ListRow; isSelected: boolean}) {
  const {layout} = frame;
  const cells = cellsOf(frame, row);
  return (
    <Box width={layout.listWidth} height={1}>
      <Text wrap="truncate-end" inverse={isSelected}>
        {layout.listColumns.map((column) => {
          const cell = cells[column];
          return (
            <Text key={column} color={cell.color} bold={cell.bold}>
              {pad(cell.text, widthOfColumn(column, layout.nameWidth), rightAligned.has(column))}
            </Text>
          );
        })}
      </Text>
    </Box>
  );
}

function cellsOf(frame: Frame, row: ListRow): Record<ListColumn, Cell> {
  const {noColor} = frame;
  if (row.kind === 'all') {
    const totals = summarizeStack(frame.stack);
    return {
      symbol: {text: '≡'}, name: {text: 'all', bold: true}, state: {text: `${totals.up}/${totals.total} up`},
      pid: {text: ''}, cpu: {text: formatPercent(totals.cpuPercent)}, mem: {text: formatBytes(totals.rssBytes)},
      up: {text: ''}, restarts: {text: ''}, ports: {text: ''},
    };
  }
  if (row.kind === 'type') {
    const gray = colorOf('gray', noColor);
    return {
      symbol: {text: '·', color: gray}, name: {text: row.type, color: gray}, state: {text: '×0', color: gray},
      pid: {text: ''}, cpu: {text: ''}, mem: {text: ''}, up: {text: ''}, restarts: {text: ''}, ports: {text: ''},
    };
  }
  const {instance} = row;
  const look: StatusLook = describeStatus(instance.state, frame.nowMs);
  const toneColor = colorOfTone(look.tone, noColor);
  const isAlive = instance.pid !== null && isLiveState(instance.state);
  return {
    symbol: {text: look.symbol, color: toneColor},
    name: {text: instance.id, color: colorOf(colorOfType(row.typeIndex), noColor)},
    state: {text: look.label, color: toneColor},
    pid: {text: instance.pid === null ? '-' : String(instance.pid)},
    cpu: {text: isAlive ? formatPercent(instance.cpuPercent) : '-'},
    mem: {text: isAlive ? formatBytes(instance.rssBytes) : '-'},
    up: {text: uptimeOf(instance, frame.nowMs)},
    restarts: {text: String(instance.restarts), color: instance.restarts > 0 ? colorOf('yellow', noColor) : undefined},
    ports: {text: instance.listenPorts.map((port) => `:${port}`).join(',')},
  };
}

function isLiveState(state: InstanceState): boolean {
  return state.status === 'running' || state.status === 'starting' || state.status === 'stopping';
}

function uptimeOf(instance: InstanceSnapshot, nowMs: number): string {
  const {state} = instance;
  if (state.status === 'running' || state.status === 'starting') return formatUptime(nowMs - state.since);
  return '-';
}

/** Pads (or cuts) to `width` columns, keeping one space between columns. */
function pad(text: string, width: number, alignRight: boolean): string {
  const room = Math.max(0, width - 1);
  const cut = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
  return (alignRight ? cut.padStart(room) : cut.padEnd(room)) + ' ';
}
