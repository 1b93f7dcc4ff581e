/**
 * Full garbage collections at moments procdeck chooses while the UI starts.
 *
 * Loading Ink, React and Yoga fills the old generation, and V8 collects it on
 * its own, with incremental marking, about a second into the run. That
 * collection arms V8's memory reducer, which runs another full collection
 * 8 s later: ~60 ms of CPU (marking threads included) landing in the first
 * idle seconds, most of what an idle UI uses in ten of them. Collections
 * without incremental marking do not arm it (V8 reads the flag on every
 * collection), so while the UI starts they are made without, and the start-up
 * garbage is collected once, deliberately, when start-up is over. Later
 * collections are incremental again.
 *
 *   beginUiStartup();        // before the UI's modules load
 *   ...                      // Ink mounted, first stats on screen
 *   endUiStartup();          // one full collection; incremental marking back on
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export function beginUiStartup(): void {
  v8.setFlagsFromString('--no-incremental-marking');
}

export function endUiStartup(): void {
  try {
    collectGarbage();
  } finally {
    v8.setFlagsFromString('--incremental-marking');
  }
}

// `gc` is only reachable with --expose-gc, which V8 reads when a context is
// created: the flag is on for as long as it takes to create a throwaway
// context that hands the function out. A Node that does not hand it out
// (it is a V8 detail) just skips the collection.
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : undefined');
  v8.setFlagsFromString('--no-expose-gc');
  if (typeof gc === 'function') gc();
}
