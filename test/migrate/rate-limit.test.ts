/**
 * Rate limits under fake timers (setTimeout and Date; no real waiting): a storm of 429s on the
 * target's writes loses and duplicates no user, and every worker holds back for a pause; `maxRate`
 * spaces a backend's requests; a user throttled too often is `failed` with `rate_limited`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type JournalEntry, memoryJournal, migratePhones } from '../../src/migrate/index.js';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';
import { settle } from '../support/settle.js';
import { bindingOn, freshNumber, migrationTargets } from './seed.js';

const zitadelTarget = migrationTargets().find((t) => t.provider === 'zitadel');
const clerkTarget = migrationTargets().find((t) => t.provider === 'clerk');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(count: number) {
  if (!zitadelTarget || !clerkTarget) throw new Error('zitadel and clerk targets expected');
  const fakes = createFakeBackends();
  const users = Array.from({ length: count }, () => {
    const e164 = freshNumber();
    return {
      from: fakes.zitadel.createUser({ phone: e164, isVerified: true }).userId,
      to: fakes.clerk.createUser().userId,
      e164,
    };
  });
  return { fakes, users, from: bindingOn(zitadelTarget, fakes), to: bindingOn(clerkTarget, fakes) };
}

const isBind = (r: { backend: string; method: string; path: string }) =>
  r.backend === 'clerk' && r.method === 'POST' && r.path === '/v1/phone_numbers';

function expectEachBoundOnce(fakes: FakeBackends, users: Array<{ to: string; e164: string }>) {
  for (const user of users) {
    const held = fakes.clerk.user(user.to)?.phone_numbers ?? [];
    expect(held.map((p) => [p.phone_number, p.verification?.status])).toEqual([[user.e164, 'verified']]);
  }
}

describe('a 429 storm on the target', () => {
  it('pauses every worker for Retry-After, then loses and duplicates no user', async () => {
    const { fakes, users, from, to } = setup(40);
    const times: number[] = [];
    const throttledAt: number[] = [];
    let binds = 0;
    fakes.injectFault({
      status: 429,
      headers: { 'retry-after': '2' },
      body: {
        errors: [{ code: 'too_many_requests', message: 'Too many requests', long_message: 'Slow down' }],
      },
      times: 1_000,
      // Every request is timed; every third bind is throttled.
      when: (request) => {
        times.push(Date.now());
        if (!isBind(request)) return false;
        binds += 1;
        const throttle = binds % 3 === 0;
        if (throttle) throttledAt.push(Date.now());
        return throttle;
      },
    });
    const journal = memoryJournal();
    const started = Date.now();
    const { value: report, error } = await settle(
      migratePhones({ from, to, users, journal, concurrency: 8 }),
      20_000,
    );
    expect(error).toBeUndefined();
    expect(report?.outcomes).toMatchObject({ migrated: users.length, failed: 0 });
    expect(report?.rateLimitPauses).toBeGreaterThan(0);
    expect(throttledAt.length).toBeGreaterThan(5);
    // While a pause is in force, nobody asks anything.
    for (const t of throttledAt) {
      expect(times.filter((at) => at > t && at < t + 2000)).toEqual([]);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000 * report!.rateLimitPauses);
    const entries = journal.entries.slice(1).map((line) => JSON.parse(line) as JournalEntry);
    expect(entries.map((e) => e.to).sort()).toEqual(users.map((u) => u.to).sort());
    expectEachBoundOnce(fakes, users);
  });

  it('without Retry-After: a doubling backoff, and a user throttled past maxRateLimitRetries is failed', async () => {
    const { fakes, users, from, to } = setup(3);
    const [stuck] = users;
    fakes.injectFault({
      status: 429,
      body: { errors: [{ code: 'too_many_requests', message: 'Too many requests' }] },
      times: 1_000,
      when: (request) => isBind(request) && (request.body as { user_id?: string }).user_id === stuck?.to,
    });
    const started = Date.now();
    const { value: report } = await settle(
      migratePhones({ from, to, users, maxRateLimitRetries: 3, maxBackoffMs: 4000 }),
      2_000,
    );
    expect(report?.outcomes).toMatchObject({ migrated: 2, failed: 1 });
    expect(report?.failures).toEqual([{ from: stuck?.from, to: stuck?.to, code: 'rate_limited' }]);
    // 1 s, 2 s, 4 s (capped at maxBackoffMs) between the four attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(7000);
    expect(fakes.requests.filter(isBind)).toHaveLength(4 + 2);
  });
});

describe('maxRate', () => {
  it('spaces the calls to a backend: at most maxRate a second', async () => {
    const { fakes, users, from, to } = setup(8);
    const times: number[] = [];
    fakes.injectFault({
      when: (request) => {
        if (request.backend === 'clerk') times.push(Date.now());
        return false;
      },
    });
    const { value: report } = await settle(
      migratePhones({ from, to, users, concurrency: 4, maxRate: { to: 4 } }),
      2_000,
    );
    expect(report?.outcomes.migrated).toBe(8);
    // A read and a bind per user; a call's HTTP requests (Clerk's bind reads the user first) go at once.
    const starts = [...new Set(times)];
    expect(starts).toHaveLength(16);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    expectEachBoundOnce(fakes, users);
  });
});
