/**
 * The outcomes table, on every pair of admin-scope adapters of `fakeTargets()` (source and target
 * on separate sets of fakes, so a backend can also migrate to another instance of itself), and
 * the proof that makes resume exactly-once: a repeated verified bind is harmless on every adapter
 * that can take one, and a number already there is never bound again.
 */
import { describe, expect, it } from 'vitest';
import {
  type JournalEntry,
  type MigrationOutcome,
  memoryJournal,
  migratePhones,
} from '../../src/migrate/index.js';
import type { FakeBackendId, FakeBackends } from '../../src/testing/index.js';
import { createFakeBackends } from '../../src/testing/index.js';
import { bindingOn, freshNumber, type Held, migrationTargets, seedUser } from './seed.js';

const TARGETS = migrationTargets();
const PAIRS = TARGETS.flatMap((source) =>
  TARGETS.map((target) => [source.name, target.name, source, target] as const),
);

/**
 * Fakes that refuse a number another user holds (the others do not check), and what the adapter
 * makes of it: Clerk says `form_identifier_exists`; Supabase's admin API answers only a 500
 * `unexpected_failure`, which cannot be told from other failures, so the user is `failed`.
 */
const IN_USE: Partial<Record<FakeBackendId, { outcome: MigrationOutcome; code: string }>> = {
  clerk: { outcome: 'conflict', code: 'phone_in_use' },
  supabase: { outcome: 'failed', code: 'provider_error' },
};
/** An id no user of the fake has. */
const MISSING: Partial<Record<FakeBackendId, string>> = {
  etna: '999999999',
  zitadel: '999999999999999',
  clerk: 'user_2missingmissing',
  supabase: '00000000-0000-4000-8000-000000000000',
  cognito: '0f5cffff-7d1e-4a6b-9c2f-000000000000',
};
/** What each fake answers for a missing user (ETNA's fake: a 500). */
const MISSING_CODE = (fake: FakeBackendId) => (fake === 'etna' ? 'provider_error' : 'not_found');

interface Row {
  name: string;
  source: Held | 'missing';
  target: Held;
  /** The target holds nothing for the user, but another user of the target holds the source's number. */
  inUse?: boolean;
  expected: (assertVerified: boolean, targetFake: FakeBackendId) => MigrationOutcome;
  code?: (sourceFake: FakeBackendId, targetFake: FakeBackendId) => string;
}

const ROWS: Row[] = [
  { name: 'no number at the source', source: null, target: null, expected: () => 'no-phone' },
  {
    name: 'an unverified number at the source',
    source: { e164: '', verified: false },
    target: null,
    expected: () => 'unverified-at-source',
  },
  {
    name: 'a verified number, nothing at the target',
    source: { e164: '', verified: true },
    target: null,
    expected: (can) => (can ? 'migrated' : 'needs-reverification'),
  },
  {
    name: 'the target holds the same number, verified',
    source: { e164: '', verified: true },
    target: { e164: 'same', verified: true },
    expected: (can) => (can ? 'already-there' : 'needs-reverification'),
  },
  {
    name: 'the target holds another number',
    source: { e164: '', verified: true },
    target: { e164: '', verified: true },
    expected: (can) => (can ? 'conflict' : 'needs-reverification'),
  },
  {
    name: 'the number belongs to another user of the target',
    source: { e164: '', verified: true },
    target: null,
    inUse: true,
    expected: (can, fake) => (can ? (IN_USE[fake]?.outcome ?? 'migrated') : 'needs-reverification'),
    code: (_, fake) => IN_USE[fake]?.code ?? '',
  },
  {
    name: 'a user the source does not have',
    source: 'missing',
    target: null,
    expected: () => 'failed',
    code: MISSING_CODE,
  },
];

const numbered = (held: Held, same?: string): Held =>
  held === null ? null : { ...held, e164: held.e164 === 'same' && same ? same : freshNumber() };

