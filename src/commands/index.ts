/** Registers every verb on the program. Each verb lives in its own file. */
import type {Command} from 'commander';
import {registerStart} from './start.js';
import {registerRun} from './run.js';
import {registerCheck} from './check.js';
import {registerExport} from './export.js';
import {registerControlVerbs} from './control-verbs.js';
import {registerAttach} from './attach.js';

export type Registrar = (program: Command) => void;

const registrars: Registrar[] = [registerStart, registerRun, registerCheck, registerExport, registerControlVerbs, registerAttach];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
