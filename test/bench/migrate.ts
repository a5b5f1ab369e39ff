/**
 * Migration benchmark, `npm run bench:migrate` (and the last part of `npm run bench`). A report,
 * never a pass/fail test: it exits 0 unless something crashes.
 *
 * The fake backends serve on 127.0.0.1 in this process; the `phone-binding migrate` CLI runs from
 * source (tsx) in a child process, so its peak RSS (`process.resourceUsage().maxRSS`, printed by
 * the child on exit) is the migration's own, without the fakes' state.
 *
 * 1. 10,000 users Zitadel → Clerk at concurrency 16, every one `migrated` (four HTTP requests
 *    each: the source read, the target read, and Clerk's bind, which reads the user and creates
 *    the number): users/s and peak RSS.
 * 2. 100,000 users streamed from a JSON-lines file, same pair and concurrency, with a journal:
 *    peak RSS growth over run 1 (budget: at most 50 MB). To stay within ~3 minutes on 2 cores
 *    (the client side costs about a millisecond of CPU per HTTP request), 1 in 50 users is
 *    `migrated`, 1 in 50 `already-there` and the rest `no-phone` (one read each): every user
 *    still goes through the file, the workers, the journal and the report, which is what could
 *    grow with their number. (The Clerk fake also scans all its users on every bind.)
 *
 * Writes `.tmp/bench-migrate.json`. `BENCH_MIGRATE_USERS` (default 10000) and
 * `BENCH_MIGRATE_STREAMED` (default 100000) change the sizes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MigrationReport } from '../../src/migrate/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = join(ROOT, '.tmp', 'bench-migrate');
const CONCURRENCY = 16;
const GROWTH_BUDGET_MB = 50;
/** The streamed run: 1 in 50 users migrated, 1 in 50 already there, the rest without a number. */
const STREAMED_MIX: Mix = (i) => (i % 50 === 0 ? 'migrated' : i % 50 === 1 ? 'already-there' : 'no-phone');

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** A distinct valid Swiss mobile number per index (+41 79 xxx xx xx). */
const numberOf = (i: number) => `+4179${String(1_000_000 + i).padStart(7, '0')}`;

/** What user i of a run is: its outcome to be. */
type Mix = (i: number) => 'migrated' | 'already-there' | 'no-phone';