describe.each(PAIRS)('migrate %s → %s', (_from, _to, source, target) => {
  it('gives each user the outcome of the table, and the target the state it says', async () => {
    const src = createFakeBackends();
    const dst = createFakeBackends();
    const from = bindingOn(source, src);
    const to = bindingOn(target, dst);
    const can = to.capabilities.assertVerified;
    const rows = ROWS.filter((row) => !row.inUse || (can && IN_USE[target.fake]));
    const seeded = await Promise.all(
      rows.map(async (row) => {
        const held = row.source === 'missing' ? null : numbered(row.source);
        const fromId =
          row.source === 'missing'
            ? (MISSING[source.fake] ?? 'missing')
            : await seedUser(src, source.fake, held);
        const targetHeld = numbered(row.target, held?.e164);
        const toId = await seedUser(dst, target.fake, targetHeld);
        if (row.inUse && held) await seedUser(dst, target.fake, held);
        return { row, held, targetHeld, fromId, toId };
      }),
    );
    const journal = memoryJournal();
    const report = await migratePhones({
      from,
      to,
      users: seeded.map(({ fromId, toId }) => ({ from: fromId, to: toId })),
      journal,
      journalKey: 'a-journal-key-of-16+',
    });

    const entries = journal.entries.slice(1).map((line) => JSON.parse(line) as JournalEntry);
    expect(entries).toHaveLength(seeded.length);
    for (const { row, held, targetHeld, fromId, toId } of seeded) {
      const entry = entries.find((candidate) => candidate.from === fromId && candidate.to === toId);
      expect({ row: row.name, outcome: entry?.outcome, code: entry?.code }).toEqual({
        row: row.name,
        outcome: row.expected(can, target.fake),
        code: row.code?.(source.fake, target.fake),
      });
      const now = await to.get({ userId: toId });
      if (entry?.outcome === 'migrated' || entry?.outcome === 'already-there') {
        expect(now).toMatchObject({ state: 'verified', phone: { e164: held?.e164 } });
      } else {
        expect(now?.phone.e164).toBe(targetHeld?.e164);
      }
    }
    const counts: Record<string, number> = {};
    for (const { row } of seeded) {
      const outcome = row.expected(can, target.fake);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }
    for (const [outcome, count] of Object.entries(report.outcomes))
      expect([outcome, count]).toEqual([outcome, counts[outcome] ?? 0]);
    expect(new Set(report.failures.map((f) => JSON.stringify(f)))).toEqual(
      new Set(
        seeded
          .filter(({ row }) => row.expected(can, target.fake) === 'failed')
          .map(({ row, fromId, toId }) =>
            JSON.stringify({ from: fromId, to: toId, code: row.code?.(source.fake, target.fake) }),
          ),
      ),
    );
    // No SMS in bulk, ever; no full number in the journal.
    expect([...src.outbox, ...dst.outbox]).toEqual([]);
    const text = journal.entries.join('\n');
    for (const { held, targetHeld } of seeded) {
      for (const e164 of [held?.e164, targetHeld?.e164]) {
        if (e164) expect(text).not.toContain(e164.slice(3));
      }
    }
  });
});

/** The writes a fake received (every request but reads; Cognito's are all POSTs, by X-Amz-Target). */
function writes(fakes: FakeBackends): number {
  return fakes.requests.filter(
    (r) => r.method !== 'GET' && !/AdminGetUser|GetUser$/.test(r.headers['x-amz-target'] ?? ''),
  ).length;
}

describe.each(
  TARGETS.filter((t) => bindingOn(t, createFakeBackends()).capabilities.assertVerified).map(
    (t) => [t.name, t] as const,
  ),
)('exactly-once on %s', (_name, target) => {
  /** A Zitadel source and this target, each on fakes of its own. */
  function zitadelToTarget() {
    const source = TARGETS.find((t) => t.fake === 'zitadel') ?? TARGETS[0];
    if (!source) throw new Error('no source');
    return { src: createFakeBackends(), dst: createFakeBackends(), source };
  }

  it('a repeated verified bind answers the number as bound and changes nothing', async () => {
    const fakes = createFakeBackends();
    const to = bindingOn(target, fakes);
    const userId = await seedUser(fakes, target.fake, null);
    const e164 = freshNumber();
    const first = await to.bind({ userId, phoneNumber: e164, verified: true });
    const again = await to.bind({ userId, phoneNumber: e164, verified: true });
    expect(first).toMatchObject({ state: 'verified', phone: { e164 } });
    expect(again).toMatchObject({ state: 'verified', phone: { e164 } });
    expect(await to.get({ userId })).toMatchObject({ state: 'verified', phone: { e164 } });
    expect(fakes.outbox).toEqual([]);
    if (target.fake === 'clerk') expect(fakes.clerk.user(userId)?.phone_numbers).toHaveLength(1);
  });

  it('a bind whose journal line was lost is found on the next run: already-there, no second write', async () => {
    const { src, dst, source } = zitadelToTarget();
    const e164 = freshNumber();
    const fromId = await seedUser(src, source.fake, { e164, verified: true });
    const toId = await seedUser(dst, target.fake, null);
    const to = bindingOn(target, dst);
    await to.bind({ userId: toId, phoneNumber: e164, verified: true }); // the killed run's bind
    const before = writes(dst);
    const report = await migratePhones({
      from: bindingOn(source, src),
      to,
      users: [{ from: fromId, to: toId }],
    });
    expect(report.outcomes['already-there']).toBe(1);
    expect(writes(dst)).toBe(before);
  });

  it('overwrite: true replaces another number the target holds', async () => {
    const { src, dst, source } = zitadelToTarget();
    const e164 = freshNumber();
    const fromId = await seedUser(src, source.fake, { e164, verified: true });
    const toId = await seedUser(dst, target.fake, { e164: freshNumber(), verified: true });
    const to = bindingOn(target, dst);
    const users = [{ from: fromId, to: toId }];
    const report = await migratePhones({ from: bindingOn(source, src), to, users, overwrite: true });
    expect(report.outcomes.migrated).toBe(1);
    expect(await to.get({ userId: toId })).toMatchObject({ state: 'verified', phone: { e164 } });
  });

  it('dryRun reads only: it reports migrated and the target stays empty', async () => {
    const { src, dst, source } = zitadelToTarget();
    const fromId = await seedUser(src, source.fake, { e164: freshNumber(), verified: true });
    const toId = await seedUser(dst, target.fake, null);
    const to = bindingOn(target, dst);
    const report = await migratePhones({
      from: bindingOn(source, src),
      to,
      users: [{ from: fromId, to: toId }],
      dryRun: true,
    });
    expect(report).toMatchObject({ dryRun: true, outcomes: { migrated: 1 } });
    expect(await to.get({ userId: toId })).toBeNull();
    expect(writes(dst)).toBe(0);
  });
});
