import {describe, expect, it} from 'vitest';
import {computeLayout} from '../../../src/ui/layout.js';

describe('computeLayout', () => {
  it.each([
    {columns: 120, rows: 40, tooSmall: false},
    {columns: 60, rows: 15, tooSmall: false},
    {columns: 59, rows: 40, tooSmall: true},
    {columns: 120, rows: 14, tooSmall: true},
  ])('$columns x $rows too small: $tooSmall', ({columns, rows, tooSmall}) => {
    expect(computeLayout({columns, rows}, 8).tooSmall).toBe(tooSmall);
  });

  it('uses every line: header, body, status bar', () => {
    const layout = computeLayout({columns: 120, rows: 40}, 8);
    expect(layout.frameRows).toBe(40);
    expect(layout.bodyRows).toBe(38);
    expect(layout.logRows).toBe(37);
  });

  it('shows every list column at 120 columns and drops the least useful ones when narrow', () => {
    expect(computeLayout({columns: 120, rows: 40}, 8).listColumns).toEqual(['symbol', 'name', 'state', 'pid', 'cpu', 'mem', 'up', 'restarts', 'ports']);
    expect(computeLayout({columns: 60, rows: 15}, 8).listColumns).toEqual(['symbol', 'name', 'cpu', 'mem']);
  });

  it('gives the list and the log pane the whole width', () => {
    for (const columns of [60, 70, 100, 120, 200]) {
      const layout = computeLayout({columns, rows: 30}, 10);
      expect(layout.listWidth + 1 + layout.logWidth).toBe(columns);
      expect(layout.logWidth).toBeGreaterThanOrEqual(25);
    }
  });

  it('keeps every column, restarts included, at 120 columns with names like migrate.1', () => {
    const layout = computeLayout({columns: 120, rows: 40}, 'migrate.1'.length);
    expect(layout.listColumns).toEqual(['symbol', 'name', 'state', 'pid', 'cpu', 'mem', 'up', 'restarts', 'ports']);
  });
});

describe('computeLayout: the name column', () => {
  const long = 'worker-queue-consumer-alpha.1'.length; // 29

  it('takes up to 20 columns at 120, dropping columns for them if need be', () => {
    expect(computeLayout({columns: 120, rows: 40}, long).nameWidth).toBe(20);
  });

  it('grows past 20 when a wide terminal has room beside every other column', () => {
    const layout = computeLayout({columns: 200, rows: 60}, long);
    expect(layout.nameWidth).toBe(long);
    expect(layout.listColumns).toHaveLength(9);
    expect(computeLayout({columns: 200, rows: 60}, 80).nameWidth).toBeLessThan(80);
  });
});
