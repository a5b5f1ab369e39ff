/**
 * Each fake after repeated wrong codes, as its backend's reference describes it and its fake
 * declares (`wrongCodes` in adapters/<name>/fake.ts, with the reference or the fake's own choice in
 * a comment): a lockout where the backend has one, none where it has none. Driven through the
 * adapters, so the error each lockout becomes is pinned too. A new backend's fake declares its own.
 */
import { describe, expect, it } from 'vitest';
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { FAKES } from '../../adapters/fakes.js';
import { ADAPTERS } from '../../adapters/registry.js';
import { isPhoneBindingError } from '../../src/index.js';
import { createFakeBackends, type FakeTarget, fakeTargets } from '../../src/testing/index.js';

const PHONE = { typed: '+41 79 123 45 67', e164: '+41791234567' };

/** A code of the same length that is certainly not `code` (Zitadel's alphabet has no 0 or 1). */
function wrongCode(code: string): string {
  const wrong = '0'.repeat(code.length);
  return wrong === code ? '1'.repeat(code.length) : wrong;
}

/** Binds on a fresh fake, sends `wrong` wrong codes, then the right one: its error code, or `verified`. */
async function rightCodeAfter(target: FakeTarget, wrong: number) {
  const fakes = createFakeBackends();
  const { config, userId } = target.setup(fakes);
  const phones = createPhoneBinding({ ...config, fetch: fakes.fetch } as PhoneBindingConfig);
  const user = userId === undefined ? {} : { userId };
  const bound = await phones.bind({ ...user, phoneNumber: PHONE.typed });
  if (bound.state !== 'pending') throw new Error(`${target.name}: bind answered ${bound.state}`);
  // The return-code target hands the code back instead of sending it.
  const code = bound.code ?? fakes.lastCode(PHONE.e164);
  if (code === undefined) throw new Error(`${target.name}: no code was sent or returned`);
  const policy = FAKES[target.fake].wrongCodes;
  for (let i = 1; i <= wrong; i += 1) {
    const error = await phones
      .verify({ ticket: bound.ticket, code: wrongCode(code) })
      .catch((e: unknown) => e);
    const expected =
      policy.lockAfter !== undefined && policy.lockedOnLast === true && i === policy.lockAfter
        ? policy.lockedAs
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

/** Wrong codes tried against a fake without lockout: well past every lockout above. */
const MANY = 20;

describe('the fakes after repeated wrong codes', () => {
  it('the lockouts the references document', () => {
    expect(FAKES.clerk.wrongCodes).toMatchObject({ lockAfter: 3, lockedAs: 'too_many_attempts' });
    expect(FAKES.cognito.wrongCodes).toEqual({ lockAfter: 15, lockedAs: 'too_many_attempts' });
    expect(FAKES.zitadel.wrongCodes).toEqual({});
    expect(FAKES.supabase.wrongCodes).toEqual({});
  });

  for (const target of targets) {
    const policy = FAKES[target.fake].wrongCodes;
    if (policy.lockAfter === undefined) {
      it(`${target.name}: no lockout — the right code still works after ${MANY} wrong ones`, async () => {
        expect(await rightCodeAfter(target, MANY)).toBe('verified');
      });
    } else {
      const { lockAfter, lockedAs } = policy;
      it(`${target.name}: locks after ${lockAfter} wrong codes (${lockedAs})`, async () => {
        expect(await rightCodeAfter(target, lockAfter - 1)).toBe('verified');
        expect(await rightCodeAfter(target, lockAfter)).toBe(lockedAs);
      });
    }
  }
});
