/**
 * Imports Ink (mount-ink.tsx) without letting its layout engine call `fetch`.
 *
 * Yoga, Ink's layout engine, is WebAssembly inlined as a data: URL. Its
 * loader fetches that URL with the global `fetch` when there is one, and
 * Node's first `fetch` call loads Node's whole HTTP client (undici): ~45 ms
 * on the main thread, measured here, right when the stack's processes are
 * being started. Without a global `fetch` the loader decodes the same bytes
 * itself. So `fetch` is hidden while Ink's modules load and evaluate, and put
 * back as it was; nothing in procdeck uses it (readiness checks use node:http).
 */
export async function importInk(): Promise<typeof import('./mount-ink.js')> {
  const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetchProperty?.configurable) delete (globalThis as {fetch?: unknown}).fetch;
  try {
    return await import('./mount-ink.js');
  } finally {
    if (fetchProperty?.configurable) Object.defineProperty(globalThis, 'fetch', fetchProperty);
  }
}
