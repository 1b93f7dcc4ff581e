/**
 * The screen as Ink renders it: one Text per line of `renderScreen`. The
 * terminal UI draws the same lines straight to the terminal (Ink's own output
 * pass costs 20-30 ms per full 120x40 frame); Ink draws them for tests and
 * wherever the UI runs without a ScreenStream.
 */
import {Box, Text} from 'ink';
import type {Frame} from '../store.js';
import {renderScreen} from '../view/screen.js';

export function Screen({frame}: {frame: Frame}) {
  const lines = renderScreen(frame);
  return (
    <Box flexDirection="column" width={frame.layout.size.columns}>
      {lines.map((line, row) => (
        // Lines are screen positions, so the row is the right key.
        // eslint-disable-next-line react/no-array-index-key
        <Text key={row} wrap="truncate-end">{line}</Text>
      ))}
    </Box>
  );
}
