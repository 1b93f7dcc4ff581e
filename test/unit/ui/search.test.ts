import {describe, expect, it} from 'vitest';
import {compileMatcher} from '../../../src/ui/search.js';

describe('compileMatcher', () => {
  it.each([
    ['error', 'An ERROR here', true],
    ['Error', 'an error here', false],
    ['Error', 'an Error here', true],
    ['a.b', 'axb', false],
    ['', 'anything', false],
  ])('%s in %j: %s', (query, text, expected) => {
    expect(compileMatcher(query).test(text)).toBe(expected);
  });

  it('reports every non-overlapping match', () => {
    expect(compileMatcher('aa').ranges('aaaaa')).toEqual([[0, 2], [2, 4]]);
    expect(compileMatcher('x').ranges('abc')).toEqual([]);
  });
});
