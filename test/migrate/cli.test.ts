/**
 * The CLI in this process (`runCli`, the bin's body) against the fakes on 127.0.0.1: its usage
 * errors (exit 2, a clear message, no request sent), its reports (`--json`, text), exit codes, and
 * no secret or full number in anything it prints.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/migrate/cli/run.js';
import type { MigrationReport } from '../../src/migrate/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';
import { ended, startCli, tempDir, writeFile } from './cli-helpers.js';
import { freshNumber } from './seed.js';

let fakes: FakeBackends;
let server: FakeServer;
let dir: string;
let env: Record<string, string>;
let fromJson: string;
let toJson: string;
beforeAll(async () => {
  fakes = createFakeBackends();
  server = await fakes.listen();
  dir = tempDir();
  env = { ZITADEL_TOKEN: fakes.zitadel.adminToken, CLERK_SECRET_KEY: fakes.clerk.secretKey };
  fromJson = writeFile(dir, 'from.json', { provider: 'zitadel', baseUrl: server.urls.zitadel });
  toJson = writeFile(dir, 'to.json', { provider: 'clerk', baseUrl: server.urls.clerk });
});
afterAll(() => server.close());

async function cli(
  argv: string[],
  options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? env,
    tty: options.tty ?? false,
  });
  return { code, stdout, stderr };
}

/** Users with a verified number on the Zitadel fake and none on the Clerk fake. */
function users(count: number) {
  return Array.from({ length: count }, () => {
    const e164 = freshNumber();
    return {
      from: fakes.zitadel.createUser({ phone: e164, isVerified: true }).userId,
      to: fakes.clerk.createUser().userId,
      e164,
    };
  });
}

/** `migrate --from … --to … --users …` with the test's configs and stdin unless told, then `extra`. */
function migrate(
  { from = fromJson, to = toJson, users = '-' }: { from?: string; to?: string; users?: string },
  ...extra: string[]
): string[] {
  return ['migrate', '--from', from, '--to', to, '--users', users, ...extra];
}

const csv = (list: Array<{ from: string; to: string }>) =>
  `from,to\n${list.map((u) => `${u.from},${u.to}`).join('\n')}\n`;

describe('usage errors: exit 2, a clear message, nothing sent', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['no command', () => [], /Missing the command/],
    ['an unknown command', () => ['migrat'], /Unknown command "migrat"/],
    ['missing flags', () => ['migrate', '--from', fromJson], /Missing --to, --users/],
    ['an unknown flag', () => migrate({}, '--force'), /--force/],
    [
      'a bad --concurrency',
      () => migrate({}, '--concurrency', '0'),
      /--concurrency must be an integer from 1 to 1000/,
    ],
    ['a bad --shard', () => migrate({}, '--shard', '2/2'), /--shard must be i\/n with 0 <= i < n/],
    ['a bad --max-rate', () => migrate({}, '--max-rate', 'fast'), /--max-rate must be a positive number/],
    [
      'a missing config file',
      () => migrate({ from: join(dir, 'nope.json') }),
      /--from .*nope\.json: cannot read the config file \(ENOENT\)/,
    ],
    [
      'a config that is not JSON',
      () => migrate({ from: writeFile(dir, 'bad.json', '{ provider: zitadel') }),
      /bad\.json: the config file is not JSON/,
    ],
    [
      'a misspelt provider',
      () => migrate({ to: writeFile(dir, 'typo.json', { provider: 'clerck' }) }),
      /--to .*typo\.json: Invalid config: config\.provider must be one of: .*did you mean "clerk"\?/,
    ],
    [
      'a missing users file',
      () => migrate({ users: join(dir, 'nobody.csv') }),
      /--users .*nobody\.csv: cannot read the users file \(ENOENT\)/,
    ],
    [
      'a CSV without an id column',
      () => migrate({ users: writeFile(dir, 'u.csv', 'user,phone\n1,2\n') }),
      /u\.csv \(line 1\): the CSV header must name an "id" column, or "from" and "to" columns/,
    ],
    [
      'a JSON-lines file with a bad line',
      () => migrate({ users: writeFile(dir, 'u.jsonl', '"a"\n"b"\n{"who": 1}\n') }),
      /u\.jsonl \(line 3\): expected "id"/,
    ],
  ];
  it.each(cases)('%s', async (_name, argv, message) => {
    const before = fakes.requests.length;
    const result = await cli(argv());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(fakes.requests.length).toBe(before);
  });

  it('a secret missing from the environment is named, never asked for on the command line', async () => {
    const result = await cli(migrate({}), {
      env: { ZITADEL_TOKEN: fakes.zitadel.adminToken },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--to .*to\.json: Invalid config: .*secretKey.*CLERK_SECRET_KEY/);
    expect(result.stderr).not.toContain(fakes.zitadel.adminToken);
  });

  it('a journal of another run (other source or target) is refused before any request', async () => {
    const list = users(2);
    const usersCsv = writeFile(dir, 'two.csv', csv(list));
    const journal = join(dir, 'other-run.jsonl');
    const first = await cli(migrate({ users: usersCsv }, '--journal', journal));
    expect(first.code).toBe(0);
    const elsewhere = writeFile(dir, 'to-elsewhere.json', {
      provider: 'clerk',
      baseUrl: `${server.url}/other`,
    });
    const before = fakes.requests.length;
    const second = await cli(migrate({ to: elsewhere, users: usersCsv }, '--journal', journal));
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      /The journal belongs to another run: it was written from zitadel .* to clerk .*\/clerk, this run goes .* to clerk .*\/other/,
    );
    expect(fakes.requests.length).toBe(before);
  });

  it('--help prints the usage, exit 0', async () => {
    const result = await cli(['migrate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--from <file>[\s\S]*--shard <i\/n>[\s\S]*Exit codes: 0/);
  });
});

