/**
 * Under load: CPU time per call at concurrency 32 (SDK vs ky alone, identical requests), and
 * many concurrent bind → verify flows on one adapter. CPU is `process.cpuUsage()` of this whole
 * process, so it includes the in-process fake server — the same work for both sides, since the
 * requests are identical.
 */
import type { FakeBackends, FakeServer, FakeTarget } from '../../src/testing/index.js';
import { caller, opLabel } from './calls.js';
import { beforeOp, sdkOp, type Template } from './recording.js';
import { attachBindings, prepareSlot, type Slot } from './slots.js';
import { median, pool, round } from './stats.js';

export const CONCURRENCY = 32;

/** CPU µs per call of one operation at concurrency 32. */
export interface CpuResult {
  target: string;
  operation: string;
  calls: number;
  sdkUs: number;
  kyUs: number;
  sdkPerKy: number;
}

function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * `rounds` rounds of `calls` calls per side and operation, 32 at a time; the sides alternate
 * which goes first, so drift spreads over both.
 */
export async function cpuPerCall(
  template: Template,
  fakes: FakeBackends,
  server: FakeServer,
  { calls, rounds }: { calls: number; rounds: number },
): Promise<CpuResult[]> {
  const sides = ['sdk', 'ky'] as const;
  const totals = template.ops.map(() => ({ sdk: 0, ky: 0 }));
  for (let round = 0; round < rounds; round += 1) {
    const slots = {
      sdk: Array.from({ length: calls }, () => prepareSlot(template.target, fakes, server)),
      ky: Array.from({ length: calls }, () => prepareSlot(template.target, fakes, server)),
    };
    attachBindings(slots.sdk);
    for (const [o, op] of template.ops.entries()) {
      for (const side of sides) for (const slot of slots[side]) beforeOp(op.op, slot, fakes);
      const order = round % 2 === 0 ? sides : ([...sides].reverse() as (typeof sides)[number][]);
      for (const side of order) {
        const call = caller(template, op, side);
        const list = slots[side];
        const before = cpuUs();
        await pool(calls, CONCURRENCY, (i) => call(list[i] as Slot));
        (totals[o] as { sdk: number; ky: number })[side] += cpuUs() - before;
      }
    }
  }
  return template.ops.map((op, o) => {
    const { sdk, ky } = totals[o] as { sdk: number; ky: number };
    const n = calls * rounds;
    return {
      target: template.target.name,
      operation: opLabel(op),
      calls: n,
      sdkUs: round(sdk / n, 1),
      kyUs: round(ky / n, 1),
      sdkPerKy: round(sdk / ky),
    };
  });
}

/** Per-flow time of `flows` bind → verify flows run `concurrency` at once. */
export interface FlowResult {
  target: string;
  concurrency: number;
  flows: number;
  /** Wall time of all batches / flows. */
  perFlowMs: number;
  /** Median time of one flow from its start to its verify's answer. */
  medianFlowMs: number;
}

/** One bind → code from the outbox → verify, on the SDK; throws when it does not end verified. */
async function flow(slot: Slot, fakes: FakeBackends): Promise<number> {
  const started = performance.now();
  await sdkOp({ name: 'bind', verified: false }, slot);
  slot.code ??= fakes.lastCode(slot.e164);
  await sdkOp({ name: 'verify', verified: false }, slot);
  return performance.now() - started;
}

/**
 * `flows` flows in batches of `concurrency` (each batch all at once), after one warm-up batch,
 * on fresh fakes per level.
 */
export async function concurrentFlows(
  target: FakeTarget,
  start: () => Promise<{ fakes: FakeBackends; server: FakeServer }>,
  { concurrency, flows }: { concurrency: number; flows: number },
): Promise<FlowResult> {
  const { fakes, server } = await start();
  try {
    const batches = Math.max(1, Math.round(flows / concurrency));
    const all = Array.from({ length: (batches + 1) * concurrency }, () => prepareSlot(target, fakes, server));
    attachBindings(all);
    const durations: number[] = [];
    let wall = 0;
    for (let b = 0; b <= batches; b += 1) {
      const batch = all.slice(b * concurrency, (b + 1) * concurrency);
      const started = performance.now();
      const times = await Promise.all(batch.map((slot) => flow(slot, fakes)));
      // Batch 0 warms up.
      if (b > 0) {
        wall += performance.now() - started;
        durations.push(...times);
      }
    }
    return {
      target: target.name,
      concurrency,
      flows: batches * concurrency,
      perFlowMs: round(wall / (batches * concurrency), 4),
      medianFlowMs: round(median(durations), 2),
    };
  } finally {
    await server.close();
  }
}
