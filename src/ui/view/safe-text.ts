/**
 * Process output made safe to draw. A process's text reaches procdeck's
 * screen, and through it the user's terminal, so only what cannot act on the
 * terminal passes: text, and colors (SGR). Anything else is dropped whole, as
 * the terminal would have parsed it (ECMA-48): a query such as `ESC [ > c`
 * makes the terminal type its answer into procdeck's input, where it reads as
 * keys (`c` clears the logs); a mode such as mouse reporting or a scroll
 * region outlives procdeck; a cursor move draws over the rest of the screen.
 *
 *   displayText('\x1b[31mred\x1b[0m\x1b[2J\ta', false) // '\x1b[31mred\x1b[0m' + 5 spaces + 'a'
 *   searchableText(line.text)                       // what the pane shows, without colors
 */
import stringWidth from 'string-width';

/**
 * One escape sequence as a terminal reads it, or a lone ESC:
 *   CSI: `ESC [`, parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, a final 0x40-0x7E;
 *   OSC, DCS, SOS, PM, APC: `ESC ] P X ^ _`, then a string up to BEL (OSC) or
 *   ST (`ESC \`); unterminated, it runs to the end of the text, as the terminal
 *   would swallow it;
 *   the rest: `ESC`, intermediates, one final byte (`ESC c`, `ESC ( B`).
 * Anything else after an ESC (a control character) leaves the ESC alone, to be dropped by itself.
 */
// eslint-disable-next-line no-control-regex
const escapeSequence = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[ -/]*[0-~])?/g;
// eslint-disable-next-line no-control-regex
const sgr = /^\u001B\[[0-9;:]*m$/;
/**
 * C0 controls but tab and ESC (ESC is handled first, and only SGR's is left),
 * DEL, and the C1 controls (U+0080-U+009F: `U+009B` is CSI to some terminals).
 */
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u0008\u000A-\u001A\u001C-\u001F\u007F-\u009F]/g;
// eslint-disable-next-line no-control-regex
const anyControl = /[\u0000-\u001F\u007F-\u009F]/;

const tabStop = 8;

/** The line as the log pane draws it: colors kept (none with `noColor`), tabs to the next 8-column stop. */
export function displayText(text: string, noColor: boolean): string {
  if (!anyControl.test(text)) return text;
  return expandTabs(dropControls(text, !noColor));
}

/** The line's visible text, as drawn but without colors: what search and filter match. */
export function searchableText(text: string): string {
  return displayText(text, true);
}

/** The visible text with tabs kept as tabs (the clipboard: a copied table keeps its columns). */
export function copyableText(text: string): string {
  return anyControl.test(text) ? dropControls(text, false) : text;
}

function dropControls(text: string, keepColors: boolean): string {
  const withoutEscapes = text.includes('\u001B') ? text.replace(escapeSequence, (sequence) => (keepColors && sgr.test(sequence) ? sequence : '')) : text;
  return withoutEscapes.replace(controlCharacter, '');
}

function expandTabs(text: string): string {
  if (!text.includes('\t')) return text;
  const parts = text.split('\t');
  let out = '';
  let column = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    out += part;
    column += stringWidth(part);
    if (i < parts.length - 1) {
      const spaces = tabStop - (column % tabStop);
      out += ' '.repeat(spaces);
      column += spaces;
    }
  }
  return out;
}
