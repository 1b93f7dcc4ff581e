/**
 * procdeck's entry point. The V8 flags in runtime-flags.ts only help when they
 * are set before V8 compiles the bulk of the code (compiling it grows the heap,
 * which is what starts the memory reducer's clock), so the program is imported
 * after them, as its own chunk.
 */
import './runtime-flags.js';

await import('./program.js');
