import {describe, expect, it} from 'vitest';
import {listWindow} from '../../../../src/ui/view/process-list.js';

/** What the list's lines show: `↑`/`↓` markers and row indexes. */
function linesOf(count: number, selected: number, lines: number): string[] {
  const {first, end, above, below} = listWindow(count, selected, lines);
  const shown = Array.from({length: end - first}, (_, i) => String(first + i));
  return [...(above > 0 ? [`↑${above}`] : []), ...shown, ...(below > 0 ? [`↓${below}`] : [])];
}

describe('listWindow', () => {
  it('shows every row when they fit', () => {
    expect(linesOf(4, 3, 5)).toEqual(['0', '1', '2', '3']);
  });

  it('never uses more lines than it has, and always shows the selection', () => {
    for (let count = 1; count <= 12; count++) {
      for (let lines = 1; lines <= 8; lines++) {
        for (let selected = 0; selected < count; selected++) {
          const shown = linesOf(count, selected, lines);
          expect(shown.length, `${count} rows, ${lines} lines, selected ${selected}`).toBeLessThanOrEqual(lines);
          expect(shown).toContain(String(selected));
          if (count > lines) expect(shown).toHaveLength(lines);
        }
      }
    }
  });

  it('puts a marker where rows are hidden, the selection as low as it can be', () => {
    expect(linesOf(10, 0, 4)).toEqual(['0', '1', '2', '↓7']);
    expect(linesOf(10, 3, 4)).toEqual(['↑2', '2', '3', '↓6']);
    expect(linesOf(10, 9, 4)).toEqual(['↑7', '7', '8', '9']);
  });
});
