/**
 * One full garbage collection when start-up is over, at a moment procdeck
 * chooses. Loading the UI (Ink, React, Yoga) and compiling its code fills the
 * old generation until V8 runs a full collection on its own, seconds later
 * and at no predictable moment: ~60 ms of CPU (marking threads included),
 * which is most of what an idle UI uses in a ten-second stretch. Done once,
 * right after start-up, the next one is far away.
 *
 * `gc` is only reachable with --expose-gc, which V8 reads when a context is
 * created: the flag is set for the moment it takes to create a throwaway
 * context that hands the function out. Incremental marking is off for the
 * collection itself: V8's memory reducer answers a full collection that
 * freed memory with another one 8 s later, unless incremental marking is off
 * (it is back on for every later collection).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export function collectStartupGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  v8.setFlagsFromString('--no-incremental-marking');
  gc();
  v8.setFlagsFromString('--incremental-marking');
}
