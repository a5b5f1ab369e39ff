/**
 * The journal's lines: the first names the run, each other one a finished user. Reading it back
 * gives the users a resumed run skips; a journal of another run is refused before any request.
 */
import { PhoneBindingError } from '../errors.js';
import { isOutcome } from './outcomes.js';
import type { JournalEntry, MigrationJournal } from './types.js';

/** The first line of a journal: which run it belongs to. */
export interface JournalHeader {
  journal: 'phone-binding/migrate';
  version: 1;
  from: string;
  to: string;
  /** `index/count`, or absent for a run over every user. */
  shard?: string;
}

function parse(line: string, at: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw journalError(`The journal's line ${at} is not JSON: is it a migration journal?`);
  }
}

function journalError(message: string): PhoneBindingError {
  return new PhoneBindingError({ code: 'invalid_input', message });
}

/** A user key for the set of finished users: both ids (a source user may go to several targets). */
export const userKey = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * Reads a journal: writes the header into a new one (unless `readOnly`: a dry run writes
 * nothing), checks an existing one's header against `header`, and answers the keys of the users
 * it has finished (a `failed` one counts as not finished when a later line does not finish it: a
 * new run tries it again).
 */
export async function openJournal(
  journal: MigrationJournal,
  header: JournalHeader,
  readOnly = false,
): Promise<Set<string>> {
  const finished = new Set<string>();
  let count = 0;
  for await (const line of journal.lines()) {
    if (line.trim() === '') continue;
    count += 1;
    const value = parse(line, count);
    if (count === 1) {
      checkHeader(value, header);
      continue;
    }
    const entry = value as Partial<JournalEntry>;
    if (typeof entry.from !== 'string' || typeof entry.to !== 'string' || !isOutcome(entry.outcome)) {
      throw journalError(`The journal's line ${count} is not a finished user`);
    }
    const key = userKey(entry.from, entry.to);
    if (entry.outcome === 'failed') finished.delete(key);
    else finished.add(key);
  }
  if (count === 0 && !readOnly) await journal.append(JSON.stringify(header));
  return finished;
}

function checkHeader(value: unknown, expected: JournalHeader): void {
  const found = value as Partial<JournalHeader> | null;
  if (found === null || typeof found !== 'object' || found.journal !== expected.journal) {
    throw journalError(
      'The journal does not start with a phone-binding/migrate header: is it a migration journal?',
    );
  }
  const mismatched = (['from', 'to', 'shard'] as const).filter((field) => found[field] !== expected[field]);
  if (mismatched.length > 0) {
    const describe = (header: Partial<JournalHeader>) =>
      `from ${header.from ?? '?'} to ${header.to ?? '?'}${header.shard ? ` (shard ${header.shard})` : ''}`;
    throw journalError(
      `The journal belongs to another run: it was written ${describe(found)}, this run goes ${describe(expected)}. Use a new journal for this run.`,
    );
  }
}

/**
 * A journal kept in memory: for tests, and for runs whose caller stores the lines itself
 * (`lines` holds them, newest last).
 *
 * @example
 * ```ts
 * import { memoryJournal, migratePhones } from 'phone-binding/migrate';
 *
 * const journal = memoryJournal();
 * await migratePhones({ from: oldPhones, to: newPhones, users: ['u_1'], journal });
 * await migratePhones({ from: oldPhones, to: newPhones, users: ['u_1'], journal }); // skips u_1
 * console.log(journal.entries.length); // 2: the header and u_1
 * ```
 */
export function memoryJournal(
  lines: Iterable<string> = [],
): MigrationJournal & { readonly entries: string[] } {
  const entries = [...lines];
  return {
    entries,
    lines: () => [...entries],
    append(line) {
      entries.push(line);
    },
  };
}
