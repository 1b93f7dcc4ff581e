import {describe, expect, it} from 'vitest';
import {isCiSet} from '../../../src/commands/start.js';

describe('CI in the environment', () => {
  it.each([['true', true], ['1', true], ['github-actions', true], ['false', false], ['FALSE', false], ['0', false], ['no', false], ['', false], [undefined, false]])(
    'CI=%j means a CI run (no UI): %s',
    (value, expected) => {
      expect(isCiSet(value)).toBe(expected);
    },
  );
});
