/**
 * Benchmarks, run by `npm run bench` (issue 13, "Speed"). A report, never a timed test: no ratio
 * fails it. It fails loudly (throws, exit code 1) when a measured flow breaks — an SDK call that
 * does not end as it must, a replayed answer with another status, a request that reaches the
 * server not identical to the SDK's.
 *
 * 1. Per call, for every adapter configuration of `fakeTargets()` against the fakes on 127.0.0.1:
 *    the SDK's bind and verify (bind `verified: true` where the adapter sends no codes), next to
 *    ky alone and a raw fetch sending the identical requests, recorded from the SDK and replayed
 *    on fresh users (recording.ts, replay.ts); interleaved, medians, SDK/ky and SDK/raw.
 * 2. CPU µs per call at concurrency 32, SDK vs ky.
 * 3. Concurrent bind → verify flows on Zitadel: per-flow time at 10, 100 and 1,000 at once.
 * 4. `normalizePhoneNumber` throughput.
 * 5. Cold `import()` of every built entry next to its dependencies' and `@clerk/backend`'s.
 * 6. The migration benchmark of `./migrate.ts` (`npm run bench:migrate` runs it alone).
 *
 * Prints a table per section and writes every number as JSON to `.tmp/bench.json`. Knobs:
 * `BENCH_ITERATIONS` (300) and `BENCH_WARMUP` (200) per call; `BENCH_CPU_CALLS` (320) and
 * `BENCH_CPU_ROUNDS` (2); `BENCH_FLOWS` (1000) per level; `BENCH_IMPORT_RUNS` (7, at least 5).
 * `BENCH_TARGETS` (comma-separated prefixes of target names, e.g. `etna,cognito`) runs sections 1
 * and 2 on those targets only, prints them and stops: a quick look, not a report (no JSON).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeBackends, fakeTargets } from '../../src/testing/index.js';
import { type CallResult, perCall } from './calls.js';
import { CONCURRENCY, type CpuResult, concurrentFlows, cpuPerCall, type FlowResult } from './concurrency.js';
import { buildState, coldImports } from './imports.js';
import { runMigrateBench } from './migrate.js';
import { normalizationThroughput } from './normalize.js';
import { recordTemplate } from './recording.js';
import { round, table } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Issue 13: every adapter's median ≤ 1.10 × ky alone; the project's own import share ≤ 10 %. */
const KY_RATIO_TARGET = 1.1;
const OWN_SHARE_TARGET = 0.1;
const FLOW_LEVELS = [10, 100, 1_000];

