import {describe, expect, it} from 'vitest';
import {instancePort, resolveBasePort} from '../../../src/config/ports.js';

describe('instancePort', () => {
  it('gives each type a block of 100 and each instance the next port', () => {
    const stack = {basePort: 5000};
    expect(instancePort(stack, {index: 0}, 1)).toBe(5000);
    expect(instancePort(stack, {index: 0}, 2)).toBe(5001);
    expect(instancePort(stack, {index: 1}, 1)).toBe(5100);
    expect(instancePort(stack, {index: 1}, 2)).toBe(5101);
    expect(instancePort({basePort: 3000}, {index: 2}, 3)).toBe(3202);
  });
});

describe('resolveBasePort', () => {
  const base = {fileEnv: {}, fileEnvLabel: '.env', inherited: {}};
  it('prefers -p over everything', () => {
    expect(resolveBasePort({...base, flag: 4000, fileEnv: {PORT: '6000'}, inherited: {PORT: '7000'}})).toBe(4000);
  });
  it('then PORT from the env files', () => {
    expect(resolveBasePort({...base, fileEnv: {PORT: '6000'}, inherited: {PORT: '7000'}})).toBe(6000);
  });
  it('then $PORT', () => {
    expect(resolveBasePort({...base, inherited: {PORT: '7000'}})).toBe(7000);
  });
  it('then 5000', () => {
    expect(resolveBasePort(base)).toBe(5000);
  });
  it('reports a PORT that is not a port, naming where it came from', () => {
    expect(() => resolveBasePort({...base, fileEnv: {PORT: 'abc'}})).toThrow('.env: PORT: expected a port number (1-65535), got "abc" (or pass -p N)');
    expect(() => resolveBasePort({...base, inherited: {PORT: '99999'}})).toThrow('$PORT: expected a port number (1-65535), got "99999"');
  });
});
