/**
 * The run: checks the options, opens the journal, starts the workers, counts and reports.
 */
import { PhoneBindingError } from '../errors.js';
import type { PhoneBinding } from '../types.js';
import { hmacSigner, shardOf } from './hash.js';
import { type JournalHeader, openJournal, userKey } from './journal.js';
import { noOutcomes } from './outcomes.js';
import { Pause, RateLimit } from './throttle.js';
import type {
  JournalEntry,
  MigrateOptions,
  MigrationFailure,
  MigrationProgress,
  MigrationReport,
} from './types.js';
import { migrateUser, type StepContext } from './user-step.js';
import { userPuller } from './users.js';

const MAX_FAILURES_LISTED = 1000;

function check(options: MigrateOptions): string[] {
  const problems: string[] = [];
  const isBinding = (value: unknown): value is PhoneBinding =>
    typeof value === 'object' && value !== null && typeof (value as PhoneBinding).get === 'function';
  for (const side of ['from', 'to'] as const) {
    const binding: unknown = options[side];
    if (!isBinding(binding)) problems.push(`${side} must be a PhoneBinding`);
    // A user-scope adapter acts for its token's one user: there is no list of users to walk.
    else if (binding.capabilities.scope !== 'admin') {
      problems.push(
        `${side} must be an admin-scope adapter (${binding.provider} acts on its token's own user)`,
      );
    }
  }
  if (options.users === null || typeof options.users !== 'object') {
    problems.push('users must be an iterable or async iterable of ids or { from, to }');
  }
  const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;
  if (
    options.concurrency !== undefined &&
    !(Number.isInteger(options.concurrency) && options.concurrency >= 1 && options.concurrency <= 1000)
  ) {
    problems.push('concurrency must be an integer from 1 to 1000');
  }
  const rate = options.maxRate;
  if (rate !== undefined) {
    const values = typeof rate === 'object' && rate !== null ? [rate.from, rate.to] : [rate];
    if (values.some((value) => value !== undefined && !positive(value))) {
      problems.push('maxRate must be a positive number of requests per second (or { from?, to? } of them)');
    }
  }
  const { shard } = options;
  if (
    shard !== undefined &&
    !(
      Number.isInteger(shard?.count) &&
      Number.isInteger(shard?.index) &&
      shard.count >= 1 &&
      shard.index >= 0 &&
      shard.index < shard.count
    )
  ) {
    problems.push('shard must be { index, count } with integers 0 <= index < count');
  }
  if (
    options.journalKey !== undefined &&
    (typeof options.journalKey !== 'string' || options.journalKey.length < 16)
  ) {
    problems.push('journalKey must be a string of 16 or more characters');
  }
  for (const name of ['maxBackoffMs', 'maxRateLimitRetries', 'total'] as const) {
    const value = options[name];
    if (value !== undefined && !(positive(value) || value === 0))
      problems.push(`${name} must be a number >= 0`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    problems.push('onProgress must be a function');
  }
  return problems;
}

/**
 * Moves verified numbers from one backend to another, on any two admin-scope `PhoneBinding`s:
 * for each user, reads the source's number; when it is verified and the target can take a
 * number as verified (`capabilities.assertVerified`), reads the target and binds it there as
 * verified unless the target holds it already (or holds another one). No SMS is ever sent.
 *
 * With a `journal`, each finished user is recorded before it is counted, and a later run with the
 * same journal skips the users it holds: kill a run at any moment and run it again, and every
 * user is handled once. A `rate_limited` answer pauses every worker (for its `retryAfterMs`, or a
 * doubling backoff) and the user is retried. Bad options throw `invalid_input` before any request.
 *
 * @example
 * ```ts
 * import { createPhoneBinding } from 'phone-binding/all';
 * import { memoryJournal, migratePhones } from 'phone-binding/migrate';
 *
 * const from = createPhoneBinding({ provider: 'zitadel', baseUrl: 'https://old.zitadel.cloud', token: process.env.ZITADEL_TOKEN! });
 * const to = createPhoneBinding({ provider: 'clerk', secretKey: process.env.CLERK_SECRET_KEY! });
 * const report = await migratePhones({
 *   from,
 *   to,
 *   users: [{ from: '2735672783', to: 'user_2abc' }],
 *   journal: memoryJournal(),
 *   onProgress: (p) => console.log(`${p.done} done, ${p.rate.toFixed(1)} users/s`),
 * });
 * console.log(report.outcomes); // { migrated: 1, 'already-there': 0, … }
 * ```
 */
export async function migratePhones(options: MigrateOptions): Promise<MigrationReport> {
  const problems = check(options ?? ({} as MigrateOptions));
  if (problems.length > 0) {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: `Invalid migration options: ${problems.join('; ')}`,
    });
  }
  const { from, to, journal, shard, signal, onProgress, total } = options;
  const started = Date.now();
  const header: JournalHeader = {
    journal: 'phone-binding/migrate',
    version: 1,
    from: options.identity?.from ?? from.provider,
    to: options.identity?.to ?? to.provider,
    ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
  };
  // A dry run reads the journal (to skip what a real run would skip) and writes nothing to it: its
  // lines would make the real run skip users it never migrated.
  const finished = journal ? await openJournal(journal, header, options.dryRun === true) : new Set<string>();
  const rate = options.maxRate;
  const ctx: StepContext = {
    from,
    to,
    fromLimit: new RateLimit(typeof rate === 'object' ? rate.from : rate),
    toLimit: new RateLimit(typeof rate === 'object' ? rate.to : rate),
    pause: new Pause(),
    dryRun: options.dryRun === true,
    overwrite: options.overwrite === true,
    signal,
    sign: options.journalKey === undefined ? undefined : await hmacSigner(options.journalKey),
    maxBackoffMs: options.maxBackoffMs ?? 60_000,
    maxRateLimitRetries: options.maxRateLimitRetries ?? 20,
  };
  const outcomes = noOutcomes();
  const failures: MigrationFailure[] = [];
  let done = 0;
  let skipped = 0;
  let otherShards = 0;
  let failuresOmitted = 0;
  let fatal: { error: unknown } | undefined;
  const pull = userPuller(options.users);

  /** The next user of this shard that the journal does not hold. */
  const next = async () => {
    for (let user = await pull(); user !== undefined; user = await pull()) {
      if (shard && shardOf(user.from, shard.count) !== shard.index) otherShards += 1;
      else if (finished.has(userKey(user.from, user.to))) skipped += 1;
      else return user;
    }
    return undefined;
  };

  const progress = (): MigrationProgress => {
    const elapsedMs = Date.now() - started;
    const perSecond = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const left = total === undefined ? undefined : Math.max(0, total - done - skipped);
    return {
      done,
      skipped,
      ...(total === undefined ? {} : { total }),
      outcomes: { ...outcomes },
      rate: perSecond,
      ...(left !== undefined && perSecond > 0 ? { etaMs: Math.round((left / perSecond) * 1000) } : {}),
      elapsedMs,
    };
  };

  const worker = async () => {
    while (fatal === undefined && !signal?.aborted) {
      const user = await next();
      if (user === undefined) return;
      const result = await migrateUser(ctx, user);
      if (result === undefined) return;
      if (fatal !== undefined) return;
      const entry: JournalEntry = { ...result, at: new Date().toISOString() };
      // The line is written before the user counts: a run killed now has either both or neither.
      if (journal && !ctx.dryRun) await journal.append(JSON.stringify(entry));
      done += 1;
      outcomes[entry.outcome] += 1;
      if (entry.outcome === 'failed') {
        if (failures.length < MAX_FAILURES_LISTED) {
          failures.push({ from: entry.from, to: entry.to, code: entry.code ?? 'provider_error' });
        } else failuresOmitted += 1;
      }
      onProgress?.(progress());
    }
  };

  const concurrency = options.concurrency ?? 4;
  await Promise.all(
    Array.from({ length: concurrency }, () =>
      worker().catch((error: unknown) => {
        fatal ??= { error };
      }),
    ),
  );
  if (fatal !== undefined) throw fatal.error;
  return {
    from: from.provider,
    to: to.provider,
    dryRun: ctx.dryRun,
    stopped: signal?.aborted === true,
    done,
    skipped,
    otherShards,
    outcomes,
    failures,
    failuresOmitted,
    rateLimitPauses: ctx.pause.count,
    durationMs: Date.now() - started,
  };
}
