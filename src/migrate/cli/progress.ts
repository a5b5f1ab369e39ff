/** What the CLI prints while a run goes and when it ends. */
import { OUTCOMES } from '../outcomes.js';
import type { MigrationProgress, MigrationReport } from '../types.js';

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** One line: done / total, the outcomes seen so far, rate, ETA. */
export function progressLine(p: MigrationProgress): string {
  const counted = OUTCOMES.filter((outcome) => p.outcomes[outcome] > 0).map(
    (outcome) => `${outcome} ${p.outcomes[outcome]}`,
  );
  const done = p.total === undefined ? `${p.done}` : `${p.done + p.skipped}/${p.total}`;
  const parts = [`${done} users`, ...counted, `${p.rate.toFixed(1)} users/s`];
  if (p.skipped > 0) parts.splice(1, 0, `skipped ${p.skipped}`);
  if (p.etaMs !== undefined) parts.push(`ETA ${duration(p.etaMs)}`);
  return parts.join(' · ');
}

/**
 * Prints progress: on a terminal one line rewritten in place (at most 10 times a second),
 * otherwise a plain line every `everyMs`.
 */
export function progressPrinter(
  write: (text: string) => void,
  tty: boolean,
  everyMs = 5000,
): { update(p: MigrationProgress): void; end(): void } {
  let last = 0;
  let latest: MigrationProgress | undefined;
  let shown = false;
  return {
    update(p) {
      latest = p;
      const now = Date.now();
      if (now - last < (tty ? 100 : everyMs)) return;
      last = now;
      shown = true;
      write(tty ? `\r\u001b[2K${progressLine(p)}` : `${progressLine(p)}\n`);
    },
    end() {
      if (tty && latest) write(`\r\u001b[2K${progressLine(latest)}\n`);
      else if (tty && shown) write('\n');
    },
  };
}

/** The final report for people. */
export function reportText(report: MigrationReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run (nothing written)' : 'Migration'} ${report.from} → ${report.to}: ${report.done} users in ${(report.durationMs / 1000).toFixed(1)} s` +
      `${report.skipped > 0 ? `, ${report.skipped} skipped (in the journal)` : ''}` +
      `${report.otherShards > 0 ? `, ${report.otherShards} in other shards` : ''}` +
      `${report.stopped ? ' — STOPPED before the end' : ''}`,
    ...OUTCOMES.map((outcome) => `  ${outcome.padEnd(22)}${String(report.outcomes[outcome]).padStart(8)}`),
  ];
  if (report.rateLimitPauses > 0) lines.push(`  (paused ${report.rateLimitPauses} times for rate limits)`);
  if (report.failures.length > 0) {
    lines.push('Failed:');
    for (const failure of report.failures.slice(0, 20)) {
      lines.push(
        `  ${failure.from}${failure.to === failure.from ? '' : ` → ${failure.to}`}: ${failure.code}`,
      );
    }
    const more = report.failures.length - 20 + report.failuresOmitted;
    if (more > 0) lines.push(`  … and ${more} more (--json lists up to 1000)`);
  }
  return `${lines.join('\n')}\n`;
}
