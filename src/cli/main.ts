/**
 * The Node command line: `lr-schedules <command> [flags]` (`npm run -s cli -- …`
 * from a checkout). Commands live in COMMANDS; `sweep` and `verify` plug in there.
 *
 * Exit codes: 0 success; 2 bad input (flags, config, steps; one line on stderr,
 * nothing on stdout, no output file created or touched); 1 an internal error.
 */
import { ScheduleConfigError, StepError } from '../index.ts';
import { CliUsageError } from './errors.ts';
import { EVAL_USAGE, parseEvalOptions, runEval } from './eval-command.ts';
import { processIo, type CliIo } from './io.ts';
import { writeFileAtomic } from './output.ts';

/** A command: parses its flags, runs, and returns the text to print (or to write to --out). */
interface Command {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<{ text: string; out: string | undefined } | 'help'>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  eval: {
    summary: 'evaluate a Keras schedule at steps',
    usage: EVAL_USAGE,
    async run(argv, io) {
      const opts = await parseEvalOptions(argv, io);
      if (opts === 'help') return 'help';
      return { text: await runEval(opts), out: opts.out };
    },
  },
};

/** The top-level usage text. */
export function usage(): string {
  const cmds = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
    .join('\n');
  return `Usage: lr-schedules <command> [flags]

Commands:
${cmds}

${Object.values(COMMANDS)
  .map((c) => c.usage)
  .join('\n\n')}

Exit codes: 0 ok, 2 bad input (one line on stderr), 1 internal error.
`;
}

/** One line: the message without newlines. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined) throw new CliUsageError('missing command (try --help)');
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(usage());
      return 0;
    }
    const cmd = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (cmd === undefined) {
      throw new CliUsageError(`unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(', ')}; try --help)`);
    }
    const r = await cmd.run(rest, io);
    if (r === 'help') {
      io.stdout(`${cmd.usage}\n`);
      return 0;
    }
    if (r.out !== undefined) {
      try {
        writeFileAtomic(r.out, r.text);
      } catch (e) {
        throw new CliUsageError(`--out = ${JSON.stringify(r.out)}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    } else io.stdout(r.text);
    return 0;
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof ScheduleConfigError || e instanceof StepError) {
      io.stderr(`lr-schedules: ${oneLine(e.message)}\n`);
      return 2;
    }
    io.stderr(`lr-schedules: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
}

// Run when executed directly (tsx src/cli/main.ts, or the bundled dist/cli.js).
const isMain = (() => {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  return /(?:^|[/\\])(?:main\.ts|cli\.js|lr-schedules(?:\.js)?)$/.test(entry);
})();
if (isMain) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
