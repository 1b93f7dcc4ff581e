/**
 * Every escaping rule the exporters need, in one place, so no env value or
 * command can break out of the file it is written into. Each function names
 * the reader whose rules it follows; the tests read the output back by those
 * same rules (and with the real tools where they run here).
 */
import {UsageError} from '../config/errors.js';

/**
 * The characters every reader we write for takes as themselves, as an
 * allow-list: printable ASCII, and beyond it letters, marks, numbers,
 * punctuation and symbols. Everything else is special to some reader:
 * Python's str.isspace() (supervisord's INI comments and stripping) counts
 * \x1c-\x1f, \x85 and the Unicode spaces; YAML 1.1 readers (libyaml, Go) end
 * lines at \x85, U+2028 and U+2029 and refuse DEL, C1 controls and
 * noncharacters. A character nobody listed falls on the safe side.
 */
const plainChar = String.raw`\x20-\x7e\p{L}\p{M}\p{N}\p{P}\p{S}`;
const nonPlainChar = new RegExp(`[^${plainChar}]`, 'u');

/** Whether every character of `value` is on the allow-list above (no controls, tabs, line breaks or odd spaces). */
export function isPlainText(value: string): boolean {
  return !nonPlainChar.test(value);
}

/** `text` with each character off the allow-list (other than those in `keep`) replaced by its escape sequence. */
export function escapeNonPlainChars(text: string, keep = ''): string {
  return text.replace(new RegExp(`[^${plainChar}${keep}]`, 'gu'), toEscapeSequence);
}

/** `\xHH`, `\uHHHH` or `\UHHHHHHHH`: the escapes of YAML's double-quoted scalars, also readable in a comment. */
function toEscapeSequence(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

// systemd: C-style escapes inside a quoted word (systemd.syntax(7)), then `%`
// doubled because specifiers are expanded on every value we write.
const systemdEscapes: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\f': '\\f',
  '\b': '\\b',
  '\x07': '\\a',
};

/** One double-quoted systemd word whose unquoted, specifier-expanded value is exactly `value`. */
export function quoteSystemdWord(value: string): string {
  rejectUnwritable(value, 'systemd');
  let body = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const named = systemdEscapes[char];
    if (named !== undefined) body += named;
    else if (code < 0x20 || code === 0x7f) body += `\\x${code.toString(16).padStart(2, '0')}`;
    else body += char;
  }
  return `"${body.replaceAll('%', '%%')}"`;
}

/** An `ExecStart=` argument: also doubles `$`, which systemd would otherwise substitute from the environment. */
export function quoteSystemdExecArg(value: string): string {
  return quoteSystemdWord(value.replaceAll('$', () => '$$'));
}

/**
 * A plain systemd setting value (a path, a description), `%` doubled. Such
 * values have no quoting: systemd ends a line at CR, LF or NUL, continues it
 * after a trailing backslash and strips blanks at both ends, so those are refused.
 */
export function escapeSystemdPlain(value: string, what: string): string {
  rejectUnwritable(value, 'systemd');
  if (/[\r\n]/.test(value)) throw new UsageError(`systemd: ${what} ${JSON.stringify(value)} contains a line break, which a unit file cannot hold`);
  if (/^[ \t]|[ \t\\]$/.test(value)) {
    throw new UsageError(`systemd: ${what} ${JSON.stringify(value)} starts or ends with a blank or ends with a backslash, which a unit file would strip or read as a line continuation (rename it)`);
  }
  return value.replaceAll('%', '%%');
}

/**
 * One argument of a supervisord `command=`, which supervisord reads as an INI
 * value (continuation lines stripped, ; or # after whitespace start a comment), then expands
 * `%(...)s`, then splits with POSIX shlex. Single quotes keep everything
 * literal; the rest works around the INI layer.
 */
