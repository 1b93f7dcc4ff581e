import {describe, expect, it} from 'vitest';
import {runPager, ScreenWriter, toOsc52} from '../../../src/ui/terminal.js';

function fakeStdout(): {stream: NodeJS.WriteStream; written: string[]} {
  const written: string[] = [];
  return {written, stream: {write: (chunk: string) => written.push(chunk) > 0} as unknown as NodeJS.WriteStream};
}

describe('ScreenWriter', () => {
  it('clears and draws every line first, then only the lines that changed', () => {
    const {stream, written} = fakeStdout();
    const writer = new ScreenWriter(stream);
    writer.draw(['a', 'b', 'c']);
    expect(written[0]).toContain('\u001B[2J');
    expect(written[0]).toContain('\u001B[1;1H');
    expect(written[0]).toContain('\u001B[3;1H');
    writer.draw(['a', 'B', 'c']);
    expect(written[1]).toContain('\u001B[2;1H');
    expect(written[1]).not.toContain('\u001B[1;1H');
    expect(written[1]).not.toContain('\u001B[3;1H');
    writer.draw(['a', 'B', 'c']);
    expect(written).toHaveLength(2);
  });

  it('redraws everything after invalidate (a resize) and draws nothing while paused', () => {
    const {stream, written} = fakeStdout();
    const writer = new ScreenWriter(stream);
    writer.draw(['a', 'b']);
    writer.isPaused = true;
    writer.draw(['x', 'y']);
    expect(written).toHaveLength(1);
    writer.isPaused = false;
    writer.invalidate();
    writer.draw(['a', 'b']);
    expect(written[1]).toContain('\u001B[2J');
    expect(written[1]).toContain('\u001B[2;1H');
  });
});

describe('toOsc52', () => {
  it('encodes the text in base64 for the clipboard', () => {
    expect(toOsc52('héllo')).toBe(`\u001B]52;c;${Buffer.from('héllo').toString('base64')}\u0007`);
  });
});

describe('runPager', () => {
  it('resolves when the pager ends well, and says so when it cannot be run or fails', async () => {
    const env = {PATH: process.env.PATH};
    await expect(runPager('text\n', {...env, PAGER: 'true'})).resolves.toBeUndefined();
    await expect(runPager('text\n', {...env, PAGER: 'no-such-pager-procdeck'})).rejects.toThrow('"no-such-pager-procdeck" was not found (set PAGER to a pager you have)');
    await expect(runPager('text\n', {...env, PAGER: 'false'})).rejects.toThrow('"false" exited with code 1');
  });
});
