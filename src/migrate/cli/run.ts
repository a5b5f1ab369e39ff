/**
 * `phone-binding migrate`: flags → backends, users, journal → {@link migratePhones} → report and
 * exit code (0 every user handled, 1 some failed or stopped, 2 bad usage).
 */
import type { Readable } from 'node:stream';
import { isPhoneBindingError } from '../../errors.js';
import { shardOf } from '../hash.js';
import { migratePhones } from '../migrate.js';
import type { MigrateOptions } from '../types.js';
import { parseCliArgs } from './args.js';
import { loadBackend } from './config.js';
import { fileJournal } from './file-journal.js';
import { progressPrinter, reportText } from './progress.js';
import { USAGE, UsageError } from './usage.js';
import { openUsers } from './users-file.js';

/** What the CLI talks to (the process, or a test's stand-ins). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** Standard error is a terminal: a live progress line. */
  tty: boolean;
  /** Ends the run cleanly after the users in flight (SIGINT). */
  signal?: AbortSignal;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<0 | 1 | 2> {
  let journal: ReturnType<typeof fileJournal> | undefined;
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const from = loadBackend('--from', args.from, io.env, args.maxRate);
    const to = loadBackend('--to', args.to, io.env, args.maxRate);
    const users = await openUsers(args.users, io.stdin);
    // A file is read once first: every line is checked and counted (for the ETA) before any request.
    let total: number | undefined;
    if (args.users !== '-') {
      total = 0;
      for await (const user of users()) {
        const id = typeof user === 'string' ? user : user.from;
        if (!args.shard || shardOf(id, args.shard.count) === args.shard.index) total += 1;
      }
    }
    if (args.journal !== undefined) journal = fileJournal(args.journal);
    const printer = progressPrinter(io.stderr, io.tty);
    const options: MigrateOptions = {
      from: from.binding,
      to: to.binding,
      users: users(),
      identity: { from: from.identity, to: to.identity },
      dryRun: args.dryRun,
      // A keyed hash of each number in the journal, when the operator gives a key (never a flag).
      ...(io.env.PHONE_BINDING_JOURNAL_KEY ? { journalKey: io.env.PHONE_BINDING_JOURNAL_KEY } : {}),
      onProgress: printer.update,
      ...(journal ? { journal } : {}),
      ...(total === undefined ? {} : { total }),
      ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
      ...(args.shard ? { shard: args.shard } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    };
    let report: Awaited<ReturnType<typeof migratePhones>>;
    try {
      report = await migratePhones(options);
    } finally {
      printer.end();
    }
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
    return report.outcomes.failed > 0 || report.stopped ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`phone-binding: ${error.message}\n`);
      if (/^(Missing|Unknown|Option)/.test(error.message)) io.stderr(`\n${USAGE}\n`);
      return 2;
    }
    if (isPhoneBindingError(error) && error.code === 'invalid_input') {
      io.stderr(`phone-binding: ${error.message}\n`);
      return 2;
    }
    const message = isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error);
    io.stderr(`phone-binding: the run ended with an error: ${message}\n`);
    return 1;
  } finally {
    journal?.close();
  }
}
