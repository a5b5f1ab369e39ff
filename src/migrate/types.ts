import type { PhoneBindingErrorCode } from '../errors.js';
import type { PhoneBinding, ProviderId } from '../types.js';

/**
 * What happened to one user in a migration.
 *
 * - `migrated`: the verified number was bound, verified, on the target (in a dry run: it would be).
 * - `already-there`: the target already holds that number, verified; nothing was written.
 * - `no-phone`: the source holds no number for the user.
 * - `unverified-at-source`: the source's number is not verified; it is not carried over.
 * - `needs-reverification`: the target cannot take a number as verified; no SMS is ever sent in bulk.
 * - `conflict`: the number is bound to another user of the target (`phone_in_use`), or the target
 *   holds another number for this user (kept unless `overwrite: true`).
 * - `failed`: an error; its code is in the journal and the report.
 *
 * @example
 * ```ts
 * import type { MigrationOutcome } from 'phone-binding/migrate';
 *
 * const needsAttention: MigrationOutcome[] = ['needs-reverification', 'conflict', 'failed'];
 * ```
 */
export type MigrationOutcome =
  | 'migrated'
  | 'already-there'
  | 'no-phone'
  | 'unverified-at-source'
  | 'needs-reverification'
  | 'conflict'
  | 'failed';

/**
 * One user to migrate: the same id on both sides, or the source's and the target's id.
 *
 * @example
 * ```ts
 * import type { MigrationUser } from 'phone-binding/migrate';
 *
 * const users: MigrationUser[] = ['u_1', { from: '2735672783', to: 'user_2abc' }];
 * ```
 */
export type MigrationUser = string | { from: string; to: string };

/**
 * Where a run records each finished user, one JSON line each, so a later run can skip them. The
 * first line names the run (source, target, shard); a journal of another run is refused.
 * {@link memoryJournal} keeps the lines in memory; the `phone-binding` CLI keeps them in a file.
 *
 * @example
 * ```ts
 * import type { MigrationJournal } from 'phone-binding/migrate';
 *
 * // A journal in a key-value store of an edge runtime (one key per run, lines appended).
 * function kvJournal(kv: { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<void> }, key: string): MigrationJournal {
 *   let text: string | undefined;
 *   return {
 *     async *lines() {
 *       text = (await kv.get(key)) ?? '';
 *       yield* text.split('\n').filter(Boolean);
 *     },
 *     async append(line) {
 *       text = `${text ?? ''}${line}\n`;
 *       await kv.put(key, text);
 *     },
 *   };
 * }
 * ```
 */
export interface MigrationJournal {
  /** The lines written so far, oldest first (none for a new journal). Read once, before any append. */
  lines(): AsyncIterable<string> | Iterable<string>;
  /** Appends one line (no newline in it) durably: the run counts the user only once this resolves. */
  append(line: string): void | Promise<void>;
}

/**
 * A journal line of one finished user. It holds no full number: `phone` is masked and `hash` (when
 * `journalKey` is set) an HMAC-SHA-256 of the E.164 number, to see a number change between runs.
 *
 * @example
 * ```ts
 * import type { JournalEntry } from 'phone-binding/migrate';
 *
 * const line: JournalEntry = { from: 'u_1', to: 'u_1', outcome: 'migrated', phone: '+41 ••• •• 67', at: '2026-12-01T11:00:00.000Z' };
 * ```
 */
export interface JournalEntry {
  /** Source user id. */
  from: string;
  /** Target user id. */
  to: string;
  /** What happened. */
  outcome: MigrationOutcome;
  /** The source's number, masked. */
  phone?: string;
  /** HMAC-SHA-256 (hex, 32 characters) of the source's E.164 number under `journalKey`. */
  hash?: string;
  /** `conflict`: the number the target holds, masked (absent for `phone_in_use`). */
  targetPhone?: string;
  /** `failed` and `conflict` from an error: the error's code. */
  code?: PhoneBindingErrorCode;
  /** When the user was finished, ISO 8601. */
  at: string;
}

/**
 * A user the run could not migrate because of an error.
 *
 * @example
 * ```ts
 * import type { MigrationFailure } from 'phone-binding/migrate';
 *
 * const failure: MigrationFailure = { from: 'u_1', to: 'u_1', code: 'not_found' };
 * ```
 */
export interface MigrationFailure {
  /** Source user id. */
  from: string;
  /** Target user id. */
  to: string;
  /** The error's code. */
  code: PhoneBindingErrorCode;
}