export function quoteSupervisorArg(value: string): string {
  rejectUnwritable(value, 'supervisord');
  if (value.includes('\r')) {
    throw new UsageError(`supervisord: ${JSON.stringify(value)} contains a carriage return, which supervisord's config reader turns into a line break`);
  }
  const quoted = `'${value.replaceAll("'", `'"'"'`)}'`
    // INI starts a comment at ; or # after any character Python's isspace() accepts (\x1c-\x1f,
    // \x85, Unicode spaces...): unless printable ASCII comes right before, an empty '' goes between.
    .replace(/(?<![\x21-\x7e])(?=[;#])/g, "''")
    // A line break is written inside "..." and the next line starts with a quote,
    // because INI strips the indentation and trailing blanks of continuation lines.
    .replaceAll('\n', `'"\n  "'`)
    // supervisord replaces the text `%(here)s` before anything else, even inside `%%(here)s`.
    .replaceAll('%(', "%''(");
  return quoted.replaceAll('%', '%%');
}

/**
 * One `KEY="value"` pair of supervisord's `environment=`, or undefined when
 * its rules cannot carry the value. supervisord splits that list with a
 * non-POSIX shlex (no escapes, a quote ends at the next same quote), strips
 * every leading and trailing quote character from each value, and reads the
 * line as INI first; values those rules would change go elsewhere, and so
 * does anything off the allow-list, rather than trust it to mean nothing there.
 */
export function quoteSupervisorEnvPair(key: string, value: string): string | undefined {
  if (!isPlainText(value) || mayStartIniComment(value) || /^['"]|['"]$/.test(value) || value.includes('%(here)s')) return undefined;
  const quote = !value.includes('"') ? '"' : !value.includes("'") ? "'" : undefined;
  if (quote === undefined) return undefined;
  return `${key}=${quote}${value.replaceAll('%', '%%')}${quote}`;
}

/** A plain supervisord value (a path): `%` doubled; only allow-listed characters, and nothing INI would strip or take for a comment. */
export function escapeSupervisorPlain(value: string, what: string): string {
  if (!isPlainText(value) || mayStartIniComment(value) || value.trim() !== value || value.includes('%(here)s')) {
    throw new UsageError(`supervisord: ${what} ${JSON.stringify(value)} cannot be written in a supervisord config (it takes printable characters only, with no blank at either end or before ";"/"#" and no %(here)s)`);
  }
  return value.replaceAll('%', '%%');
}

/** Whether some ; or # follows anything but printable ASCII, where INI could start a comment. */
function mayStartIniComment(value: string): boolean {
  return /[^\x21-\x7e][;#]/.test(value);
}

/** Compose interpolates `$VAR`/`${VAR}` everywhere in the file; `$$` is a literal dollar. */
export function escapeComposeInterpolation(value: string): string {
  return value.replaceAll('$', () => '$$');
}

/** Kubernetes expands `$(VAR)` in a container's command, its exec probes and env values; `$$` is a literal dollar. */
export function escapeKubernetesExpansion(value: string): string {
  return value.replaceAll('$', () => '$$');
}

/** One POSIX shell word, single-quoted, for commands we build ourselves (health checks). */
export function quoteShellWord(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A systemd unit-name part: keeps `[A-Za-z0-9_.-]` (also safe for supervisord program names). */
export function toUnitNamePart(value: string): string {
  const name = value.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return name === '' ? 'app' : name;
}

/** A Compose project name: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export function toComposeProjectName(value: string): string {
  const name = value.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return name === '' ? 'app' : name;
}

/** A Kubernetes DNS-1123 label (lowercase alphanumerics and `-`, at most `maxLength`). */
export function toDnsLabel(value: string, maxLength = 63): string {
  const name = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').slice(0, maxLength).replace(/^-+|-+$/g, '');
  return name === '' ? 'app' : name;
}

/** Refuses what no file or process can hold: a NUL byte, or a lone UTF-16 surrogate (no UTF-8 for it). */
export function rejectUnwritable(value: string, format: string): void {
  if (value.includes('\0')) throw new UsageError(`${format}: ${JSON.stringify(value)} contains a NUL byte, which no process can receive`);
  if (/\p{Surrogate}/u.test(value)) throw new UsageError(`${format}: ${JSON.stringify(value)} contains a lone UTF-16 surrogate, which cannot be written as UTF-8`);
}
