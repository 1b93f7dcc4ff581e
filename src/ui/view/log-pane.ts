/** The right pane: a header with the selection's state, flags and sparklines, then its visible log rows. */
import stringWidth from 'string-width';
import {formatSparkline} from '../format/sparkline.js';
import {formatUsage} from '../format/usage.js';
import {describeInstanceStatus} from '../format/status.js';
import type {Frame} from '../store.js';
import {bold, colorOfTone, dim, inverse, paintIf} from '../theme.js';
import {cutStyled, fit} from './text.js';

/** Exactly `bodyRows` lines, none wider than `logWidth`. */
export function renderLogPane(frame: Frame): string[] {
  const {layout, log, selected, ui} = frame;
  const lines = [renderPaneHeader(frame)];
  if (selected.kind === 'type') {
    lines.push(dim(fit(`${selected.type} has 0 instances: + starts one`, layout.logWidth).trimEnd()));
  } else if (log.rows.length === 0) {
    lines.push(dim(fit(ui.filter ? `no lines match "${ui.filter.query}"` : '(no output yet)', layout.logWidth).trimEnd()));
  } else {
    lines.push(...log.rows);
  }
  while (lines.length < layout.bodyRows) lines.push('');
  return lines.slice(0, layout.bodyRows);
}

function renderPaneHeader(frame: Frame): string {
  const {layout, selected, ui, history, noColor} = frame;
  const isFocused = ui.focus === 'log';
  const name = selected.kind === 'all' ? 'all' : selected.kind === 'type' ? selected.type : selected.instance.id;
  const look = selected.kind === 'instance' ? describeInstanceStatus(selected.instance, frame.nowMs, frame.launching) : null;
  // An instance's own figures are the engine's (nothing once its run ended); the sparklines keep the last minute.
  const cpuNow = selected.kind === 'instance' ? selected.instance.cpuPercent : history.cpuPercent.at(-1);
  const rssNow = selected.kind === 'instance' ? selected.instance.rssBytes : history.rssBytes.at(-1);
  const flags = [
    ui.anchorSeq === null ? 'follow' : 'paused (G follows)',
    ui.wrap ? 'wrap' : '',
    ui.filter ? `filter "${ui.filter.query}"` : '',
    ui.search ? `search "${ui.search.query}"` : '',
  ].filter(Boolean).join(' · ');
  const {cpu: cpuText, mem: rssText} = formatUsage(cpuNow ?? 0, rssNow ?? 0);
  const title = ` ${name} `;
  // A restart's label carries its symbol already (`↻ 3s`, for the list's state column): not `↻ ↻ 3s` here.
  const state = look ? `${look.label.startsWith(look.symbol) ? look.label : `${look.symbol} ${look.label}`} ` : '';
  // Flags come first because they explain what the pane shows; sparklines get what is left (up to 20 columns each).
  const fixed = title.length + state.length + flags.length + 3 + ` cpu  ${cpuText}  mem  ${rssText} `.length;
  const sparkWidth = Math.max(0, Math.min(20, Math.floor((layout.logWidth - fixed) / 2)));
  const spark = (values: number[]): string => (sparkWidth > 0 ? `${formatSparkline(values, sparkWidth, {span: frame.historySamples})} ` : '');
  const stats = ` cpu ${spark(history.cpuPercent)}${cpuText}  mem ${spark(history.rssBytes)}${rssText} `;
  const body = `${bold(title)}${look ? paintIf(state, colorOfTone(look.tone, false), noColor) : ''}· ${flags} ${stats}`;
  // Summed from the parts, which are ASCII and one-column symbols but for the
  // typed search or filter text: measuring the styled line with its sparklines
  // takes string-width ~100 µs, on every frame.
  const width = title.length + state.length + 2 + stringWidth(flags) + 1 + stats.length;
  const line = width <= layout.logWidth ? body : cutStyled(body, layout.logWidth);
  return isFocused ? inverse(line) : line;
}
