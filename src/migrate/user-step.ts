/**
 * One user's migration: read the source, read the target, bind as verified when that is right,
 * and say what happened. Every request waits for the shared pause and its backend's rate limit;
 * a `rate_limited` answer starts a pause for every worker and the request is asked again.
 */
import { isPhoneBindingError, PhoneBindingError } from '../errors.js';
import { maskPhoneNumber } from '../phone.js';
import type { PhoneBinding } from '../types.js';
import type { Pause, RateLimit } from './throttle.js';
import type { JournalEntry } from './types.js';

/** What every user's step shares. */
export interface StepContext {
  from: PhoneBinding;
  to: PhoneBinding;
  fromLimit: RateLimit;
  toLimit: RateLimit;
  pause: Pause;
  dryRun: boolean;
  overwrite: boolean;
  signal: AbortSignal | undefined;
  sign: ((text: string) => Promise<string>) | undefined;
  maxBackoffMs: number;
  maxRateLimitRetries: number;
}

/** A finished user's journal line without its time. */
export type StepResult = Omit<JournalEntry, 'at'>;

/** Thrown inside a step when `signal` aborted a wait: the user is left unfinished. */
class Stopped extends Error {}

/** Runs `request` after the pause and the backend's slot; waits out `rate_limited` answers and asks again. */
async function call<T>(ctx: StepContext, limit: RateLimit, request: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    if (!(await ctx.pause.wait(ctx.signal)) || !(await limit.take(ctx.signal))) throw new Stopped();
    try {
      return await request();
    } catch (error) {
      if (
        !isPhoneBindingError(error) ||
        error.code !== 'rate_limited' ||
        attempt >= ctx.maxRateLimitRetries
      ) {
        throw error;
      }
      ctx.pause.extend(error.retryAfterMs ?? Math.min(1000 * 2 ** attempt, ctx.maxBackoffMs));
    }
  }
}

/**
 * Migrates one user: its journal line, or `undefined` when `signal` stopped it before it
 * finished (it is not journaled, so a later run does it).
 */
export async function migrateUser(
  ctx: StepContext,
  user: { from: string; to: string },
): Promise<StepResult | undefined> {
  const base = { from: user.from, to: user.to };
  let phone: Pick<StepResult, 'phone' | 'hash'> = {};
  try {
    const source = await call(ctx, ctx.fromLimit, () => ctx.from.get({ userId: user.from }));
    if (source === null) return { ...base, outcome: 'no-phone' };
    const { e164 } = source.phone;
    phone = { phone: maskPhoneNumber(e164), ...(ctx.sign ? { hash: await ctx.sign(e164) } : {}) };
    if (source.state !== 'verified') return { ...base, ...phone, outcome: 'unverified-at-source' };
    // Never a code flow in bulk: a target that cannot take the number as verified gets nothing.
    if (!ctx.to.capabilities.assertVerified) return { ...base, ...phone, outcome: 'needs-reverification' };
    // Read before writing: a run killed between the bind and its journal line finds the number
    // there on resume and binds nothing again.
    const held = ctx.to.capabilities.get
      ? await call(ctx, ctx.toLimit, () => ctx.to.get({ userId: user.to }))
      : null;
    if (held !== null && held.phone.e164 === e164 && held.state === 'verified') {
      return { ...base, ...phone, outcome: 'already-there' };
    }
    if (held !== null && held.phone.e164 !== e164 && !ctx.overwrite) {
      return { ...base, ...phone, outcome: 'conflict', targetPhone: maskPhoneNumber(held.phone.e164) };
    }
    if (ctx.dryRun) return { ...base, ...phone, outcome: 'migrated' };
    const bound = await call(ctx, ctx.toLimit, () =>
      ctx.to.bind({ userId: user.to, phoneNumber: e164, verified: true }),
    );
    if (bound.state !== 'verified') {
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: 'The target answered a verified bind with a pending verification',
        provider: ctx.to.provider,
        operation: 'bind',
      });
    }
    return { ...base, ...phone, outcome: 'migrated' };
  } catch (error) {
    if (error instanceof Stopped) return undefined;
    const code = isPhoneBindingError(error) ? error.code : 'provider_error';
    if (code === 'phone_in_use') return { ...base, ...phone, outcome: 'conflict', code };
    return { ...base, ...phone, outcome: 'failed', code };
  }
}
