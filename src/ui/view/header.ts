/** The top line: stack name, instances up / total, total CPU and memory; `? help` on the right. */
import {formatUsage} from '../format/usage.js';
import {summarizeStack} from '../rows.js';
import type {Frame} from '../store.js';
import {bold, dim, paint} from '../theme.js';
import {fit, widthOf} from './text.js';

export function renderHeader(frame: Frame): string {
  const {stack, noColor, layout} = frame;
  const width = layout.size.columns;
  const totals = summarizeStack(stack);
  const counts = `${totals.up}/${totals.total} running`;
  const usage = formatUsage(totals.cpuPercent, totals.rssBytes);
  const rest = `   CPU ${usage.cpu}   MEM ${usage.mem}`;
  const name = `${stack.name}${stack.remote ? ' (attached)' : ''}`;
  const help = '? help';
  const room = Math.max(0, width - help.length - 1);
  const plain = `procdeck ${name}   ${counts}${rest}`;
  const plainWidth = widthOf(plain); // the directory's name may be CJK
  if (plainWidth > room) return fit(plain, room) + ' ' + dim(help);
  const left = `${bold('procdeck')} ${name}   ${paint(counts, totals.up === totals.total ? 'green' : 'yellow', noColor)}${rest}`;
  return left + ' '.repeat(room - plainWidth + 1) + dim(help);
}
