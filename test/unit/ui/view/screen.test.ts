import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {UiStore} from '../../../../src/ui/store.js';
import {renderScreen} from '../../../../src/ui/view/screen.js';
import {FakeApi, instance} from '../../../helpers/fake-api.js';

function storeWith(columns: number, rows: number): UiStore {
  const now = Date.now();
  const api = new FakeApi({
    instances: [
      instance('web.1', {status: 'running', pid: 4312, since: now}, {listenPorts: [5000, 5001, 5002, 5003]}),
      instance('a-rather-long-worker-name.1', {status: 'restarting', exit: {code: 1, signal: null}, at: now + 3000}),
    ],
  });
  for (let i = 0; i < 100; i += 1) api.print('web.1', `\u001B[33mline\u001B[39m ${i} ${'x'.repeat(i * 3)}`);
  return new UiStore(api, {size: {columns, rows}, noColor: false});
}

describe('renderScreen', () => {
  it.each([[60, 15], [70, 20], [100, 30], [120, 40], [250, 60]])('fills %dx%d exactly, never wider', (columns, rows) => {
    const store = storeWith(columns, rows);
    for (const mode of [{kind: 'normal'}, {kind: 'help', page: 0}, {kind: 'signals', index: 3, target: 'web.1'}] as const) {
      store.update({mode, selectedKey: 'web.1', wrap: mode.kind === 'normal'});
      const lines = renderScreen(store.getSnapshot());
      expect(lines).toHaveLength(rows);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    }
    store.dispose();
  });

  it('says the terminal is too small in one line', () => {
    const store = storeWith(40, 10);
    expect(renderScreen(store.getSnapshot())).toEqual(['terminal too small: 40x10 (needs 60x15)']);
    store.dispose();
  });
});