function positiveInt(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const settings = {
  iterations: positiveInt('BENCH_ITERATIONS', 300),
  warmup: positiveInt('BENCH_WARMUP', 200),
  cpuCalls: positiveInt('BENCH_CPU_CALLS', 320),
  cpuRounds: positiveInt('BENCH_CPU_ROUNDS', 2),
  flows: positiveInt('BENCH_FLOWS', 1_000),
  importRuns: Math.max(5, positiveInt('BENCH_IMPORT_RUNS', 7)),
};

async function started() {
  const fakes = createFakeBackends();
  const server = await fakes.listen();
  return { fakes, server };
}

const us = (v: number) => v.toFixed(0);
const x = (v: number) => `${v.toFixed(2)}×`;

function printCalls(calls: CallResult[]): void {
  console.log(
    `\nPer call, median µs (${settings.iterations} interleaved rounds SDK, ky, raw after ${settings.warmup} warm-up; ` +
      `ky/raw send the SDK's requests, identical on the wire)\n`,
  );
  console.log(
    table(
      ['adapter', 'op', 'SDK', 'ky', 'raw', 'SDK/ky', 'SDK/raw', ''],
      calls.map((c) => [
        c.target,
        c.operation,
        us(c.sdkUs),
        us(c.kyUs),
        us(c.rawUs),
        x(c.sdkPerKy),
        x(c.sdkPerRaw),
        [
          c.sdkPerKy > KY_RATIO_TARGET ? `> ${KY_RATIO_TARGET.toFixed(2)}× ky` : '',
          c.signer ? '(ky/raw + signer)' : '',
        ]
          .filter(Boolean)
          .join(' '),
      ]),
      [false, false, true, true, true, true, true, false],
    ),
  );
}

function printCpu(cpu: CpuResult[]): void {
  console.log(
    `\nCPU µs per call at concurrency ${CONCURRENCY} (process.cpuUsage, in-process fakes included on both sides)\n`,
  );
  console.log(
    table(
      ['adapter', 'op', 'SDK', 'ky', 'SDK/ky'],
      cpu.map((c) => [c.target, c.operation, us(c.sdkUs), us(c.kyUs), x(c.sdkPerKy)]),
      [false, false, true, true, true],
    ),
  );
}

function printFlows(flows: FlowResult[]): void {
  console.log(`\nConcurrent bind → verify flows, ${flows[0]?.target ?? ''}: wall time per flow\n`);
  console.log(
    table(
      ['at once', 'per flow ms'],
      flows.map((f) => [String(f.concurrency), f.perFlowMs.toFixed(3)]),
      [true, true],
    ),
  );
}

async function main(): Promise<void> {
  const t0 = performance.now();
  console.log(`phone-binding bench — node ${process.version}, ${os.cpus().length} CPU(s)`);

  const calls: CallResult[] = [];
  const cpu: CpuResult[] = [];
  const only = process.env.BENCH_TARGETS?.split(',').filter(Boolean);
  const targets = fakeTargets().filter((t) => !only || only.some((prefix) => t.name.startsWith(prefix)));
  // One untimed pass over every target first: the code every adapter shares (the core, ky,
  // fetch) is then optimised by the JIT before any row is measured, not only for the targets
  // measured after the first ones (at 50 warm-up rounds alone, the first target, ETNA, measured
  // 1.11–1.16× ky where 1,500 rounds gave 1.03–1.06×).
  process.stdout.write('  warming every target …');
  const warmStarted = performance.now();
  for (const target of targets) {
    const { fakes, server } = await started();
    try {
      const template = await recordTemplate(target, fakes, server);
      await perCall(template, fakes, server, { iterations: 1, warmup: settings.warmup });
    } finally {
      await server.close();
    }
  }
  process.stdout.write(` ${round((performance.now() - warmStarted) / 1000, 1)} s\n`);
  for (const target of targets) {
    const t = performance.now();
    process.stdout.write(`  ${target.name} …`);
    const { fakes, server } = await started();
    try {
      const template = await recordTemplate(target, fakes, server);
      calls.push(...(await perCall(template, fakes, server, settings)));
      cpu.push(
        ...(await cpuPerCall(template, fakes, server, {
          calls: settings.cpuCalls,
          rounds: settings.cpuRounds,
        })),
      );
    } finally {
      await server.close();
    }
    process.stdout.write(` ${round((performance.now() - t) / 1000, 1)} s\n`);
  }

  if (only) {
    printCalls(calls);
    printCpu(cpu);
    return;
  }
  const sections: Record<string, number> = { perCallAndCpuS: round((performance.now() - t0) / 1000, 1) };
  let mark = performance.now();
  const zitadel = fakeTargets().find((target) => target.provider === 'zitadel');
  if (!zitadel) throw new Error('bench: no zitadel target');
  const flows: FlowResult[] = [];
  for (const concurrency of FLOW_LEVELS) {
    flows.push(await concurrentFlows(zitadel, started, { concurrency, flows: settings.flows }));
  }

  sections.flowsS = round((performance.now() - mark) / 1000, 1);
  const normalization = normalizationThroughput(1_000);
  mark = performance.now();

  let build = buildState(ROOT);
  const builtNow = build.missing.length > 0;
  if (builtNow) {
    console.log('dist/ is missing entries: npm run build …');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    build = buildState(ROOT);
  }
  const imports = coldImports(ROOT, settings.importRuns);
  sections.importsS = round((performance.now() - mark) / 1000, 1);

  printCalls(calls);
  printCpu(cpu);
  printFlows(flows);
  console.log(
    `\nnormalizePhoneNumber: ${normalization.numbersPerSecond.toLocaleString('en-US')} numbers/s ` +
      `(${normalization.usPerNumber} µs each)`,
  );
  console.log(
    `\nCold import() in a fresh node process, median ms of ${settings.importRuns}; own ms: the entry's import once its dependencies are loaded, in the same process; own share = own / (dependencies + own) there, median over the runs` +
      `${builtNow ? ' — dist built now' : ''}${build.stale ? ' — WARNING: dist is older than the sources, run npm run build' : ''}\n`,
  );
  console.log(
    table(
      ['entry', 'ms', 'deps ms', 'own ms', 'own share', '', 'dependencies'],
      imports.entries.map((i) => [
        `dist/${i.entry}.js`,
        i.medianMs.toFixed(1),
        i.dependenciesMs.toFixed(1),
        i.ownMs.toFixed(1),
        `${(i.ownShare * 100).toFixed(0)} %`,
        i.ownShare > OWN_SHARE_TARGET ? `> ${OWN_SHARE_TARGET * 100} %` : '',
        i.dependencies.join(' + '),
      ]),
      [false, true, true, true, true, false, false],
    ),
  );
  console.log(
    `\nAlone: ${imports.references.map((r) => `${r.specifier} ${r.medianMs.toFixed(1)} ms`).join(', ')}`,
  );

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    settings,
    targets: { kyRatio: KY_RATIO_TARGET, ownImportShare: OWN_SHARE_TARGET },
    calls,
    cpu: { concurrency: CONCURRENCY, results: cpu },
    flows,
    normalization,
    imports: { builtNow, stale: build.stale, runs: settings.importRuns, ...imports },
    sections,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  writeFileSync(join(ROOT, '.tmp', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: .tmp/bench.json (whole run ${report.durationS} s)`);
  // The migration benchmark (`npm run bench:migrate` runs it alone; its JSON: .tmp/bench-migrate.json).
  await runMigrateBench();
}

await main();
