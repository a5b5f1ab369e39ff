/**
 * Per-call latency of one target: the SDK's operation next to ky alone and raw fetch sending the
 * identical requests, interleaved in one run (SDK, ky, raw, SDK, …) after a warm-up. Every
 * iteration has its own users (one per side, prepared the same way, before any timing); after the
 * loop every request the fake server saw is checked against the SDK's template.
 */
import type { FakeBackends, FakeServer, RecordedRequest } from '../../src/testing/index.js';
import { beforeOp, checkCall, sdkOp, type Template } from './recording.js';
import { replayOp, viaFetch, viaKy } from './replay.js';
import { attachBindings, prepareSlot, type Slot } from './slots.js';
import { median, round } from './stats.js';

/** The medians of one target's operation, in microseconds, and their ratios. */
export interface CallResult {
  target: string;
  operation: string;
  /** `true` where ky and raw fetch sign too (AWS SigV4): the references are "+ signer". */
  signer: boolean;
  iterations: number;
  requests: number;
  sdkUs: number;
  kyUs: number;
  rawUs: number;
  sdkPerKy: number;
  sdkPerRaw: number;
}

type Side = 'sdk' | 'ky' | 'raw';
const SIDES: readonly Side[] = ['sdk', 'ky', 'raw'];

/** Runs one side's call of an operation. */
export function caller(
  template: Template,
  op: Template['ops'][number],
  side: Side,
): (slot: Slot) => Promise<void> {
  if (side === 'sdk') return (slot) => sdkOp(op.op, slot);
  const send = side === 'ky' ? viaKy : viaFetch;
  return (slot) => replayOp(op, slot, send, template.signing);
}

/** The label of an operation: `bind`, `bind (verified)`, `verify`. */
export function opLabel(op: Template['ops'][number]): string {
  return op.op.verified ? 'bind (verified)' : op.op.name;
}

export async function perCall(
  template: Template,
  fakes: FakeBackends,
  server: FakeServer,
  { iterations, warmup }: { iterations: number; warmup: number },
): Promise<CallResult[]> {
  const total = warmup + iterations;
  const slots = Object.fromEntries(
    SIDES.map((side) => [
      side,
      Array.from({ length: total }, () => prepareSlot(template.target, fakes, server)),
    ]),
  ) as Record<Side, Slot[]>;
  attachBindings(slots.sdk);
  const results: CallResult[] = [];
  for (const op of template.ops) {
    for (const side of SIDES) for (const slot of slots[side]) beforeOp(op.op, slot, fakes);
    const calls = SIDES.map((side) => caller(template, op, side));
    const samples: Record<Side, number[]> = { sdk: [], ky: [], raw: [] };
    const seen: Array<{ side: Side; slot: Slot; from: number; to: number }> = [];
    for (let i = 0; i < total; i += 1) {
      for (let s = 0; s < SIDES.length; s += 1) {
        const side = SIDES[s] as Side;
        const slot = slots[side][i] as Slot;
        const from = fakes.requests.length;
        const started = performance.now();
        await (calls[s] as (slot: Slot) => Promise<void>)(slot);
        const ms = performance.now() - started;
        seen.push({ side, slot, from, to: fakes.requests.length });
        if (i >= warmup) samples[side].push(ms);
      }
    }
    // Untimed: every call's requests, as the server saw them, against the SDK's template.
    for (const { side, slot, from, to } of seen) {
      checkCall(template, op, slot, fakes.requests.slice(from, to) as RecordedRequest[], side);
    }
    const [sdk, ky, raw] = SIDES.map((side) => median(samples[side]) * 1000) as [number, number, number];
    results.push({
      target: template.target.name,
      operation: opLabel(op),
      signer: op.requests.some((request) => request.signed),
      iterations,
      requests: op.requests.length,
      sdkUs: round(sdk, 1),
      kyUs: round(ky, 1),
      rawUs: round(raw, 1),
      sdkPerKy: round(sdk / ky),
      sdkPerRaw: round(sdk / raw),
    });
  }
  return results;
}
