/** The right pane: a header with the selection's state and sparklines, then its visible log rows. */
import {Box, Text} from 'ink';
import {formatBytes} from '../format/bytes.js';
import {formatPercent} from '../format/percent.js';
import {formatSparkline} from '../format/sparkline.js';
import {describeStatus} from '../format/status.js';
import type {Frame} from '../store.js';
import {colorOfTone} from '../theme.js';

export function LogPane({frame}: {frame: Frame}) {
  const {layout, log, selected} = frame;
  return (
    <Box flexDirection="column" width={layout.logWidth} height={layout.bodyRows}>
      <PaneHeader frame={frame} />
      {selected.kind === 'type' ? (
        <Text dimColor wrap="truncate-end">{`${selected.type} has 0 instances: + starts one`}</Text>
      ) : log.rows.length === 0 ? (
        <Text dimColor wrap="truncate-end">{frame.ui.filter ? `no lines match "${frame.ui.filter.query}"` : '(no output yet)'}</Text>
      ) : (
        log.rows.map((row, index) => (
          // Rows are positions on screen, not lines: the index is the right key.
          // eslint-disable-next-line react/no-array-index-key
          <Text key={index} wrap="truncate-end">{row}</Text>
        ))
      )}
    </Box>
  );
}

function PaneHeader({frame}: {frame: Frame}) {
  const {layout, selected, ui, history, noColor} = frame;
  const isFocused = ui.focus === 'log';
  const name = selected.kind === 'all' ? 'all' : selected.kind === 'type' ? selected.type : selected.instance.id;
  const look = selected.kind === 'instance' ? describeStatus(selected.instance.state, frame.nowMs) : null;
  const cpuNow = history.cpuPercent.at(-1);
  const rssNow = history.rssBytes.at(-1);
  const flags = [
    ui.anchorSeq === null ? 'follow' : 'paused (G follows)',
    ui.wrap ? 'wrap' : '',
    ui.filter ? `filter "${ui.filter.query}"` : '',
    ui.search ? `search "${ui.search.query}"` : '',
  ].filter(Boolean).join(' · ');
  const title = ` ${name} ${look ? `${look.symbol} ${look.label} ` : ''}`;
  const cpuText = cpuNow === undefined ? '-' : formatPercent(cpuNow);
  const rssText = rssNow === undefined ? '-' : formatBytes(rssNow);
  // Flags come first because they explain what the pane shows; sparklines get what is left (up to 20 columns each).
  const fixed = title.length + flags.length + 3 + ` cpu  ${cpuText}  mem  ${rssText}`.length;
  const sparkWidth = Math.max(0, Math.min(20, Math.floor((layout.logWidth - fixed) / 2)));
  const spark = (values: number[]): string => (sparkWidth > 0 ? `${formatSparkline(values, sparkWidth)} ` : '');
  return (
    <Box width={layout.logWidth} height={1}>
      <Text wrap="truncate-end" inverse={isFocused}>
        <Text bold>{` ${name} `}</Text>
        {look ? <Text color={colorOfTone(look.tone, noColor)}>{`${look.symbol} ${look.label} `}</Text> : null}
        <Text dimColor={!isFocused}>{`· ${flags} `}</Text>
        <Text>{` cpu ${spark(history.cpuPercent)}${cpuText}  mem ${spark(history.rssBytes)}${rssText} `}</Text>
      </Text>
    </Box>
  );
}
