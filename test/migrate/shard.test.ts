/** Shards: a stable hash of the source id splits the users so that runs of every shard cover them once. */
import { describe, expect, it } from 'vitest';
import { type JournalEntry, memoryJournal, migratePhones, shardOf } from '../../src/migrate/index.js';
import { createFakeBackends } from '../../src/testing/index.js';
import { bindingOn, freshNumber, migrationTargets } from './seed.js';

const zitadelTarget = migrationTargets().find((t) => t.provider === 'zitadel');
const clerkTarget = migrationTargets().find((t) => t.provider === 'clerk');

describe('shard', () => {
  it('shardOf is stable (FNV-1a of the UTF-8 id): the same answer on every machine and version', () => {
    expect([shardOf('user_2abc', 4), shardOf('2735672783', 4), shardOf('', 3), shardOf('ü', 7)]).toEqual([
      1, 3, 1, 0,
    ]); // checked against an independent FNV-1a
  });

  it('two shards, each with its own journal, cover every user exactly once', async () => {
    if (!zitadelTarget || !clerkTarget) throw new Error('zitadel and clerk targets expected');
    const fakes = createFakeBackends();
    const users = Array.from({ length: 60 }, () => {
      const e164 = freshNumber();
      return {
        from: fakes.zitadel.createUser({ phone: e164, isVerified: true }).userId,
        to: fakes.clerk.createUser().userId,
        e164,
      };
    });
    const from = bindingOn(zitadelTarget, fakes);
    const to = bindingOn(clerkTarget, fakes);
    const journals = [memoryJournal(), memoryJournal()];
    const reports = await Promise.all(
      journals.map((journal, index) =>
        migratePhones({ from, to, users, journal, shard: { index, count: 2 } }),
      ),
    );
    const [first, second] = journals.map((journal) =>
      journal.entries.slice(1).map((line) => (JSON.parse(line) as JournalEntry).from),
    );
    expect(first?.length).toBeGreaterThan(10);
    expect(second?.length).toBeGreaterThan(10);
    expect([...(first ?? []), ...(second ?? [])].sort()).toEqual(users.map((u) => u.from).sort());
    expect(reports.map((r) => r.done + r.otherShards)).toEqual([60, 60]);
    expect(reports.map((r) => r.outcomes.migrated)).toEqual([first?.length, second?.length]);
    for (const user of users) {
      expect(fakes.clerk.user(user.to)?.phone_numbers.map((p) => p.phone_number)).toEqual([user.e164]);
    }
    // A shard's journal names its shard: the other shard's run refuses it.
    await expect(
      migratePhones({
        from,
        to,
        users,
        journal: journals[0] ?? memoryJournal(),
        shard: { index: 1, count: 2 },
      }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('another run') });
  });
});

describe('dryRun and the journal', () => {
  it('a dry run skips what the journal holds and writes nothing to it; the real run then migrates', async () => {
    if (!zitadelTarget || !clerkTarget) throw new Error('zitadel and clerk targets expected');
    const fakes = createFakeBackends();
    const users = Array.from({ length: 3 }, () => ({
      from: fakes.zitadel.createUser({ phone: freshNumber(), isVerified: true }).userId,
      to: fakes.clerk.createUser().userId,
    }));
    const from = bindingOn(zitadelTarget, fakes);
    const to = bindingOn(clerkTarget, fakes);
    const journal = memoryJournal();
    const dry = await migratePhones({ from, to, users, journal, dryRun: true });
    expect(dry.outcomes.migrated).toBe(3);
    expect(journal.entries).toEqual([]);
    const real = await migratePhones({ from, to, users: users.slice(0, 1), journal });
    expect(real.outcomes.migrated).toBe(1);
    const again = await migratePhones({ from, to, users, journal, dryRun: true });
    expect(again).toMatchObject({ skipped: 1, done: 2, outcomes: { migrated: 2 } });
    expect(journal.entries).toHaveLength(2);
    const rest = await migratePhones({ from, to, users, journal });
    expect(rest).toMatchObject({ skipped: 1, outcomes: { migrated: 2 } });
  });
});

describe('signal', () => {
  it('stops after the users in flight, journals them, and a resumed run does the rest', async () => {
    if (!zitadelTarget || !clerkTarget) throw new Error('zitadel and clerk targets expected');
    const fakes = createFakeBackends();
    const users = Array.from({ length: 20 }, () => ({
      from: fakes.zitadel.createUser({ phone: freshNumber(), isVerified: true }).userId,
      to: fakes.clerk.createUser().userId,
    }));
    const from = bindingOn(zitadelTarget, fakes);
    const to = bindingOn(clerkTarget, fakes);
    const journal = memoryJournal();
    const controller = new AbortController();
    const stopped = await migratePhones({
      from,
      to,
      users,
      journal,
      concurrency: 4,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 3) controller.abort();
      },
    });
    expect(stopped.stopped).toBe(true);
    expect(stopped.done).toBeGreaterThanOrEqual(3);
    expect(stopped.done).toBeLessThanOrEqual(3 + 3); // at most the other workers' users in flight
    expect(journal.entries).toHaveLength(1 + stopped.done);
    const rest = await migratePhones({ from, to, users, journal });
    expect(rest).toMatchObject({ stopped: false, skipped: stopped.done, done: 20 - stopped.done });
    for (const user of users) expect(fakes.clerk.user(user.to)?.phone_numbers).toHaveLength(1);
  });
});
