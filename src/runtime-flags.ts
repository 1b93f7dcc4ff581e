/**
 * V8 settings for a long-running, mostly idle manager. Imported first by cli.ts.
 *
 * About eight seconds after start-up V8's memory reducer shrinks the heap with
 * full garbage collections: two of them by default, 20-35 ms of CPU in all,
 * most of procdeck's CPU use in its first idle seconds. One is enough for a
 * heap this small. Measured: idle headless procdeck with 20 processes, 3-13 s
 * after start, 0.9% → 0.6% of a core (0.2% once past it). Only flags V8 reads
 * while running help here; `--no-memory-reducer` is read at start-up.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--memory-reducer-single-gc');
