/** The top line: stack name, instances up / total, total CPU and memory. */
import {Box, Text} from 'ink';
import {formatBytes} from '../format/bytes.js';
import {formatPercent} from '../format/percent.js';
import {summarizeStack} from '../rows.js';
import type {Frame} from '../store.js';
import {colorOf} from '../theme.js';

export function Header({frame}: {frame: Frame}) {
  const {stack, noColor, layout} = frame;
  const totals = summarizeStack(stack);
  const allUp = totals.up === totals.total;
  return (
    <Box width={layout.size.columns} height={1}>
      <Box flexGrow={1}>
        <Text wrap="truncate-end">
          <Text bold>procdeck</Text>
          <Text> {stack.name}</Text>
          {stack.remote ? <Text dimColor> (attached)</Text> : null}
          <Text>{'   '}</Text>
          <Text color={colorOf(allUp ? 'green' : 'yellow', noColor)}>{`${totals.up}/${totals.total} running`}</Text>
          <Text>{`   CPU ${formatPercent(totals.cpuPercent)}   MEM ${formatBytes(totals.rssBytes)}`}</Text>
        </Text>
      </Box>
      <Text dimColor>? help</Text>
    </Box>
  );
}
