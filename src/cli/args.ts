/**
 * A small flag parser: `command --flag value --flag=value --switch`. Each command
 * declares its flags; unknown, repeated or valueless flags are {@link CliUsageError}s.
 */
import { CliUsageError } from './errors.ts';

/** A flag a command accepts: `value` flags take an argument, `switch` flags do not. */
export interface FlagSpec {
  readonly name: string;
  readonly kind: 'value' | 'switch';
}

/** Parsed flags: value flags as strings, switches as true. */
export type ParsedFlags = Map<string, string | true>;

/** Parses `argv` (after the command) against `specs`. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedFlags {
  const out: ParsedFlags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new CliUsageError(`${command}: unexpected argument ${JSON.stringify(arg)} (flags start with --)`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs.find((s) => s.name === name);
    if (spec === undefined) {
      throw new CliUsageError(`${command}: unknown flag --${name} (known: ${specs.map((s) => `--${s.name}`).join(', ')})`);
    }
    if (out.has(name)) throw new CliUsageError(`${command}: --${name} given more than once`);
    if (spec.kind === 'switch') {
      if (eq >= 0) throw new CliUsageError(`${command}: --${name} takes no value`);
      out.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value !== '-')) throw new CliUsageError(`${command}: --${name} needs a value`);
      i++;
    }
    out.set(name, value);
  }
  return out;
}

/** A value flag's string, or undefined. */
export function flagValue(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
