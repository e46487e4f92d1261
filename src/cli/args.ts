/**
 * Flags of one command: `command --flag value --flag=value --switch`, tokenized by
 * Node's `util.parseArgs` and checked here against the command's declared flags, so
 * that every mistake is a {@link CliUsageError} naming the flag and the rule: unknown,
 * repeated, valueless flags, values given to switches, stray arguments.
 */
import { parseArgs } from 'node:util';
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
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of specs) options[s.name] = { type: s.kind === 'value' ? 'string' : 'boolean' };
  // strict: false so that parseArgs tokenizes everything and the checks below word the errors.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedFlags = new Map();
  const known = (): string => specs.map((s) => `--${s.name}`).join(', ');
  for (const t of tokens) {
    if (t.kind === 'positional') throw new CliUsageError(`${command}: unexpected argument ${JSON.stringify(t.value)} (flags start with --)`);
    if (t.kind === 'option-terminator') throw new CliUsageError(`${command}: unexpected argument "--" (flags start with --)`);
    const name = t.name;
    const spec = t.rawName.startsWith('--') ? specs.find((s) => s.name === name) : undefined;
    if (spec === undefined) throw new CliUsageError(`${command}: unknown flag ${t.rawName} (known: ${known()})`);
    if (out.has(name)) throw new CliUsageError(`${command}: --${name} given more than once`);
    if (spec.kind === 'switch') {
      if (t.inlineValue === true) throw new CliUsageError(`${command}: --${name} takes no value`);
      out.set(name, true);
      continue;
    }
    const value = t.value;
    // `--steps --range 0:3`: parseArgs would take "--range" as the value; a flag is never a value ("-" is stdin).
    if (value === undefined || (t.inlineValue !== true && value.startsWith('--'))) throw new CliUsageError(`${command}: --${name} needs a value`);
    out.set(name, value);
  }
  return out;
}

/** A value flag's string, or undefined. */
export function flagValue(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