/** Seeds `count` users as `mix` says and writes the users file. */
function seed(fakes: FakeBackends, count: number, mix: Mix, file: string): void {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const e164 = numberOf(i);
    const kind = mix(i);
    const from = fakes.zitadel.createUser(
      kind === 'no-phone' ? {} : { phone: e164, isVerified: true },
    ).userId;
    const to = fakes.clerk.createUser(kind === 'already-there' ? { phoneNumbers: [e164] } : {}).userId;
    lines.push(JSON.stringify({ from, to }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

interface RunResult {
  users: number;
  report: MigrationReport;
  usersPerSecond: number;
  peakRssMb: number;
  wallS: number;
}

/** Runs the CLI in a child; answers its report and peak RSS. */
async function runCli(
  server: FakeServer,
  fakes: FakeBackends,
  name: string,
  users: number,
): Promise<RunResult> {
  const from = join(WORK, `${name}-from.json`);
  const to = join(WORK, `${name}-to.json`);
  writeFileSync(from, JSON.stringify({ provider: 'zitadel', baseUrl: server.urls.zitadel }));
  writeFileSync(to, JSON.stringify({ provider: 'clerk', baseUrl: server.urls.clerk }));
  const journal = join(WORK, `${name}-journal.jsonl`);
  rmSync(journal, { force: true });
  const rss =
    "process.on('exit',()=>process.stderr.write('\\nmaxrss='+process.resourceUsage().maxRSS+'\\n'))";
  const cli = process.env.BENCH_MIGRATE_SOURCE
    ? ['--import', 'tsx', join(ROOT, 'src/migrate/cli/main.ts')]
    : [join(ROOT, 'dist/cli.js')];
  const args = [
    ...(process.env.BENCH_MIGRATE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    '--import',
    `data:text/javascript,${encodeURIComponent(rss)}`,
    ...cli,
    'migrate',
    '--from',
    from,
    '--to',
    to,
    '--users',
    join(WORK, `${name}-users.jsonl`),
    '--journal',
    journal,
    '--concurrency',
    String(CONCURRENCY),
    '--json',
  ];
  // The fakes keep every request they got; the bench needs none of them.
  const trim = setInterval(() => {
    (fakes.requests as unknown[]).length = 0;
  }, 1000);
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ZITADEL_TOKEN: fakes.zitadel.adminToken, CLERK_SECRET_KEY: fakes.clerk.secretKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    process.stderr.write(`  ${name}: ${text.trim().split('\n').at(-1)}\r`);
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  clearInterval(trim);
  process.stderr.write('\n');
  const wallS = (performance.now() - started) / 1000;
  const maxRss = /maxrss=(\d+)/.exec(stderr)?.[1];
  if (code !== 0 || maxRss === undefined)
    throw new Error(`${name}: the CLI exited ${code}: ${stderr.slice(-2000)}`);
  const report = JSON.parse(stdout) as MigrationReport;
  return {
    users,
    report,
    usersPerSecond: Math.round((report.done / report.durationMs) * 1000 * 10) / 10,
    peakRssMb: Math.round((Number(maxRss) / 1024) * 10) / 10,
    wallS: Math.round(wallS * 10) / 10,
  };
}

/** Runs both measurements and prints them; answers the JSON it writes. */
export async function runMigrateBench(): Promise<Record<string, unknown>> {
  const small = positiveInt(process.env.BENCH_MIGRATE_USERS, 10_000);
  const large = positiveInt(process.env.BENCH_MIGRATE_STREAMED, 100_000);
  mkdirSync(WORK, { recursive: true });
  console.log(
    `\nMigration Zitadel → Clerk, CLI in a child process, fakes on 127.0.0.1, concurrency ${CONCURRENCY}\n`,
  );
  const results: RunResult[] = [];
  const runs: Array<[string, number, Mix]> = [
    ['all-migrated', small, () => 'migrated'],
    ['streamed', large, STREAMED_MIX],
  ];
  for (const [name, users, mix] of runs) {
    // A fresh set of fakes for each run: the second does not pay for the first one's users.
    const fakes = createFakeBackends();
    const server = await fakes.listen();
    try {
      seed(fakes, users, mix, join(WORK, `${name}-users.jsonl`));
      results.push(await runCli(server, fakes, name, users));
    } finally {
      await server.close();
    }
  }
  const [first, second] = results;
  if (!first || !second) throw new Error('both runs expected');
  const growthMb = Math.round((second.peakRssMb - first.peakRssMb) * 10) / 10;
  for (const r of results) {
    const o = r.report.outcomes;
    console.log(
      `${String(r.users).padStart(7)} users: ${String(r.usersPerSecond).padStart(7)} users/s, peak RSS ${r.peakRssMb} MB ` +
        `(migrated ${o.migrated}, already-there ${o['already-there']}, failed ${o.failed}; ${r.wallS} s with start-up)`,
    );
  }
  console.log(
    `RSS growth ${small.toLocaleString('en-US')} → ${large.toLocaleString('en-US')} users: ${growthMb} MB ` +
      `(budget ≤ ${GROWTH_BUDGET_MB} MB: ${growthMb <= GROWTH_BUDGET_MB ? 'ok' : 'OVER'})`,
  );
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    concurrency: CONCURRENCY,
    runs: results.map(({ report, ...rest }) => ({
      ...rest,
      outcomes: report.outcomes,
      durationMs: report.durationMs,
    })),
    rssGrowthMb: growthMb,
    rssGrowthBudgetMb: GROWTH_BUDGET_MB,
  };
  writeFileSync(join(ROOT, '.tmp', 'bench-migrate.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('JSON: .tmp/bench-migrate.json');
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runMigrateBench();
}
