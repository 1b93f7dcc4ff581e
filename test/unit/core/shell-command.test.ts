import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {isSimpleCommand, shellScript} from '../../../src/core/shell-command.js';

describe('isSimpleCommand', () => {
  it.each([
    'node server.js',
    'npm run dev',
    'bundle exec rails s -p $PORT',
    'node -e "a(); b() && c() | d"',
    "node -e 'x; y & z (w)'",
    'python3 -m http.server ${PORT:-5000} > out.log 2>&1',
    'node app.js # a comment; with a semicolon',
    '  ./bin/worker --queue=default  ',
    'sleep 100',
    'path\\;with\\&escapes',
  ])('%j is one program: exec runs it', (command) => {
    expect(isSimpleCommand(command)).toBe(true);
  });

  it.each([
    ['a list', 'cd app && npm start'],
    ['a sequence', 'migrate; serve'],
    ['a pipeline', 'tail -f log | grep error'],
    ['a background job', 'worker & web'],
    ["dash's background then redirect (not bash's &>)", 'worker &> log'],
    ['a comment hiding nothing, then a list', 'a #b\nc && d'],
    ['a subshell', '(cd app; make)'],
    ['two lines', 'one\ntwo'],
    ['a line continuation', 'node \\\nserver.js'],
    ['command substitution', 'node $(which app)'],
    ['backquotes', 'node `which app`'],
    ['substitution inside double quotes', 'echo "$(date)"'],
    ['an assignment first', 'NODE_ENV=production node server.js'],
    ['a builtin', 'exit 3'],
    ['a quoted builtin', "'exit' 3"],
    ['a builtin with a backslash', '\\echo "a\\nb"'],
    ['echo, which differs from /bin/echo', 'echo "a\\nb"'],
    ['a reserved word', 'while :; do date; done'],
    ['already exec', 'exec node server.js'],
    ['a quote left open', 'node "server.js'],
    ['nothing', '   '],
  ])('%s keeps the shell: %j', (_, command) => {
    expect(isSimpleCommand(command)).toBe(false);
  });
});

describe('shellScript', () => {
  it('execs a simple command', () => {
    expect(shellScript('node server.js', 'SIGTERM')).toBe('exec node server.js');
  });

  it('traps the survivable signals for a compound command, except the stop signal', () => {
    expect(shellScript('cd app && npm start', 'SIGTERM')).toBe('trap : HUP INT QUIT USR1 USR2\ncd app && npm start');
    expect(shellScript('cd app && npm start', 'SIGINT')).toBe('trap : HUP QUIT USR1 USR2\ncd app && npm start');
  });

  it('runs in sh as the command would, output and exit code alike', () => {
    for (const command of ['printf "%s|" a "b c"; exit 3', 'printf "%s|" a "b c"', "sh -c 'exit 4'"]) {
      const run = (script: string) => {
        try {
          return {out: execFileSync('/bin/sh', ['-c', script], {encoding: 'utf8'}), code: 0};
        } catch (error) {
          const failed = error as {stdout: string; status: number};
          return {out: failed.stdout, code: failed.status};
        }
      };
      expect(run(shellScript(command, 'SIGTERM'))).toEqual(run(command));
    }
  });
});
