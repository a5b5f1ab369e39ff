/**
 * Moves verified phone numbers from one backend to another, on any two admin-scope
 * `PhoneBinding`s: resumable through a journal, rate-limit aware, shardable. Runs on Node and
 * edge runtimes; the `phone-binding migrate` CLI (Node) drives it from files.
 * @packageDocumentation
 * @module phone-binding/migrate
 */
export { shardOf } from './hash.js';
export { memoryJournal } from './journal.js';
export { migratePhones } from './migrate.js';
export type {
  JournalEntry,
  MigrateOptions,
  MigrationFailure,
  MigrationJournal,
  MigrationOutcome,
  MigrationProgress,
  MigrationReport,
  MigrationUser,
} from './types.js';
