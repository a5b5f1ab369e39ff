/** The CLI's flags, checked: anything wrong is a {@link UsageError} before any file is read. */
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

export interface CliArgs {
  help: boolean;
  from: string;
  to: string;
  users: string;
  journal?: string;
  concurrency?: number;
  maxRate?: number;
  shard?: { index: number; count: number };
  dryRun: boolean;
  json: boolean;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return value;
}

export function parseCliArgs(argv: readonly string[]): CliArgs | { help: true } {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { help: true };
  if (command === undefined) throw new UsageError('Missing the command: phone-binding migrate …');
  if (command !== 'migrate') throw new UsageError(`Unknown command "${command}": the one command is migrate`);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        users: { type: 'string' },
        journal: { type: 'string' },
        concurrency: { type: 'string' },
        'max-rate': { type: 'string' },
        shard: { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return { help: true };
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const missing = ['from', 'to', 'users'].filter((name) => text(name) === undefined || text(name) === '');
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((name) => `--${name}`).join(', ')}`);
  const args: CliArgs = {
    help: false,
    from: text('from') ?? '',
    to: text('to') ?? '',
    users: text('users') ?? '',
    dryRun: values['dry-run'] === true,
    json: values.json === true,
  };
  const journal = text('journal');
  if (journal !== undefined) args.journal = journal;
  const concurrency = text('concurrency');
  if (concurrency !== undefined) args.concurrency = integer('--concurrency', concurrency, 1, 1000);
  const maxRate = text('max-rate');
  if (maxRate !== undefined) {
    const value = Number(maxRate);
    if (!Number.isFinite(value) || value <= 0) {
      throw new UsageError(`--max-rate must be a positive number of requests per second (got "${maxRate}")`);
    }
    args.maxRate = value;
  }
  const shard = text('shard');
  if (shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(shard);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (!match || count < 1 || index >= count) {
      throw new UsageError(`--shard must be i/n with 0 <= i < n, e.g. 0/4 (got "${shard}")`);
    }
    args.shard = { index, count };
  }
  return args;
}
