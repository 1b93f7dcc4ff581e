/** The bottom line: an open prompt, the shutdown progress, or the last outcome; key hints on the right. */
import {formatCountdown} from '../format/duration.js';
import type {Frame} from '../store.js';
import {dim, paintIf, type ColorName} from '../theme.js';
import {fit, fitEnd, widthOf} from './text.js';

const promptLabels = {search: '/', filter: 'filter: ', input: ''} as const;

export function renderStatusBar(frame: Frame): string {
  const {layout, ui, noColor} = frame;
  const {mode} = ui;
  let text = '';
  let color: ColorName | undefined;
  if (mode.kind === 'prompt') {
    const label = mode.purpose === 'input' ? `${mode.target ?? ''} stdin> ` : promptLabels[mode.purpose];
    text = `${label}${mode.text}█`;
  } else if (mode.kind === 'confirm-quit') {
    text = 'Stop the stack? [y] stop  [d] detach  [Esc] cancel';
    color = 'yellow';
  } else if (ui.quitting || frame.stack.shutdown) {
    text = describeShutdown(frame);
    color = 'yellow';
  } else if (ui.status) {
    text = ui.status.text;
    color = ui.status.ok ? 'green' : 'red';
  }
  const hints = fit(hintsFor(frame), Math.floor(layout.size.columns / 2)).trimEnd();
  const room = Math.max(0, layout.size.columns - widthOf(hints) - (hints ? 1 : 0));
  // Prompts keep their end (the cursor) in view when the text is long.
  const shown = mode.kind === 'prompt' ? fitEnd(text, room) : fit(text, room);
  return paintIf(shown, color, noColor) + (hints ? ` ${dim(hints)}` : '');
}

/** `stopping web.1 (SIGTERM, SIGKILL in 4s), worker.1 (SIGINT, 2s)`: who is still alive and for how long. */
export function describeShutdown(frame: Frame): string {
  const shutdown = frame.stack.shutdown;
  const force = shutdown?.force || frame.ui.quitting === 'force';
  if (force) return frame.stack.remote ? 'killing every process group (SIGKILL)…  (q leaves)' : 'killing every process group (SIGKILL)…';
  if (!shutdown || shutdown.waitingFor.length === 0) return 'stopping the stack…  (Q kills now)';
  const parts = shutdown.waitingFor.map(
    (wait, index) => `${wait.id} (${wait.signal}${index === 0 ? ', SIGKILL in ' : ', '}${formatCountdown(wait.killAt - frame.nowMs)})`,
  );
  return `stopping ${parts.join(', ')}  Q kills now`;
}

function hintsFor(frame: Frame): string {
  const {mode} = frame.ui;
  const isNarrow = frame.layout.size.columns < 120;
  switch (mode.kind) {
    case 'prompt':
      // In input mode the prompt stays open, so the last send's outcome shows here.
      if (mode.purpose === 'input') return frame.ui.status ? `${frame.ui.status.text} · Esc leaves` : 'Enter sends · Esc leaves';
      return 'Enter · Esc';
    case 'signals':
      return 'Enter or 1-9 sends · j/k · Esc';
    case 'help':
      return 'j/k pages · any other key closes';
    case 'confirm-quit':
      return '';
    case 'normal':
      if (frame.ui.quitting || frame.stack.shutdown) return '';
      // With the log pane focused (Tab), j/k scroll it instead of selecting: said at every width.
      if (frame.ui.focus === 'log') return isNarrow ? 'j/k scroll · ? help · q quit' : 'j/k scroll · Tab list · / search · ? help · q quit';
      return isNarrow ? '? help · q quit' : 'j/k select · r restart · x stop · / search · ? help · q quit';
  }
}
