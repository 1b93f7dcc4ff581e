/** `?`: every binding of the keymap, laid out in as many columns as the pane needs. */
import {Box, Text} from 'ink';
import {displayKeyName} from '../key-names.js';
import type {KeyBinding} from '../keymap.js';

export function HelpOverlay({bindings, width, height}: {bindings: readonly KeyBinding[]; width: number; height: number}) {
  const entries = bindings.map((binding) => ({keys: binding.keys.map(displayKeyName).join(' '), label: binding.label}));
  const rowsPerColumn = Math.max(1, height - 1);
  const columnCount = Math.ceil(entries.length / rowsPerColumn);
  const columnWidth = Math.floor(width / columnCount);
  const keyWidth = Math.min(14, Math.max(...entries.map((entry) => entry.keys.length)) + 1);
  const columns = Array.from({length: columnCount}, (_, i) => entries.slice(i * rowsPerColumn, (i + 1) * rowsPerColumn));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold inverse wrap="truncate-end">{' Keys (any key closes)'.padEnd(width)}</Text>
      <Box>
        {columns.map((column, i) => (
          // Columns are positions, so the index is the right key.
          // eslint-disable-next-line react/no-array-index-key
          <Box key={i} flexDirection="column" width={columnWidth}>
            {column.map((entry) => (
              <Text key={entry.keys} wrap="truncate-end">
                <Text bold>{entry.keys.padEnd(keyWidth)}</Text>
                {entry.label}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
