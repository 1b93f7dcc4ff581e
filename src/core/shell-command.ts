/**
 * The script `/bin/sh -c` is given for a Procfile command, so that signals
 * sent to the process group reach the program as if it ran alone.
 *
 * dash (Debian's and Ubuntu's /bin/sh) does not exec the last command of
 * `-c`: `sh -c 'node server.js'` stays as node's parent, in the same group.
 * A SIGHUP or SIGUSR1 from the `!` menu (a reload, a log reopen) then kills
 * that shell, whose default action for them is to exit, and the instance
 * ends although node handled the signal. So:
 *
 * - a single simple command runs as `exec CMD`: the program replaces the
 *   shell, and its pid is the one procdeck shows;
 * - anything else (`cd app && npm start`, a pipeline) keeps the shell, which
 *   first sets a no-op trap for the signals programs handle without ending;
 *   a caught signal is reset to its default on exec, so the commands it runs
 *   get them as usual. The instance's stop signal is not trapped, so a stop
 *   still ends the shell itself.
 */

/** Signals of the `!` menu that programs commonly handle and keep running; a shell would die of them. */
const survivableSignals = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/**
 * First words that must stay in the shell: reserved words, and builtins that
 * either have no program of that name or one that behaves differently
 * (`echo` interprets `\n` in dash, /bin/echo does not).
 */
const shellOnlyWords = new Set([
  '!', '{', '}', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while',
  '.', ':', '[', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false',
  'fg', 'getopts', 'hash', 'jobs', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift',
  'source', 'test', 'times', 'trap', 'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait',
]);

/** The `-c` script for `command` (see above); `stopSignal` is the signal that stops the instance. */
export function shellScript(command: string, stopSignal: NodeJS.Signals): string {
  if (isSimpleCommand(command)) return execScript(command);
  const trapped = survivableSignals.filter((signal) => signal !== stopSignal).map((signal) => signal.slice(3));
  // On its own line, so that nothing in the command can change how the trap parses.
  return `trap : ${trapped.join(' ')}\n${command}`;
}

/**
 * `exec CMD` for one program, else the command as it is: where nothing but
 * the program should get signals and no shell needs to survive them (`run`
 * in the foreground, a container's PID 1).
 */
export function execScript(command: string): string {
  return isSimpleCommand(command) ? `exec ${command}` : command;
}

/**
 * True when `command` is one program with its arguments (redirections and
 * `$VAR` included), so that `exec command` runs the same thing. Errs towards
 * false: a quote left open, `$(…)`, backquotes, or any unquoted `;` `&` `|`
 * `(` `)` or newline (but `2>&1` and a `# comment` are fine) keep the shell; so do a leading `VAR=value` (which
 * `exec` would take for the program's name) and a shell-only first word.
 */
export function isSimpleCommand(command: string): boolean {
  const text = command.trim();
  if (text === '') return false;
  const firstWord = /^[^\s;&|()<>]*/.exec(text)![0];
  // Quotes do not make a builtin a program: `'exit' 3` is still the shell's exit.
  const unquoted = firstWord.replace(/['"\\]/g, '');
  if (shellOnlyWords.has(unquoted) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(firstWord)) return false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote === "'") {
      if (char === "'") quote = null;
      continue;
    }
    if (char === '\\') {
      i += 1; // the escaped character is literal (a backslash-newline would be a continuation: refused below)
      if (text[i] === '\n') return false;
      continue;
    }
    if (char === '`' || (char === '$' && text[i + 1] === '(')) return false;
    if (quote === '"') {
      if (char === '"') quote = null;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '#' && /\s/.test(text[i - 1]!)) {
      const lineEnd = text.indexOf('\n', i); // a comment runs to the end of its line
      if (lineEnd === -1) break;
      i = lineEnd - 1;
    }
    else if ((char === '&' || char === '|') && '<>'.includes(text[i - 1]!)) continue; // `2>&1`, `<&3`, `>|`
    else if (';&|()\n'.includes(char)) return false;
  }
  return quote === null;
}
