/**
 * Colors in one place. Components pass `colorOf(...)` to Ink, which returns
 * undefined under NO_COLOR; log rows are strings, so they get raw SGR codes
 * from `paint`, which also honours NO_COLOR.
 */
import type {Tone} from './format/status.js';

export type ColorName = 'green' | 'yellow' | 'red' | 'gray' | 'cyan' | 'magenta' | 'blue';

const toneColors: Record<Tone, ColorName> = {ok: 'green', busy: 'yellow', idle: 'gray', bad: 'red', info: 'cyan'};

// Red is left out: it means "crashed" and "stderr" everywhere else on screen.
const namePalette: readonly ColorName[] = ['cyan', 'yellow', 'green', 'magenta', 'blue'];

const sgrCodes: Record<ColorName, number> = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90};

/** The color for a status tone. */
export function colorOfTone(tone: Tone, noColor: boolean): ColorName | undefined {
  return noColor ? undefined : toneColors[tone];
}

/** The color of a process type's name, stable by its Procfile position. */
export function colorOfType(typeIndex: number): ColorName {
  return namePalette[((typeIndex % namePalette.length) + namePalette.length) % namePalette.length] ?? 'cyan';
}

/** `color` unless NO_COLOR is in effect: for Ink's `color` prop. */
export function colorOf(color: ColorName, noColor: boolean): ColorName | undefined {
  return noColor ? undefined : color;
}

/** Wraps text in an SGR foreground color (plain text under NO_COLOR). */
export function paint(text: string, color: ColorName, noColor: boolean): string {
  return noColor ? text : `\u001B[${sgrCodes[color]}m${text}\u001B[39m`;
}

/** Dim text; dimming is not a color, so NO_COLOR keeps it. */
export function dim(text: string): string {
  return `\u001B[2m${text}\u001B[22m`;
}

/** Bold text (an attribute, kept under NO_COLOR). */
export function bold(text: string): string {
  return `\u001B[1m${text}\u001B[22m`;
}

/** Reverse video: the selection and the focused pane's header (kept under NO_COLOR). */
export function inverse(text: string): string {
  return `\u001B[7m${text}\u001B[27m`;
}

/** `paint` when a color is given, the text unchanged otherwise. */
export function paintIf(text: string, color: ColorName | undefined, noColor: boolean): string {
  return color ? paint(text, color, noColor) : text;
}

/** Search highlights: reverse video for every match, plus yellow for the current one. */
export function highlight(text: string, isCurrent: boolean, noColor: boolean): string {
  if (isCurrent) return noColor ? `\u001B[7;1;4m${text}\u001B[0m` : `\u001B[30;43m${text}\u001B[0m`;
  return `\u001B[7m${text}\u001B[0m`;
}

export const resetSgr = '\u001B[0m';
