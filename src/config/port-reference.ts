/**
 * Where a command, an env value or a ready check uses the instance's PORT,
 * read as the shell reads it: `$PORT`, `${PORT}`, and the defaulting forms
 * (`${PORT:-3000}`, `${PORT-3000}`, `:=`, `?`, `+`), which procdeck's
 * processes always see as the port itself, since PORT is always set.
 *
 *   mentionsPort('node server.js --port ${PORT:-3000}')   // true
 *   expandPort('http://localhost:${PORT:-3000}/health', 5100) // 'http://localhost:5100/health'
 */
const portReference = /\$(?:PORT(?![A-Za-z0-9_])|\{PORT(?::?[-=?+](?:[^{}]|\{[^{}]*\})*)?\})/;
const everyPortReference = new RegExp(portReference.source, 'g');

export function mentionsPort(text: string): boolean {
  return portReference.test(text);
}

/** `text` with every reference to PORT replaced by `port`. */
export function expandPort(text: string, port: number): string {
  return text.replace(everyPortReference, String(port));
}
