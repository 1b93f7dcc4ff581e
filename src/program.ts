/**
 * The command line: wires commander to `commands/*`. This is the one place
 * that prints fatal errors, picks the exit code and exits. Loaded by cli.ts.
 */
import {Command, CommanderError} from 'commander';
import {ConfigError, ConfigErrors, UsageError} from './config/errors.js';
import {registerCommands} from './commands/index.js';
import {forgetHungUpTerminalAtExit} from './hung-up-terminal.js';

forgetHungUpTerminalAtExit();

const program = new Command('procdeck')
  .description('Run a Procfile stack with a live terminal UI, headless, or as a daemon.')
  .version(process.env.PROCDECK_VERSION ?? '0.1.0')
  .enablePositionalOptions()
  .showHelpAfterError('(run procdeck --help for usage)')
  .addHelpText('after', '\nWith no command, procdeck runs start: `procdeck -m web=2` is `procdeck start -m web=2`\n(its options: procdeck start --help).')
  .exitOverride();
registerCommands(program);

// `procdeck check | head -1`: the reader is gone, so is the point of printing more. A command with
// its own handler (start stops the stack first, logs -f stops following) is left to it.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' || process.stdout.listenerCount('error') > 1) return;
  process.exit();
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version "errors" are normal exits; anything else is bad usage.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ConfigError || error instanceof ConfigErrors || error instanceof UsageError) {
    process.stderr.write(`procdeck: ${error.message.replaceAll('\n', '\nprocdeck: ')}\n`);
    return 2;
  }
  process.stderr.write(`procdeck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