describe('runs', () => {
  it('--json: the report on stdout, progress on stderr, exit 0; the numbers are on the target', async () => {
    const list = users(5);
    const usersCsv = writeFile(dir, 'five.csv', csv(list));
    const result = await cli(migrate({ users: usersCsv }, '--json'));
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as MigrationReport;
    expect(report).toMatchObject({
      from: 'zitadel',
      to: 'clerk',
      dryRun: false,
      stopped: false,
      done: 5,
      outcomes: { migrated: 5, failed: 0 },
      failures: [],
    });
    expect(result.stderr).toMatch(/^\d+\/5 users · /);
    for (const user of list) {
      expect(fakes.clerk.user(user.to)?.phone_numbers.map((p) => p.phone_number)).toEqual([user.e164]);
      expect(result.stdout + result.stderr).not.toContain(user.e164.slice(3));
    }
    for (const secret of Object.values(env)) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('PHONE_BINDING_JOURNAL_KEY: journal lines carry a keyed hash of the number, never the number', async () => {
    const list = users(2);
    const journal = join(dir, 'keyed.jsonl');
    const result = await cli(
      migrate({ users: writeFile(dir, 'keyed.csv', csv(list)) }, '--journal', journal),
      { env: { ...env, PHONE_BINDING_JOURNAL_KEY: 'a-journal-key-0123456789' } },
    );
    expect(result.code).toBe(0);
    const lines = readFileSync(journal, 'utf8').trim().split('\n').slice(1);
    const hmac = (e164: string) =>
      createHmac('sha256', 'a-journal-key-0123456789').update(e164).digest('hex').slice(0, 32);
    const hashes = Object.fromEntries(
      lines.map((line) => JSON.parse(line) as { to: string; hash?: string }).map((e) => [e.to, e.hash]),
    );
    expect(hashes).toEqual(Object.fromEntries(list.map((user) => [user.to, hmac(user.e164)])));
    for (const user of list) expect(lines.join('\n')).not.toContain(user.e164.slice(3));
  });

  it('exit 1 when a user failed; the report lists it with its code', async () => {
    const [ok] = users(1);
    const lines = [JSON.stringify(ok), JSON.stringify({ from: '999999999999999', to: 'user_gone' })].join(
      '\n',
    );
    const result = await cli(migrate({}, '--json'), {
      stdin: lines,
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as MigrationReport;
    expect(report.outcomes).toMatchObject({ migrated: 1, failed: 1 });
    expect(report.failures).toEqual([{ from: '999999999999999', to: 'user_gone', code: 'not_found' }]);
  });

  it('--dry-run with an id column, the text report, a live progress line on a terminal', async () => {
    const e164 = freshNumber();
    // One id on both sides: a Zitadel user migrated to the Zitadel of another config.
    const { userId } = fakes.zitadel.createUser({ phone: e164, isVerified: true });
    const idsCsv = writeFile(dir, 'ids.csv', `id\n${userId}\n`);
    const result = await cli(migrate({ to: fromJson, users: idsCsv }, '--dry-run'), {
      tty: true,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Dry run \(nothing written\) zitadel → zitadel: 1 users/);
    expect(result.stdout).toMatch(/already-there\s+1/);
    expect(result.stderr).toContain('\r\u001b[2K1/1 users · already-there 1');
  });

  it('the built bin’s source runs as a child process: --json and exit code', {
    timeout: 30_000,
  }, async () => {
    const list = users(3);
    const journal = join(dir, 'child.jsonl');
    const child = startCli(
      migrate({ users: writeFile(dir, 'child.csv', csv(list)) }, '--journal', journal, '--json'),
      env,
    );
    expect(await ended(child)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(child.output().stdout)).toMatchObject({ done: 3, outcomes: { migrated: 3 } });
    const text = readFileSync(journal, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(4);
    for (const user of list) expect(text).not.toContain(user.e164.slice(3));
  });
});
