/**
 * The Node command line: `lr-schedules <command> [flags]` (`npm run -s cli -- …`
 * from a checkout). Commands live in COMMANDS: eval, sweep, verify, plot;
 * `--version` / `-V` prints the package's version.
 *
 * Exit codes: 0 success; 1 verify found values outside the accuracy bound (other
 * commands: an internal error); 2 bad input (flags, config, steps, output path; one
 * line on stderr, nothing on stdout, no output file created or touched); 3 the backend
 * asked for is unavailable (--backend webgpu without a WebGPU device).
 */
import { EvaluatorInputError, GpuUnsupportedError, ScheduleConfigError, StepError } from '../index.ts';
import { BackendContext, type EvaluatorFactory } from './backends.ts';
import { CliBackendUnavailableError, CliUsageError, EXIT } from './errors.ts';
import { EVAL_USAGE, SWEEP_USAGE, runValuesCommand } from './eval-command.ts';
import { processIo, type CliIo } from './io.ts';
import { PLOT_USAGE, runPlotCommand } from './plot-command.ts';
import { VERIFY_USAGE, runVerifyCommand } from './verify-command.ts';
import { packageVersion } from './version.ts';

/** A command: parses its flags, runs, writes its output; returns the exit code or 'help'. */
interface Command {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIo, ctx: BackendContext): Promise<number | 'help'>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  eval: {
    summary: 'evaluate one Keras schedule at steps',
    usage: EVAL_USAGE,
    run: (argv, io, ctx) => runValuesCommand('eval', argv, io, ctx),
  },
  sweep: {
    summary: 'evaluate M schedules (a JSON array) at the same steps: M × N values',
    usage: SWEEP_USAGE,
    run: (argv, io, ctx) => runValuesCommand('sweep', argv, io, ctx),
  },
  verify: {
    summary: 'evaluate on a float32 backend and check every value against the exact reference',
    usage: VERIFY_USAGE,
    run: runVerifyCommand,
  },
  plot: {
    summary: 'draw one schedule or a sweep as an SVG (or PNG) chart: axes, title, legend',
    usage: PLOT_USAGE,
    run: runPlotCommand,
  },
};

/** The top-level usage text. */
export function usage(): string {
  const cmds = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
    .join('\n');
  return `Usage: lr-schedules <command> [flags]    (lr-schedules <command> --help for one command)
       lr-schedules --version | -V             (prints the version: ${packageVersion()})

Commands:
${cmds}

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}

Exit codes: 0 ok; 1 verify found values outside the bound (other commands: internal error);
2 bad input (one line on stderr, nothing on stdout, no --out file); 3 backend unavailable.
`;
}

/** Optional replacements for tests. */
export interface CliDeps {
  /** How the evaluator is made (default createEvaluator). */
  readonly createEvaluator?: EvaluatorFactory;
}

/** One line: the message without newlines. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

const isBadInput = (e: unknown): e is Error =>
  e instanceof CliUsageError ||
  e instanceof ScheduleConfigError ||
  e instanceof StepError ||
  e instanceof EvaluatorInputError ||
  e instanceof GpuUnsupportedError;

/** Runs the CLI; returns the exit code. Creates at most one evaluator and destroys it before returning. */
export async function runCli(argv: readonly string[], io: CliIo = processIo, deps: CliDeps = {}): Promise<number> {
  const ctx = new BackendContext(deps.createEvaluator);
  try {
    const [command, ...rest] = argv;
    if (command === undefined) throw new CliUsageError('missing command (try --help)');
    if (command === '--version' || command === '-V') {
      if (rest.length > 0) throw new CliUsageError(`${command}: takes no arguments (got ${JSON.stringify(rest[0])})`);
      await io.stdout(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      const c = topic !== undefined && Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
      if (topic !== undefined && c === undefined) throw new CliUsageError(`help: unknown command ${JSON.stringify(topic)} (commands: ${Object.keys(COMMANDS).join(', ')})`);
      await io.stdout(c === undefined ? usage() : `${c.usage}\n`);
      return EXIT.ok;
    }
    const cmd = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (cmd === undefined) {
      throw new CliUsageError(`unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(', ')}; try --help)`);
    }
    const r = await cmd.run(rest, io, ctx);
    if (r === 'help') {
      await io.stdout(`${cmd.usage}\n`);
      return EXIT.ok;
    }
    return r;
  } catch (e) {
    if (isBadInput(e)) {
      io.stderr(`lr-schedules: ${oneLine(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof CliBackendUnavailableError) {
      io.stderr(`lr-schedules: ${oneLine(e.message)}\n`);
      return EXIT.unavailable;
    }
    io.stderr(`lr-schedules: internal error: ${oneLine(e instanceof Error ? `${e.name}: ${e.message}` : String(e))}\n`);
    return EXIT.failed;
  } finally {
    ctx.close();
  }
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

// Run when executed directly (tsx src/cli/main.ts, or the bundled dist/cli.js).
const isMain = (() => {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return /(?:^|[/\\])(?:main\.ts|cli\.js|lr-schedules(?:\.js)?)$/.test(entry);
})();
if (isMain) {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`lr-schedules: internal error: stdout: ${err.message}\n`, () => process.exit(EXIT.failed));
  });
  void runCli(process.argv.slice(2)).then(async (code) => {
    process.exitCode = code;
    // Dawn can keep the event loop alive after the evaluator is destroyed: exit
    // explicitly, once stdout and stderr are flushed (large outputs are not cut).
    await flushed(process.stdout);
    await flushed(process.stderr);
    process.exit(code);
  });
}
