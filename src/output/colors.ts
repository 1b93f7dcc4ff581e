/** Per-process name colors for headless output (the TUI has its own theme). */

const palette = [36, 33, 32, 35, 34, 91, 96, 93, 92, 95, 94];

/** The same type always gets the same color within a run, in Procfile order. */
export function colorFor(typeIndex: number): number {
  return palette[typeIndex % palette.length]!;
}

export function paint(text: string, color: number): string {
  return `\u001b[${color}m${text}\u001b[0m`;
}

/** Colors only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function shouldColor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
