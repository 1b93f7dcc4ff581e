import {describe, expect, it} from 'vitest';
import {join} from 'node:path';
import {parseProcfile, readProcfile} from '../../../src/config/procfile.js';
import {ConfigError, ConfigErrors} from '../../../src/config/errors.js';
import {makeProject, messagesOf} from './temp-project.js';

describe('parseProcfile', () => {
  it('reads name: command lines in order, trimming both sides', () => {
    expect(parseProcfile('web:   npm start  \n  worker :node worker.js\n', 'Procfile')).toEqual([
      {name: 'web', command: 'npm start', line: 1},
      {name: 'worker', command: 'node worker.js', line: 2},
    ]);
  });

  it('ignores comments and blank lines but keeps line numbers', () => {
    const entries = parseProcfile('# the stack\n\n   \n  # indented comment\nweb: serve # not a comment\n', 'Procfile');
    expect(entries).toEqual([{name: 'web', command: 'serve # not a comment', line: 5}]);
  });

  it('accepts CRLF line endings and a UTF-8 BOM', () => {
    const entries = parseProcfile('\uFEFFweb: npm start\r\nworker: node w.js\r\n', 'Procfile');
    expect(entries.map((e) => [e.name, e.command])).toEqual([['web', 'npm start'], ['worker', 'node w.js']]);
  });

  it('accepts a BOM in raw bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('web: x\n')]);
    expect(parseProcfile(bytes, 'Procfile')[0]?.name).toBe('web');
  });

  it('accepts dashes, underscores and digits in names', () => {
    const names = parseProcfile('web-1: a\nworker_2: b\n3d: c\nA-b_C: d\n', 'Procfile').map((e) => e.name);
    expect(names).toEqual(['web-1', 'worker_2', '3d', 'A-b_C']);
  });

  it('keeps colons inside the command', () => {
    const [entry] = parseProcfile('web: node -e "console.log(1)" --url http://localhost:5000/a:b\n', 'Procfile');
    expect(entry?.command).toBe('node -e "console.log(1)" --url http://localhost:5000/a:b');
  });

  it('reports a line without a colon with file, line and fix', () => {
    expect(messagesOf(() => parseProcfile('web: a\n\nweb npm start\n', 'Procfile'))).toEqual([
      'Procfile:3: expected "name: command", got "web npm start" (put a colon after the process name)',
    ]);
  });

  it('reports an invalid process name', () => {
    const [message] = messagesOf(() => parseProcfile('web.1: a\n', 'Procfile'));
    expect(message).toMatch(/^Procfile:1: expected "name: command", got "web\.1: a" \(process names use only letters/);
  });

  it('reports a missing name before the colon', () => {
    expect(messagesOf(() => parseProcfile(': npm start\n', 'Procfile'))[0]).toMatch(/^Procfile:1: .*put the process name before the colon/);
  });

  it('reports a duplicate name and where the first one was', () => {
    expect(messagesOf(() => parseProcfile('web: a\nworker: b\nweb: c\n', 'Procfile'))).toEqual([
      'Procfile:3: duplicate process name "web", first defined on line 1 (rename or remove one of them)',
    ]);
  });

  it('reports an empty command', () => {
    expect(messagesOf(() => parseProcfile('web:   \n', 'Procfile'))).toEqual([
      'Procfile:1: process "web" has an empty command (write the command after the colon)',
    ]);
  });

  it('reports every bad line at once, in one ConfigErrors', () => {
    let thrown: unknown;
    try {
      parseProcfile('oops\nweb: a\nweb: b\napi:\n', 'config/Procfile.dev');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigErrors);
    expect((thrown as ConfigErrors).errors.map((e) => e.where)).toEqual([
      'config/Procfile.dev:1',
      'config/Procfile.dev:3',
      'config/Procfile.dev:4',
    ]);
  });

  it('reports an empty Procfile, or one with only comments', () => {
    for (const text of ['', '\n\n', '# nothing here\n']) {
      expect(messagesOf(() => parseProcfile(text, 'Procfile'))).toEqual([
        'Procfile: no processes defined (add a line like "web: npm start")',
      ]);
    }
  });

  it('reports binary garbage as one error instead of one per line', () => {
    const nul = Buffer.from('web: a\n\u0000\u0001\u0002\nmore garbage\nand more\n');
    const badUtf8 = Buffer.from([0x77, 0x65, 0x62, 0x3a, 0x20, 0xff, 0xfe, 0x0a]);
    for (const bytes of [nul, badUtf8]) {
      expect(messagesOf(() => parseProcfile(bytes, 'Procfile'))).toEqual([
        'Procfile: is not a text file (it contains NUL bytes or invalid UTF-8) (pass the Procfile with -f PATH)',
      ]);
    }
  });
});

describe('readProcfile', () => {
  it('names the absolute path of a missing Procfile and how to fix it', () => {
    const dir = makeProject({});
    const path = join(dir, 'Procfile');
    let thrown: unknown;
    try {
      readProcfile(path, 'Procfile');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(`Procfile: not found at ${path} (create one, or pass -f PATH)`);
  });

  it('says so when the path is a directory', () => {
    const dir = makeProject({'Procfile/x': ''});
    expect(messagesOf(() => readProcfile(join(dir, 'Procfile'), 'Procfile'))[0]).toMatch(/^Procfile: .* is a directory, not a file/);
  });

  it('reads a file from disk', () => {
    const dir = makeProject({Procfile: 'web: npm start\n'});
    expect(readProcfile(join(dir, 'Procfile'), 'Procfile')).toEqual([{name: 'web', command: 'npm start', line: 1}]);
  });
});

describe('reserved names', () => {
  it.each(['all', 'system'])('refuses a process named %s, naming the line', (name) => {
    expect(() => parseProcfile(`web: x\n${name}: y\n`, 'Procfile')).toThrow(new RegExp(`Procfile:2: "${name}" is reserved for procdeck's own use .*\\(rename the process\\)`));
  });
});