/**
 * Progress of a run, after each finished user.
 *
 * @example
 * ```ts
 * import type { MigrationProgress } from 'phone-binding/migrate';
 *
 * const line = (p: MigrationProgress) =>
 *   `${p.done}/${p.total ?? '?'} ${p.rate.toFixed(1)} users/s ETA ${p.etaMs === undefined ? '?' : Math.round(p.etaMs / 1000)} s`;
 * ```
 */
export interface MigrationProgress {
  /** Users finished in this run. */
  done: number;
  /** Users skipped because the journal has them (resume). */
  skipped: number;
  /** Users of this shard in `users`, journaled ones included, when the caller gave `total`. */
  total?: number;
  /** Finished users per outcome, this run. */
  outcomes: Record<MigrationOutcome, number>;
  /** Users finished per second, since the start. */
  rate: number;
  /** Milliseconds left at `rate`, when `total` is known. */
  etaMs?: number;
  /** Milliseconds since the start. */
  elapsedMs: number;
}

/**
 * What {@link migratePhones} answers when the run ends.
 *
 * @example
 * ```ts
 * import type { MigrationReport } from 'phone-binding/migrate';
 *
 * const exitCode = (report: MigrationReport) => (report.outcomes.failed > 0 || report.stopped ? 1 : 0);
 * ```
 */
export interface MigrationReport {
  /** Source adapter. */
  from: ProviderId;
  /** Target adapter. */
  to: ProviderId;
  /** Reads only: the outcomes say what a real run would do. */
  dryRun: boolean;
  /** The run ended early (`signal`): users after the in-flight ones were not started. */
  stopped: boolean;
  /** Users finished in this run. */
  done: number;
  /** Users skipped because the journal has them. */
  skipped: number;
  /** Users left out because they belong to another shard. */
  otherShards: number;
  /** Finished users per outcome. */
  outcomes: Record<MigrationOutcome, number>;
  /** The failed users (the first 1000; `failuresOmitted` counts the rest). */
  failures: MigrationFailure[];
  /** Failed users not listed in `failures`. */
  failuresOmitted: number;
  /** Times every worker paused for a `rate_limited` answer. */
  rateLimitPauses: number;
  /** Milliseconds from start to end. */
  durationMs: number;
}

/**
 * Options of {@link migratePhones}.
 *
 * @example
 * ```ts
 * import { memoryJournal, type MigrateOptions } from 'phone-binding/migrate';
 *
 * const options: MigrateOptions = {
 *   from: oldPhones,
 *   to: newPhones,
 *   users: ['u_1', 'u_2'],
 *   journal: memoryJournal(),
 *   concurrency: 8,
 *   maxRate: { to: 20 }, // the target's documented quota, requests per second
 * };
 * ```
 */
export interface MigrateOptions {
  /** The source (admin scope: it reads any user). */
  from: PhoneBinding;
  /** The target (admin scope). */
  to: PhoneBinding;
  /** The users, streamed: read one at a time, never all at once. */
  users: AsyncIterable<MigrationUser> | Iterable<MigrationUser>;
  /** Records each finished user; a run on a journal with entries skips those users (not `failed` ones). */
  journal?: MigrationJournal;
  /** A secret (16+ characters): journal lines then carry an HMAC of the number, to detect changes. */
  journalKey?: string;
  /**
   * Names of the source and target that go into the journal's first line (default: the provider
   * ids). A journal whose first line names others is refused with `invalid_input`.
   */
  identity?: { from: string; to: string };
  /** Users worked on at once. Default 4. */
  concurrency?: number;
  /**
   * Most calls (`get`, `bind`) per second to each backend: one number for both, or each its own.
   * A call may make more than one HTTP request; to cap HTTP requests exactly, give the adapter a
   * `fetch` that waits its turn (as the CLI's `--max-rate` does).
   */
  maxRate?: number | { from?: number; to?: number };
  /** Reads only; the report says what would happen. The journal is read (its users skipped), never written. */
  dryRun?: boolean;
  /** Replace a different number the target holds (default: keep it, outcome `conflict`). */
  overwrite?: boolean;
  /** Stops taking new users; those in flight finish and are journaled. */
  signal?: AbortSignal;
  /** Called after each finished user. */
  onProgress?: (progress: MigrationProgress) => void;
  /** How many users `users` holds for this shard (journaled ones included), for the ETA; not checked. */
  total?: number;
  /** Only the users whose source id hashes to `index` of `count` (0-based), see {@link shardOf}. */
  shard?: { index: number; count: number };
  /** The longest pause (ms) for a `rate_limited` answer without `retryAfterMs`; doubles from 1000. Default 60000. */
  maxBackoffMs?: number;
  /** `rate_limited` answers for one user before it is `failed`. Default 20. */
  maxRateLimitRetries?: number;
}
