/** The bottom line: an open prompt, the shutdown progress, or the last outcome, then key hints. */
import {Box, Text} from 'ink';
import {formatCountdown} from '../format/duration.js';
import type {Frame} from '../store.js';
import {colorOf} from '../theme.js';

const promptLabels = {search: '/', filter: 'filter: ', input: ''} as const;

export function StatusBar({frame}: {frame: Frame}) {
  const {layout, ui, noColor} = frame;
  const {mode} = ui;
  let left: {text: string; color?: 'red' | 'green' | 'yellow' | undefined};
  if (mode.kind === 'prompt') {
    const label = mode.purpose === 'input' ? `${mode.target ?? ''} stdin> ` : promptLabels[mode.purpose];
    left = {text: `${label}${mode.text}█`};
  } else if (mode.kind === 'confirm-quit') {
    left = {text: 'Stop the stack? [y] stop  [d] detach  [Esc] cancel', color: 'yellow'};
  } else if (ui.quitting || frame.stack.shutdown) {
    left = {text: describeShutdown(frame), color: 'yellow'};
  } else if (ui.status) {
    left = {text: ui.status.text, color: ui.status.ok ? 'green' : 'red'};
  } else {
    left = {text: ''};
  }
  const hints = hintsFor(frame);
  const room = Math.max(0, layout.size.columns - hints.length - 1);
  return (
    <Box width={layout.size.columns} height={1}>
      <Box width={room} marginRight={1}>
        <Text wrap="truncate-end" color={left.color ? colorOf(left.color, noColor) : undefined}>{left.text}</Text>
      </Box>
      <Text dimColor>{hints}</Text>
    </Box>
  );
}

/** `stopping web.1 (SIGTERM, SIGKILL in 4s), worker.1 (SIGINT, 2s)`: who is still alive and for how long. */
export function describeShutdown(frame: Frame): string {
  const shutdown = frame.stack.shutdown;
  const force = shutdown?.force || frame.ui.quitting === 'force';
  if (force) return 'killing every process group (SIGKILL)…';
  if (!shutdown || shutdown.waitingFor.length === 0) return 'stopping the stack…  (Q kills now)';
  const parts = shutdown.waitingFor.map(
    (wait, index) => `${wait.id} (${wait.signal}${index === 0 ? ', SIGKILL in ' : ', '}${formatCountdown(wait.killAt - frame.nowMs)})`,
  );
  return `stopping ${parts.join(', ')}  Q kills now`;
}

function hintsFor(frame: Frame): string {
  const {mode} = frame.ui;
  const narrow = frame.layout.size.columns < 90;
  switch (mode.kind) {
    case 'prompt':
      return mode.purpose === 'input' ? 'Enter sends · Esc leaves' : 'Enter · Esc';
    case 'signals':
      return 'j/k · Enter sends · Esc';
    case 'help':
      return 'any key closes';
    case 'confirm-quit':
      return '';
    case 'normal':
      if (frame.ui.quitting || frame.stack.shutdown) return '';
      return narrow ? '? help · q quit' : 'j/k select · r restart · x stop · / search · ? help · q quit';
  }
}
