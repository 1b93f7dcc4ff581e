/**
 * V8 settings for a long-running, mostly idle manager. Imported by cli.ts before
 * anything else is loaded.
 *
 * Once the old generation has grown 1 MB past start-up without a full garbage
 * collection, V8's memory reducer waits eight seconds and then shrinks the heap
 * with full collections: 40-50 ms of CPU (marking threads included) for a
 * 12 MB heap, nearly all of procdeck's CPU use in its first idle seconds and
 * for ~2 MB of memory back (the trigger fires while the bundle is compiled,
 * hence cli.ts). `--no-memory-reducer-for-small-heaps` skips that
 * trigger; the reducer still runs after a full collection that grew the heap
 * (a log flood), then only once. Both flags are read while running (unlike
 * `--no-memory-reducer`, read at start-up). Measured: idle headless procdeck
 * with 20 processes, 3-13 s after start, 0.6% → 0.1-0.2% of a core.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--no-memory-reducer-for-small-heaps');
v8.setFlagsFromString('--memory-reducer-single-gc');
