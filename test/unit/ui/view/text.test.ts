import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {fit, fitEnd, fitName, oneColumnSymbols, widthOf} from '../../../../src/ui/view/text.js';

describe('screen text widths', () => {
  it('measures procdeck\'s own symbols by length only where string-width agrees they take one column', () => {
    for (const symbol of oneColumnSymbols) expect(stringWidth(symbol), symbol).toBe(1);
  });

  it('fits wide text in columns, padding where a wide character would cross the edge', () => {
    expect(fit('● web.1', 9)).toBe('● web.1  ');
    expect(fit('日本語', 5)).toBe('日本…');
    expect(widthOf(fit('日本語です', 6))).toBe(6);
    expect(fit('ab', 4, true)).toBe('  ab');
  });

  it('keeps the end of a prompt, and the instance number of a name', () => {
    expect(fitEnd('/日本語日本語', 6)).toBe('…本語 '); // a third wide character would not fit
    expect(widthOf(fitEnd('/日本語日本語', 6))).toBe(6);
    expect(fitName('a_very_long_name.12', 10)).toBe('a_v…ame.12');
    expect(fitName('short.1', 10)).toBe('short.1   ');
  });

  it('cuts a long name in the middle, so that names sharing a prefix or a suffix still differ', () => {
    expect(fitName('worker-queue-consumer-alpha.1', 20)).toBe('worker-qu…er-alpha.1');
    expect(fitName('worker-queue-consumer-beta.1', 20)).toBe('worker-qu…mer-beta.1');
    expect(fitName('alpha-long-running-worker.1', 16)).toBe('alpha-l…worker.1');
    expect(fitName('system-messages-of-procdeck', 12)).toBe('system…cdeck');
    expect(fitName('日本語のプロセス名.1', 10)).toBe('日本…名.1 ');
  });
});
