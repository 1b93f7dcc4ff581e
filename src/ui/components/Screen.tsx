/** One whole frame: header, list | log pane (or an overlay), status bar; or "too small". */
import {Box, Text} from 'ink';
import {keymap} from '../keymap.js';
import {minColumns, minRows} from '../layout.js';
import type {Frame} from '../store.js';
import {Header} from './Header.js';
import {HelpOverlay} from './HelpOverlay.js';
import {LogPane} from './LogPane.js';
import {ProcessList} from './ProcessList.js';
import {SignalMenu} from './SignalMenu.js';
import {StatusBar} from './StatusBar.js';

export function Screen({frame}: {frame: Frame}) {
  const {layout, ui} = frame;
  if (layout.tooSmall) {
    return (
      <Box width={layout.size.columns} height={Math.max(1, layout.frameRows)}>
        <Text wrap="wrap">{`terminal too small: ${layout.size.columns}x${layout.size.rows}, procdeck needs ${minColumns}x${minRows} (q quits)`}</Text>
      </Box>
    );
  }
  const {mode} = ui;
  return (
    <Box flexDirection="column" width={layout.size.columns} height={layout.frameRows}>
      <Header frame={frame} />
      <Box height={layout.bodyRows}>
        <ProcessList frame={frame} />
        <Box width={1} height={layout.bodyRows} flexDirection="column">
          <Text dimColor>{'│\n'.repeat(layout.bodyRows).trimEnd()}</Text>
        </Box>
        {mode.kind === 'help' ? (
          <HelpOverlay bindings={keymap} width={layout.logWidth} height={layout.bodyRows} />
        ) : mode.kind === 'signals' ? (
          <SignalMenu target={mode.target} index={mode.index} width={layout.logWidth} height={layout.bodyRows} />
        ) : (
          <LogPane frame={frame} />
        )}
      </Box>
      <StatusBar frame={frame} />
    </Box>
  );
}
