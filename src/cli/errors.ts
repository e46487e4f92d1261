/** A bad command line (flag, value, command): exit code 2, one line on stderr. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}
