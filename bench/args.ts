/** Command-line arguments of bench/run.ts (pure; test/bench-args.test.ts). */
import { GROUPS, type Group } from './types.ts';

/**
 * Groups only the Node runner has (not in the suite, not on the page): `cli-crossover`
 * (asked for by name only), `instructions` and `cpu-jobs` (also in the default run).
 */
export const NODE_GROUPS = ['cli-crossover', 'instructions', 'cpu-jobs'] as const;
export type NodeGroup = (typeof NODE_GROUPS)[number];

export interface Args {
  json: boolean;
  out: string | undefined;
  quick: boolean;
  only: Set<Group>;
  /** Node-only groups: asked for with --only (bench/cli-crossover.ts), or `instructions` in a run without --only (bench/instructions.ts). */
  nodeOnly: Set<NodeGroup>;
  sizes: number[] | undefined;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, out: undefined, quick: false, only: new Set(GROUPS), nodeOnly: new Set(['instructions', 'cpu-jobs']), sizes: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        args.json = true;
        break;
      case '--out':
        args.out = value();
        break;
      case '--quick':
        args.quick = true;
        break;
      case '--self-test':
        args.only = new Set(['self-test']);
        args.nodeOnly = new Set();
        break;
      case '--only': {
        const names = value().split(',').map((s) => s.trim());
        const known = [...GROUPS, ...NODE_GROUPS] as readonly string[];
        for (const n of names) if (!known.includes(n)) throw new Error(`--only: unknown group '${n}' (groups: ${known.join(', ')})`);
        args.only = new Set(names.filter((n): n is Group => (GROUPS as readonly string[]).includes(n)));
        args.nodeOnly = new Set(names.filter((n): n is NodeGroup => (NODE_GROUPS as readonly string[]).includes(n)));
        break;
      }
      case '--sizes':
        args.sizes = value()
          .split(',')
          .map((s) => Number(s));
        if (args.sizes.some((x) => !Number.isInteger(x) || x < 4 || x > 28)) throw new Error('--sizes: log2 sizes, integers 4…28');
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument '${a}' (see bench/run.ts)`);
    }
  }
  return args;
}
