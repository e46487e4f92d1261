/** A bad command line (flag, value, command): exit code 2, one line on stderr. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** The backend asked for cannot run here (e.g. --backend webgpu without a WebGPU device): exit code 3. */
export class CliBackendUnavailableError extends Error {
  override name = 'CliBackendUnavailableError';
}

/** The CLI's exit codes. */
export const EXIT = {
  /** Success (verify: every checked value lies in its acceptance interval). */
  ok: 0,
  /** verify: some value violates the accuracy bound (a finding, not bad input); other commands: an internal error. */
  failed: 1,
  /** Bad input: flags, config, steps, output path. */
  usage: 2,
  /** The backend asked for is unavailable or failed (no WebGPU adapter, device lost under --backend webgpu). */
  unavailable: 3,
} as const;
