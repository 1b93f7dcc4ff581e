/** An error the user caused through a file: printed as one line, exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(`${where}: ${problem}${hint ? ` (${hint})` : ''}`);
  }
}

/** Several config errors reported together, so the user fixes them in one pass. */
export class ConfigErrors extends Error {
  override readonly name = 'ConfigErrors';
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/** A bad command-line argument: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
