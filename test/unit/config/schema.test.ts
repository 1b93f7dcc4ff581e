import {afterEach, describe, expect, it} from 'vitest';
import * as z from 'zod/mini';
import {validateConfig} from '../../../src/config/schema.js';

/** The problem messages for already-parsed YAML data. */
function problemsFor(data: unknown): string[] {
  return validateConfig(data).problems.map((problem) => problem.message);
}

describe('validateConfig messages', () => {
  afterEach(() => {
    z.config({localeError: undefined});
  });

  // zod's locale is process-wide: any module that imports classic zod (the
  // control protocol does) installs the English one. Our wording must not
  // depend on which locale, if any, is loaded; this checks both.
  it.each([
    ['no zod locale', () => undefined],
    ['zod\'s English locale', () => z.config(z.locales.en())],
  ])('words built-in problems the same with %s loaded', (_label, install) => {
    install();
    // Problems come in schema key order: cwd, instances, autostart, restart.
    expect(problemsFor({processes: {web: {restart: 'sometimes', autostart: 'yes', cwd: '', instances: -1}}})).toEqual([
      'expected a non-empty string',
      'expected a whole number (0 or more), got -1',
      'expected true or false, got "yes"',
      'expected one of no, on-failure, always, got "sometimes"',
    ]);
    expect(problemsFor({processes: {db: {ready: {tcp: 70000}}}})).toEqual(['expected a port number or "$PORT", got 70000']);
  });
});

