/** Turns the shared stack flags into `loadStack` options. */
import {parseDuration} from '../config/durations.js';
import type {LoadOptions} from '../config/load.js';
import {maxPort} from '../config/ports.js';
import {parseIntegerFlag, type StackOptions} from './stack-options.js';

export function toLoadOptions(options: StackOptions): LoadOptions {
  return {
    cwd: process.cwd(),
    env: process.env,
    ...(options.procfile !== undefined && {procfile: options.procfile}),
    ...(options.root !== undefined && {root: options.root}),
    ...(options.config !== undefined && {config: options.config}),
    ...(options.env !== undefined && {envFiles: options.env.split(',').map((f) => f.trim()).filter(Boolean)}),
    ...(options.formation !== undefined && {formation: options.formation}),
    ...(options.port !== undefined && {port: parseIntegerFlag('--port', options.port, 1, maxPort)}),
    ...(options.timeout !== undefined && {stopTimeoutMs: parseDuration(options.timeout, '--timeout')}),
  };
}
