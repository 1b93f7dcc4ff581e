/**
 * Every escaping rule the exporters need, in one place, so no env value or
 * command can break out of the file it is written into. Each function names
 * the reader whose rules it follows; the tests read the output back by those
 * same rules (and with the real tools where they run here).
 */
import {UsageError} from '../config/errors.js';

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
  rejectNul(value, 'systemd');
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

/** A plain systemd setting value (a path): specifiers escaped; such values have no quoting, so a line break cannot be written. */
export function escapeSystemdPlain(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) throw new UsageError(`systemd: ${what} ${JSON.stringify(value)} contains a line break, which a unit file cannot hold`);
  return value.replaceAll('%', '%%');
}

/**
 * One argument of a supervisord `command=`, which supervisord reads as an INI
 * value (continuation lines stripped, ` ;`/` #` start a comment), then expands
 * `%(...)s`, then splits with POSIX shlex. Single quotes keep everything
 * literal; the rest works around the INI layer.
 */
export function quoteSupervisorArg(value: string): string {
  rejectNul(value, 'supervisord');
  if (value.includes('\r')) {
    throw new UsageError(`supervisord: ${JSON.stringify(value)} contains a carriage return, which supervisord's config reader turns into a line break`);
  }
  const quoted = `'${value.replaceAll("'", `'"'"'`)}'`
    // A whitespace followed by ; or # would start an INI comment: an empty '' between keeps them apart.
    .replace(/(\s)(?=[;#])/g, "$1''")
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
 * line as INI first; values those rules would change go elsewhere.
 */
export function quoteSupervisorEnvPair(key: string, value: string): string | undefined {
  if (/[\r\n\0]/.test(value) || /\s[;#]/.test(value) || /^['"]|['"]$/.test(value) || value.includes('%(here)s')) return undefined;
  const quote = !value.includes('"') ? '"' : !value.includes("'") ? "'" : undefined;
  if (quote === undefined) return undefined;
  return `${key}=${quote}${value.replaceAll('%', '%%')}${quote}`;
}

/** A plain supervisord value (a path, a user): `%` doubled; it cannot hold a line break or an INI comment. */
export function escapeSupervisorPlain(value: string, what: string): string {
  if (/[\r\n\0]/.test(value) || /\s[;#]/.test(value) || value.trim() !== value || value.includes('%(here)s')) {
    throw new UsageError(`supervisord: ${what} ${JSON.stringify(value)} cannot be written in a supervisord config (line break, " ;"/" #", or surrounding blanks)`);
  }
  return value.replaceAll('%', '%%');
}

/** Compose interpolates `$VAR`/`${VAR}` everywhere in the file; `$$` is a literal dollar. */
export function escapeComposeInterpolation(value: string): string {
  return value.replaceAll('$', () => '$$');
}

/** Kubernetes expands `$(VAR)` in a container's command and env values; `$$` is a literal dollar. */
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

function rejectNul(value: string, format: string): void {
  if (value.includes('\0')) throw new UsageError(`${format}: ${JSON.stringify(value)} contains a NUL byte, which no process can receive`);
}
