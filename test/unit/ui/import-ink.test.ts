import {afterEach, describe, expect, it} from 'vitest';
import {importInk} from '../../../src/ui/import-ink.js';

const originalFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = originalFetch;
});

describe('importInk', () => {
  it("loads Ink without its layout engine calling fetch (Node's first fetch loads undici: ~45 ms), and puts fetch back", async () => {
    const calls: unknown[][] = [];
    const recordingFetch: typeof fetch = (...args) => {
      calls.push(args);
      return originalFetch(...args);
    };
    globalThis.fetch = recordingFetch;
    const module = await importInk();
    expect(typeof module.mountInk).toBe('function');
    expect(calls).toEqual([]);
    expect(globalThis.fetch).toBe(recordingFetch);
  });
});
