import {describe, expect, it} from 'vitest';
import {UnfinishedLines} from '../../../src/core/unfinished-lines.js';

describe('UnfinishedLines', () => {
  it('keeps one line per stream, stdout first, and says whether a set changed anything', () => {
    const lines = new UnfinishedLines();
    expect(lines.set('web.1', 'stdout', '')).toBe(false);
    expect(lines.set('web.1', 'stderr', '40%')).toBe(true);
    expect(lines.set('web.1', 'stdout', 'Name? ')).toBe(true);
    expect(lines.set('web.1', 'stdout', 'Name? ')).toBe(false);
    expect(lines.of('web.1')).toEqual([{stream: 'stdout', text: 'Name? '}, {stream: 'stderr', text: '40%'}]);
    expect(lines.ids()).toEqual(['web.1']);
    lines.set('web.1', 'stdout', '');
    lines.set('web.1', 'stderr', '');
    expect(lines.of('web.1')).toEqual([]);
    expect(lines.ids()).toEqual([]);
  });

  it('replaces an instance\'s lines at once, as a mirror receives them, and forgets an instance', () => {
    const lines = new UnfinishedLines();
    expect(lines.replace('web.1', [{stream: 'stderr', text: 'Password: '}])).toBe(true);
    expect(lines.replace('web.1', [{stream: 'stderr', text: 'Password: '}])).toBe(false);
    expect(lines.replace('web.1', [{stream: 'stdout', text: 'ok? '}])).toBe(true);
    expect(lines.of('web.1')).toEqual([{stream: 'stdout', text: 'ok? '}]);
    expect(lines.forget('web.1')).toBe(true);
    expect(lines.of('web.1')).toEqual([]);
  });
});
