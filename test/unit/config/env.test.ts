import {describe, expect, it} from 'vitest';
import {join} from 'node:path';
import {instanceEnv, instanceName, loadEnvFiles} from '../../../src/config/env.js';
import {makeProject, messagesOf} from './temp-project.js';

const stack = {basePort: 5000, fileEnv: {FROM_FILE: 'file', SHARED: 'file'}};
const web = {name: 'web', index: 0, env: {FROM_PROC: 'proc'}};
const worker = {name: 'worker', index: 1, env: {SHARED: 'proc'}};

describe('instanceEnv', () => {
  it('layers inherited < env files < process env < PORT and PS', () => {
    const env = instanceEnv(
      {basePort: 5000, fileEnv: {A: 'file', B: 'file', PORT: '1'}},
      {name: 'web', index: 0, env: {B: 'proc', PS: 'nope'}},
      1,
      {A: 'inherited', C: 'inherited', PORT: '9', UNSET: undefined},
    );
    expect(env).toMatchObject({A: 'file', B: 'proc', C: 'inherited', PORT: '5000', PS: 'web.1'});
    expect('UNSET' in env).toBe(false);
  });

  it('gives the second instance of the second type its own PORT and PS', () => {
    expect(instanceEnv(stack, worker, 2, {})).toMatchObject({PORT: '5101', PS: 'worker.2', SHARED: 'proc'});
  });

  it('sets FORCE_COLOR=1 and PYTHONUNBUFFERED=1 by default', () => {
    expect(instanceEnv(stack, web, 1, {})).toMatchObject({FORCE_COLOR: '1', PYTHONUNBUFFERED: '1'});
  });

  it('sets neither for output that does not go through procdeck\'s pipes (procdeck run), keeping what was inherited', () => {
    const env = instanceEnv(stack, web, 1, {}, {isOutputPiped: false});
    expect(env).toMatchObject({PORT: '5000', PS: 'web.1'});
    expect([env.FORCE_COLOR, env.PYTHONUNBUFFERED]).toEqual([undefined, undefined]);
    expect(instanceEnv(stack, web, 1, {FORCE_COLOR: '3'}, {isOutputPiped: false}).FORCE_COLOR).toBe('3');
  });

  it('leaves FORCE_COLOR out when NO_COLOR is set anywhere in the result', () => {
    expect(instanceEnv(stack, web, 1, {NO_COLOR: '1'}).FORCE_COLOR).toBeUndefined();
    expect(instanceEnv({...stack, fileEnv: {NO_COLOR: 'yes'}}, web, 1, {}).FORCE_COLOR).toBeUndefined();
    expect(instanceEnv(stack, {...web, env: {NO_COLOR: '1'}}, 1, {}).FORCE_COLOR).toBeUndefined();
  });

  it('treats an empty NO_COLOR as unset, as no-color.org says', () => {
    expect(instanceEnv(stack, web, 1, {NO_COLOR: ''}).FORCE_COLOR).toBe('1');
  });

  it('keeps a FORCE_COLOR or PYTHONUNBUFFERED the user already chose', () => {
    const env = instanceEnv(stack, {...web, env: {FORCE_COLOR: '0'}}, 1, {PYTHONUNBUFFERED: ''});
    expect(env.FORCE_COLOR).toBe('0');
    expect(env.PYTHONUNBUFFERED).toBe('');
  });

  it('names instances name.N', () => {
    expect(instanceName(web, 3)).toBe('web.3');
  });
});

