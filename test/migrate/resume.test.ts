/**
 * Resume after `kill -9`: the fakes serve on 127.0.0.1 in this process, the CLI runs in a child
 * and is killed while its Nth bind is in the target's hands (the bind takes effect, its answer
 * and journal line never come). A second run with the same journal finishes the job; the target
 * fake's own records then show every user bound once, none lost, none bound twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/migrate/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';
import { ended, startCli, tempDir, writeFile } from './cli-helpers.js';
import { freshNumber } from './seed.js';

const USERS = 40;
const KILL_AT = 15;

let fakes: FakeBackends;
let server: FakeServer;
beforeAll(async () => {
  fakes = createFakeBackends();
  server = await fakes.listen();
});
afterAll(() => server.close());

describe('a run killed with SIGKILL, resumed with its journal', () => {
  it('handles every user exactly once', { timeout: 60_000 }, async () => {
    const users = Array.from({ length: USERS }, () => {
      const e164 = freshNumber();
      const from = fakes.zitadel.createUser({ phone: e164, isVerified: true }).userId;
      return { from, to: fakes.clerk.createUser().userId, e164 };
    });
    const dir = tempDir();
    const args = [
      'migrate',
      '--from',
      writeFile(dir, 'from.json', { provider: 'zitadel', baseUrl: server.urls.zitadel }),
      '--to',
      writeFile(dir, 'to.json', { provider: 'clerk', baseUrl: server.urls.clerk }),
      '--users',
      writeFile(dir, 'users.jsonl', users.map(({ from, to }) => JSON.stringify({ from, to })).join('\n')),
      '--journal',
      join(dir, 'journal.jsonl'),
      '--json',
    ];
    const env = { ZITADEL_TOKEN: fakes.zitadel.adminToken, CLERK_SECRET_KEY: fakes.clerk.secretKey };

    const first = startCli(args, env);
    let binds = 0;
    fakes.injectFault({
      backend: 'clerk',
      method: 'POST',
      path: '/v1/phone_numbers',
      // Never serves a fault: it counts the target's writes and kills the run inside the Nth.
      // (`when` is asked of every request, so it checks the request itself.)
      when: (request) => {
        if (request.backend !== 'clerk' || request.method !== 'POST') return false;
        binds += 1;
        if (binds === KILL_AT) first.kill('SIGKILL');
        return false;
      },
    });
    expect(await ended(first)).toEqual({ code: null, signal: 'SIGKILL' });
    const journaledBeforeKill =
      readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n').length - 1;
    expect(journaledBeforeKill).toBeLessThan(KILL_AT);

    const second = startCli(args, env);
    expect(await ended(second)).toEqual({ code: 0, signal: null });
    const report = JSON.parse(second.output().stdout) as {
      done: number;
      skipped: number;
      outcomes: Record<string, number>;
    };
    expect(report).toMatchObject({ done: USERS - journaledBeforeKill });
    expect(report.skipped).toBe(journaledBeforeKill);
    // The bind the kill cut off took effect: the resumed run finds it there and writes nothing.
    expect(report.outcomes['already-there']).toBeGreaterThanOrEqual(1);

    const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    const entries = lines.slice(1).map((line) => JSON.parse(line) as JournalEntry);
    expect(entries.map((e) => e.to).sort()).toEqual(users.map((u) => u.to).sort());
    expect(new Set(entries.map((e) => e.outcome))).toEqual(new Set(['migrated', 'already-there']));
    for (const user of users) {
      const bindsOfUser = fakes.requests.filter(
        (r) =>
          r.backend === 'clerk' &&
          r.method === 'POST' &&
          (r.body as { user_id?: string })?.user_id === user.to,
      );
      expect(bindsOfUser).toHaveLength(1);
      const held = fakes.clerk.user(user.to)?.phone_numbers ?? [];
      expect(held.map((p) => [p.phone_number, p.verification?.status])).toEqual([[user.e164, 'verified']]);
    }
  });
});
