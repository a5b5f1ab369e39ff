/**
 * One user of one fake target, prepared the same way for every side of the bench (SDK, ky, raw
 * fetch): a fresh user made by the target's own `setup` (the one table the conformance suite and
 * the demo run), a fresh number, and the values that belong to that user (its id and tokens, the
 * number in each notation a request may carry, later the code and the ids the backend answers).
 */
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { normalizePhoneNumber, type PhoneBinding, type VerificationTicket } from '../../src/index.js';
import type { FakeBackends, FakeServer, FakeTarget } from '../../src/testing/index.js';
import { leaves } from './template.js';

let numberCounter = 0;

/** A fresh Swiss mobile number, +41 79 1xx xx xx, as a person would type it. */
export function freshNumber(): { input: string; e164: string; national: string } {
  const d = String(numberCounter++).padStart(6, '0');
  if (d.length > 6) throw new Error('bench: ran out of +41 79 1xx xx xx numbers');
  const input = `+41 79 1${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)}`;
  const phone = normalizePhoneNumber(input);
  return { input, e164: phone.e164, national: phone.nationalNumber };
}

/** One user's state on one side. */
export interface Slot {
  /** The adapter config `setup` answered for this user (`provider`, `baseUrl`, options). */
  config: PhoneBindingConfig;
  /** Admin-scope adapters act on it; `undefined` for user-scope ones. */
  userId: string | undefined;
  /** The number as typed. */
  input: string;
  e164: string;
  /**
   * Placeholder name → this user's value: `user.<field>` (every field of the fake's user record),
   * `phone.*`, later `code` and `answer.<request>.<path>`.
   */
  values: Map<string, string>;
  /** SDK side: the adapter serving this user, the ticket its bind answered and the code. */
  binding?: PhoneBinding;
  ticket?: VerificationTicket;
  code?: string;
}

/** A fresh user of `target` on `fakes` (served by `server`), with a fresh number. */
export function prepareSlot(target: FakeTarget, fakes: FakeBackends, server: FakeServer): Slot {
  const api = fakes[target.fake] as unknown as { createUser(...args: unknown[]): unknown };
  let user: unknown;
  // The fake's own user record holds every per-user value the adapter may send (id, tokens,
  // username): `setup` creates it inside, so its createUser is watched.
  const watched = {
    ...api,
    createUser(...args: unknown[]) {
      user = api.createUser(...args);
      return user;
    },
  };
  const { config, userId } = target.setup(
    { ...fakes, [target.fake]: watched } as FakeBackends,
    server.urls[target.fake],
  );
  const number = freshNumber();
  const values = new Map<string, string>();
  for (const [path, value] of leaves(user)) values.set(`user.${path.join('.')}`, value);
  values.set('phone.e164', number.e164);
  values.set('phone.e164-url', encodeURIComponent(number.e164));
  values.set('phone.digits', number.e164.slice(1));
  values.set('phone.national', number.national);
  return {
    config: config as unknown as PhoneBindingConfig,
    userId,
    input: number.input,
    e164: number.e164,
    values,
  };
}

/** Equal configs (functions only when the same function): one adapter can serve both users. */
export function sameConfig(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) =>
    sameConfig((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/**
 * Gives each slot its adapter: one shared adapter when every user's config is the same (an admin
 * credential), otherwise one per user (a user's own token), built before any timing.
 */
export function attachBindings(slots: readonly Slot[], extra: { fetch?: typeof fetch } = {}): void {
  const first = slots[0];
  if (!first) return;
  const shared = slots.every((slot) => sameConfig(slot.config, first.config))
    ? createPhoneBinding({ ...first.config, ...extra })
    : undefined;
  for (const slot of slots) slot.binding = shared ?? createPhoneBinding({ ...slot.config, ...extra });
}

/** Looks up the code of the slot's pending binding in the fakes' outbox (untimed, before verify). */
export function takeCode(slot: Slot, fakes: FakeBackends): void {
  const code = fakes.lastCode(slot.e164);
  if (code !== undefined) slot.values.set('code', code);
}
