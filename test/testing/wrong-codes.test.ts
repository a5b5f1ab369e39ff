/**
 * Each fake after repeated wrong codes, as its backend's reference (/work/shared/providers/*.md)
 * describes it: a lockout where the backend has one, none where it has none. Driven through the
 * adapters, so the error each lockout becomes is pinned too.
 */
import { describe, expect, it } from 'vitest';
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { ADAPTERS } from '../../adapters/registry.js';
import { isPhoneBindingError, type PhoneBindingErrorCode, type ProviderId } from '../../src/index.js';
import { createFakeBackends, fakeTargets } from '../../src/testing/index.js';

const PHONE = { typed: '+41 79 123 45 67', e164: '+41791234567' };

/**
 * After `wrong` wrong codes: `lock` — the right code is refused with `error` (and after one wrong
 * code fewer it is still accepted); `none` — the right code is still accepted.
 */
type Behaviour =
  | {
      lock: number;
      error: PhoneBindingErrorCode;
      /** What the `lock`-th wrong code itself answers, when the lock already shows there. */
      lockingAnswer?: PhoneBindingErrorCode;
    }
  | { none: number };

const AFTER_WRONG_CODES: Partial<Record<ProviderId, Behaviour>> = {
  // zitadel.md: "No attempt counter is exposed; each failure is only logged as an event" [Z6].
  zitadel: { none: 20 },
  'zitadel-self': { none: 20 },
  // supabase.md: "there is no attempt limit" [S4][S26]: the code stays valid.
  supabase: { none: 20 },
  // clerk.md: the verification turns `failed` after too many attempts (`verification_failed`); the
  // count is not documented, the fake's is 3.
  clerk: { lock: 3, error: 'too_many_attempts', lockingAnswer: 'too_many_attempts' },
  // cognito.md: 15 VerifyUserAttribute calls per user per hour, then LimitExceededException [D4].
  cognito: { lock: 15, error: 'too_many_attempts' },
  // authing.md and etna.md are silent on wrong codes: the fakes' own choice, 5 tries per code.
  // Authing's lock answers the legacy "expired" apiCode 2300 (see adapters/authing/fake.ts);
  // ETNA's is an undocumented 400 {"Message"} the adapter cannot tell from a wrong code.
  authing: { lock: 5, error: 'code_expired' },
  etna: { lock: 5, error: 'invalid_code' },
};

/** A code of the same length that is certainly not `code` (Zitadel's alphabet has no 0 or 1). */
function wrongCode(code: string): string {
  const wrong = '0'.repeat(code.length);
  return wrong === code ? '1'.repeat(code.length) : wrong;
}

/** Binds on a fresh fake, sends `wrong` wrong codes, then the right one: its error code, or `verified`. */
async function rightCodeAfter(target: ReturnType<typeof fakeTargets>[number], wrong: number) {
  const fakes = createFakeBackends();
  const { config, userId } = target.setup(fakes);
  const phones = createPhoneBinding({ ...config, fetch: fakes.fetch } as PhoneBindingConfig);
  const user = userId === undefined ? {} : { userId };
  const bound = await phones.bind({ ...user, phoneNumber: PHONE.typed });
  if (bound.state !== 'pending') throw new Error(`${target.name}: bind answered ${bound.state}`);
  // The return-code target hands the code back instead of sending it.
  const code = bound.code ?? fakes.lastCode(PHONE.e164);
  if (code === undefined) throw new Error(`${target.name}: no code was sent or returned`);
  const behaviour = AFTER_WRONG_CODES[target.provider];
  for (let i = 1; i <= wrong; i += 1) {
    const error = await phones
      .verify({ ticket: bound.ticket, code: wrongCode(code) })
      .catch((e: unknown) => e);
    const expected =
      behaviour !== undefined && 'lock' in behaviour && i === behaviour.lock
        ? (behaviour.lockingAnswer ?? 'invalid_code')
        : 'invalid_code';
    expect(isPhoneBindingError(error) && error.code, `wrong code #${i}`).toBe(expected);
  }
  try {
    return (await phones.verify({ ticket: bound.ticket, code })).state;
  } catch (error) {
    if (isPhoneBindingError(error)) return error.code;
    throw error;
  }
}

const targets = fakeTargets().filter(
  (target) => ADAPTERS[target.provider].spec.capabilities.codeVerification,
);

describe('the fakes after repeated wrong codes', () => {
  it('every code-verifying adapter has a declared behaviour', () => {
    expect(targets.map((t) => t.provider).filter((p) => AFTER_WRONG_CODES[p] === undefined)).toEqual([]);
  });

  for (const target of targets) {
    const behaviour = AFTER_WRONG_CODES[target.provider];
    if (behaviour === undefined) continue;
    if ('none' in behaviour) {
      it(`${target.name}: no lockout — the right code still works after ${behaviour.none} wrong ones`, async () => {
        expect(await rightCodeAfter(target, behaviour.none)).toBe('verified');
      });
    } else {
      it(`${target.name}: locks after ${behaviour.lock} wrong codes (${behaviour.error})`, async () => {
        expect(await rightCodeAfter(target, behaviour.lock - 1)).toBe('verified');
        expect(await rightCodeAfter(target, behaviour.lock)).toBe(behaviour.error);
      });
    }
  }
});
