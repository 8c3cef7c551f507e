/** A failure the user can act on: printed as its message, no stack trace, exit code 1 or 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
