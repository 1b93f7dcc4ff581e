/** Registers every verb on the program. Each verb lives in its own file. */
import type {Command} from 'commander';

export type Registrar = (program: Command) => void;

const registrars: Registrar[] = [];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