describe('loadEnvFiles', () => {
  it('parses dotenv syntax, later files winning', () => {
    const dir = makeProject({
      'a.env': '# comment\nA=1\nB="two words"\nexport C=3\nMULTI="x\ny"\n',
      'b.env': "B='from b'\nD=4 # trailing comment\n",
    });
    const loaded = loadEnvFiles([
      {path: join(dir, 'a.env'), label: 'a.env', isOptional: false},
      {path: join(dir, 'b.env'), label: 'b.env', isOptional: false},
    ]);
    expect(loaded.values).toEqual({A: '1', B: 'from b', C: '3', MULTI: 'x\ny', D: '4'});
    expect(loaded.paths).toEqual([join(dir, 'a.env'), join(dir, 'b.env')]);
  });

  it('reports every line dotenv would skip without a word, with file:line, and reads none of the file', () => {
    const dir = makeProject({
      'bad.env': 'OK=1\nDATABASE URL=postgres://x\n# a comment\n\njust words\n=x\nA:1\nexport B=2\nC: 3\n',
    });
    expect(messagesOf(() => loadEnvFiles([{path: join(dir, 'bad.env'), label: 'bad.env', isOptional: false}]))).toEqual([
      'bad.env:2: not a KEY=value line: "DATABASE URL=postgres://x" (write it as KEY=value, the key in letters, digits, _ . - (no spaces), or make it a comment with #)',
      'bad.env:5: not a KEY=value line: "just words" (write it as KEY=value, the key in letters, digits, _ . - (no spaces), or make it a comment with #)',
      'bad.env:6: not a KEY=value line: "=x" (write it as KEY=value, the key in letters, digits, _ . - (no spaces), or make it a comment with #)',
      'bad.env:7: not a KEY=value line: "A:1" (write it as KEY=value, the key in letters, digits, _ . - (no spaces), or make it a comment with #)',
    ]);
  });

  it('takes the lines inside a quoted value that spans lines as part of it, whatever they look like', () => {
    const dir = makeProject({
      'multi.env': 'KEY="-----BEGIN KEY-----\nnot a = line\n-----END KEY-----"\nCERT=\'a\nb c\'\nESC="say \\"hi\\"\nstill inside"\nAFTER=1\r\n',
    });
    const loaded = loadEnvFiles([{path: join(dir, 'multi.env'), label: 'multi.env', isOptional: false}]);
    expect(loaded.values).toMatchObject({KEY: '-----BEGIN KEY-----\nnot a = line\n-----END KEY-----', CERT: 'a\nb c', AFTER: '1'});
  });

  it('reads a quote that no later one closes as dotenv does, as part of a one-line value, and still checks the lines after it', () => {
    const dir = makeProject({
      'open.env': 'A="foo\nbad line here\nB=2\n',
      'win.env': 'P="C:\\dir\\"\nDATABASE URL=x\nB=2\n',
      'trailing.env': 'T="x\ny" not a comment\nC=3\n',
    });
    const problems = (name: string) => messagesOf(() => loadEnvFiles([{path: join(dir, name), label: name, isOptional: false}])).map((m) => m.split(' (')[0]);
    expect(problems('open.env')).toEqual(['open.env:2: not a KEY=value line: "bad line here"']);
    expect(problems('win.env')).toEqual(['win.env:2: not a KEY=value line: "DATABASE URL=x"']);
    // Text after the closing quote: dotenv reads T's line alone, so `y" not a comment` is a line of its own.
    expect(problems('trailing.env')).toEqual(['trailing.env:2: not a KEY=value line: "y\\" not a comment"']);
  });

  it('skips a missing optional file and reports a missing required one by name', () => {
    const dir = makeProject({});
    const path = join(dir, '.env.local');
    expect(loadEnvFiles([{path: join(dir, '.env'), label: '.env', isOptional: true}])).toEqual({values: {}, paths: []});
    expect(messagesOf(() => loadEnvFiles([{path, label: '.env.local', isOptional: false, missingHint: 'check the -e option'}]))).toEqual([
      `.env.local: not found at ${path} (check the -e option)`,
    ]);
  });

  it('reports a directory given as an env file, even an optional one', () => {
    const dir = makeProject({'.env/x': ''});
    expect(messagesOf(() => loadEnvFiles([{path: join(dir, '.env'), label: '.env', isOptional: true}]))[0]).toMatch(/^\.env: .* is a directory/);
  });

  it('reports a binary env file', () => {
    const dir = makeProject({'bin.env': Buffer.from([0x41, 0x3d, 0x00, 0x01])});
    expect(messagesOf(() => loadEnvFiles([{path: join(dir, 'bin.env'), label: 'bin.env', isOptional: false}]))[0]).toMatch(/^bin\.env: is not a text file/);
  });
});
