/**
 * The contract every adapter must keep, run against the project's fake backends through msw.
 * `adapters.test.ts` calls {@link runConformanceSuite} with a {@link ConformanceTarget} for each of
 * the fakes' targets (`fakeTargets()`).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADAPTERS } from '../../adapters/registry.js';
import {
  type BoundPhone,
  type Hooks,
  isPhoneBindingError,
  type PendingVerification,
  type PhoneBinding,
  type PhoneBindingErrorCode,
  type ProviderId,
  type VerificationTicket,
} from '../../src/index.js';
import { createFakeBackends, type FakeBackendsWithHandlers as FakeBackends } from '../../src/testing/msw.js';
import { CAPABILITY_FLAGS, CAPABILITY_KEYS } from '../support/capabilities.js';
import { otherCode } from '../support/codes.js';
import { useMsw } from '../support/msw.js';

/** What an adapter gives the suite. */
export interface ConformanceTarget {
  /** Name shown in the test titles. */
  name: string;
  provider: ProviderId;
  /**
   * Creates, on fresh fakes, a user with no phone and an adapter for them (base URL at the fakes'
   * origin). `badCredential` gives the same adapter with a credential the backend refuses.
   */
  setup(
    fakes: FakeBackends,
    hooks?: Hooks,
  ): { binding: PhoneBinding; userId?: string; secrets: string[]; badCredential: () => PhoneBinding };
  /** The code the user received; default: the code handed back, else the newest SMS to the number. */
  codeFor?: (fakes: FakeBackends, pending: PendingVerification) => string;
  /** Another adapter's ticket, to prove it is refused. */
  foreignProvider?: ProviderId;
}

const PHONE = '+41791234567';
/** The number a change moves to. */
const OTHER_PHONE = '+41791234568';
const NOTATIONS: Array<{ phoneNumber: string; defaultCountry?: string }> = [
  { phoneNumber: '+41 79 123 45 67' },
  { phoneNumber: '0041791234567' },
  { phoneNumber: 'tel:+41-79-123-45-67' },
  { phoneNumber: '(079) 123 45 67', defaultCountry: 'CH' },
];

async function failure(promise: Promise<unknown>): Promise<{ code: PhoneBindingErrorCode; error: unknown }> {
  try {
    await promise;
  } catch (error) {
    expect(isPhoneBindingError(error), `expected a PhoneBindingError, got ${String(error)}`).toBe(true);
    return { code: (error as { code: PhoneBindingErrorCode }).code, error };
  }
  throw new Error('expected the call to fail');
}

function isPending(result: PendingVerification | BoundPhone): result is PendingVerification {
  return result.state === 'pending';
}

/** Runs the shared contract tests for one adapter. */
export function runConformanceSuite(target: ConformanceTarget): void {
  describe(`conformance: ${target.name}`, () => {
    const server = useMsw();
    let fakes: FakeBackends;
    let env: ReturnType<ConformanceTarget['setup']>;
    const userArg = () => (env.userId === undefined ? {} : { userId: env.userId });
    // What the adapter declares, known when the tests are collected: the tests of the code flow
    // are skipped (not passed empty) on adapters that only bind numbers as verified.
    const declared = ADAPTERS[target.provider].spec.capabilities;
    const withCode = declared.codeVerification ? it : it.skip;
    const withoutCode = declared.codeVerification ? it.skip : it;
    /** The user argument, and `verified: true` where the adapter sends no codes. */
    const bindArgs = () => ({ ...userArg(), ...(declared.codeVerification ? {} : { verified: true }) });
    const codeFor = (pending: PendingVerification) =>
      target.codeFor?.(fakes, pending) ?? pending.code ?? fakes.lastCode(pending.phone.e164) ?? '';

    afterEach(() => vi.useRealTimers());

    beforeEach(() => {
      fakes = createFakeBackends();
      server.resetHandlers(...fakes.handlers);
      env = target.setup(fakes);
    });

    async function bindPending(phoneNumber = PHONE): Promise<PendingVerification> {
      const result = await env.binding.bind({ ...userArg(), phoneNumber });
      if (!isPending(result)) throw new Error('expected a pending verification');
      return result;
    }

    /** Runs `call` and checks that it fails with `code` and that no request reached the backend. */
    async function failsBeforeRequest(call: () => Promise<unknown>, code: PhoneBindingErrorCode) {
      const before = fakes.requests.length;
      const result = await failure(call());
      expect(result.code).toBe(code);
      expect(fakes.requests.length).toBe(before);
      return result.error as { provider?: string; operation?: string };
    }

    it('declares its provider and every capability', () => {
      expect(env.binding.provider).toBe(target.provider);
      expect(Object.keys(env.binding.capabilities).sort()).toEqual([...CAPABILITY_KEYS].sort());
      expect(['admin', 'user']).toContain(env.binding.capabilities.scope);
      expect(['immediate', 'on-verify']).toContain(env.binding.capabilities.change);
      for (const key of CAPABILITY_FLAGS) {
        expect(typeof env.binding.capabilities[key]).toBe('boolean');
      }
    });

    it.each(NOTATIONS)('normalization reaches the wire: $phoneNumber', async (notation) => {
      const { capabilities } = env.binding;
      const result = await env.binding.bind({
        ...userArg(),
        ...notation,
        verified: !capabilities.codeVerification,
      });
      expect(result.phone.e164).toBe(PHONE);
      if (isPending(result)) {
        await env.binding.verify({ ticket: result.ticket, code: codeFor(result) });
      }
      if (capabilities.get) {
        const stored = await env.binding.get(userArg());
        expect(stored?.phone.e164).toBe(PHONE);
        expect(stored?.state).toBe('verified');
      }
    });

    withCode('bind → verify with a ticket that went through JSON → get → remove → get', async () => {
      const pending = await bindPending();
      expect(pending).toMatchObject({ state: 'pending', purpose: 'bind', provider: target.provider });
      expect(pending.ticket.provider).toBe(target.provider);
      const ticket = JSON.parse(JSON.stringify(pending.ticket)) as VerificationTicket;
      const bound = await env.binding.verify({ ticket, code: ` ${codeFor(pending)} ` });
      expect(bound).toMatchObject({ state: 'verified', provider: target.provider, phone: { e164: PHONE } });
      if (env.binding.capabilities.get) {
        expect(await env.binding.get(userArg())).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
      }
      if (env.binding.capabilities.remove) {
        let removed = await env.binding.remove(userArg());
        if (env.binding.capabilities.removeNeedsCode) {
          expect(removed).toMatchObject({ state: 'pending', purpose: 'remove', phone: { e164: PHONE } });
          const pendingRemoval = removed as PendingVerification;
          const removalTicket = JSON.parse(JSON.stringify(pendingRemoval.ticket)) as VerificationTicket;
          await failsBeforeRequest(
            () => env.binding.verify({ ticket: removalTicket, code: '123456' }),
            'invalid_input',
          );
          removed = await env.binding.remove({
            ...userArg(),
            ticket: removalTicket,
            code: codeFor(pendingRemoval),
          });
        }
        expect(removed).toEqual({ state: 'removed', provider: target.provider });
        if (env.binding.capabilities.get) expect(await env.binding.get(userArg())).toBeNull();
      }
    });

    withoutCode('bind({ verified: true }) → get → remove → get, with no SMS sent', async () => {
      const bound = await env.binding.bind({ ...bindArgs(), phoneNumber: PHONE });
      expect(bound).toMatchObject({ state: 'verified', provider: target.provider, phone: { e164: PHONE } });
      expect(fakes.outbox).toHaveLength(0);
      if (env.binding.capabilities.get) {
        expect(await env.binding.get(userArg())).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
      }
      if (env.binding.capabilities.remove) {
        expect(await env.binding.remove(userArg())).toEqual({ state: 'removed', provider: target.provider });
        if (env.binding.capabilities.get) expect(await env.binding.get(userArg())).toBeNull();
      }
    });

    withoutCode(
      'hook events and errors of a verified bind never show the number or the credential',
      async () => {
        const events: unknown[] = [];
        const hooks: Hooks = {
          request: (event) => events.push(event),
          response: (event) => events.push(event),
          error: (event) => events.push(event),
        };
        fakes = createFakeBackends();
        server.resetHandlers(...fakes.handlers);
        env = target.setup(fakes, hooks);
        await env.binding.bind({ ...bindArgs(), phoneNumber: PHONE });
        const errors: unknown[] = [];
        await env.binding
          .bind({ ...bindArgs(), phoneNumber: '+41 79 123 45 6' })
          .catch((error: unknown) => errors.push(error));
        await env
          .badCredential()
          .get(userArg())
          .catch((error: unknown) => errors.push(error));
        expect(errors.length).toBe(2);
        expect(events.some((event) => (event as { type: string }).type === 'request')).toBe(true);
        expect(events.some((event) => (event as { type: string }).type === 'error')).toBe(true);
        const surfaces = [
          ...events.map((event) => JSON.stringify(event)),
          ...errors.map((error) => `${JSON.stringify(error)} ${(error as Error).message} ${String(error)}`),
        ].join('\n');
        for (const secret of [PHONE, PHONE.slice(1), '791234567', ...env.secrets]) {
          expect(surfaces).not.toContain(secret);
        }
      },
    );

    (declared.resend ? it : it.skip)('resend sends a new code that verifies', async () => {
      const pending = await bindPending();
      const sent = fakes.outbox.length;
      // Some backends send one SMS per minute per number (Authing): ask after that window.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      const again = await env.binding.resend({ ticket: pending.ticket });
      expect(again).toMatchObject({ state: 'pending', purpose: 'bind', phone: { e164: PHONE } });
      if (!again.code) expect(fakes.outbox.length).toBe(sent + 1);
      await expect(env.binding.verify({ ticket: again.ticket, code: codeFor(again) })).resolves.toMatchObject(
        {
          state: 'verified',
        },
      );
    });

    withCode('a wrong code is a typed invalid_code', async () => {
      const pending = await bindPending();
      const result = await failure(
        env.binding.verify({ ticket: pending.ticket, code: otherCode(codeFor(pending)) }),
      );
      expect(result.code).toBe('invalid_code');
      expect(result.error).toMatchObject({
        provider: target.provider,
        operation: 'verify',
        retryable: false,
      });
    });

    it('a refused credential is a typed unauthenticated', async () => {
      const result = await failure(env.badCredential().get(userArg()));
      expect(result.code).toBe('unauthenticated');
      expect(result.error).toMatchObject({ provider: target.provider, operation: 'get', retryable: false });
      // Backends that report failures inside a 200 body (Authing) give no HTTP status; Cognito
      // answers every client error, a refused token or key included, with 400.
      const { status } = result.error as { status?: number };
      if (status !== undefined) expect([400, 401]).toContain(status);
    });

    it.each([
      '',
      '   ',
      '+4179',
      '+41 79 123 45 67 89 01',
      '+1 800 FLOWERS',
      '+999 123456789',
      '079 123 45 67',
    ])('invalid number %j → invalid_phone_number before any request', async (phoneNumber) => {
      const error = await failsBeforeRequest(
        () => env.binding.bind({ ...bindArgs(), phoneNumber }),
        'invalid_phone_number',
      );
      expect(error).toMatchObject({ provider: target.provider, operation: 'bind' });
    });

    it('userId follows the scope, before any request', async () => {
      const verified = !declared.codeVerification;
      if (env.binding.capabilities.scope === 'admin') {
        await failsBeforeRequest(() => env.binding.bind({ phoneNumber: PHONE, verified }), 'invalid_input');
        await failsBeforeRequest(() => env.binding.get({}), 'invalid_input');
        await failsBeforeRequest(() => env.binding.get({ userId: '..' }), 'invalid_input');
      } else {
        await failsBeforeRequest(
          () => env.binding.bind({ userId: 'someone', phoneNumber: PHONE, verified }),
          'invalid_input',
        );
        await failsBeforeRequest(() => env.binding.get({ userId: 'someone' }), 'invalid_input');
      }
    });

    withCode('an empty code is invalid_input before any request', async () => {
      const pending = await bindPending();
      await failsBeforeRequest(
        () => env.binding.verify({ ticket: pending.ticket, code: '  ' }),
        'invalid_input',
      );
    });

    withCode(
      'foreign, repurposed, altered and malformed tickets are invalid_input before any request',
      async () => {
        const pending = await bindPending();
        const t = pending.ticket;
        const code = codeFor(pending);
        const foreign = target.foreignProvider ?? (target.provider === 'clerk' ? 'etna' : 'clerk');
        const bad: unknown[] = [
          { ...t, provider: foreign },
          { ...t, purpose: 'remove' },
          { ...t, phone: '+41 79 123 45 67' },
          { ...t, phone: 'not a number' },
          { ...t, issuedAt: 'yesterday' },
          { ...t, extra: 'field' },
          { ...t, data: { nested: { no: 'objects' } } },
          null,
          'ticket',
        ];
        for (const ticket of bad) {
          await failsBeforeRequest(
            () => env.binding.verify({ ticket: ticket as VerificationTicket, code }),
            'invalid_input',
          );
        }
      },
    );

    withCode('an expired ticket is code_expired before any request', async () => {
      const pending = await bindPending();
      const ticket = { ...pending.ticket, expiresAt: new Date(Date.now() - 1000).toISOString() };
      await failsBeforeRequest(() => env.binding.verify({ ticket, code: codeFor(pending) }), 'code_expired');
    });

    it('unsupported operations throw unsupported before any request', async () => {
      const c = env.binding.capabilities;
      const u = userArg();
      if (!c.assertVerified)
        await failsBeforeRequest(
          () => env.binding.bind({ ...u, phoneNumber: PHONE, verified: true }),
          'unsupported',
        );
      if (!c.codeVerification)
        await failsBeforeRequest(() => env.binding.bind({ ...u, phoneNumber: PHONE }), 'unsupported');
      if (!c.primary)
        await failsBeforeRequest(
          () => env.binding.bind({ ...u, phoneNumber: PHONE, primary: true }),
          'unsupported',
        );
      if (!c.get) await failsBeforeRequest(() => env.binding.get(u), 'unsupported');
      if (!c.remove) await failsBeforeRequest(() => env.binding.remove(u), 'unsupported');
      const ticket: VerificationTicket = {
        provider: target.provider,
        purpose: 'remove',
        phone: PHONE,
        issuedAt: new Date().toISOString(),
        ...u,
      };
      if (!c.resend)
        await failsBeforeRequest(
          () => env.binding.resend({ ticket: { ...ticket, purpose: 'bind' } }),
          'unsupported',
        );
      if (!c.removeNeedsCode && c.remove) {
        await failsBeforeRequest(() => env.binding.remove({ ...u, ticket, code: '123456' }), 'invalid_input');
      }
      if (c.removeNeedsCode) {
        await failsBeforeRequest(() => env.binding.remove({ ...u, ticket }), 'invalid_input');
        await failsBeforeRequest(() => env.binding.remove({ ...u, code: '123456' }), 'invalid_input');
        await failsBeforeRequest(
          () => env.binding.remove({ ...u, ticket: { ...ticket, purpose: 'bind' }, code: '1234' }),
          'invalid_input',
        );
      }
    });

    /** Verifies a pending result with the code sent to it (and the replaced number's code where asked). */
    async function finish(pending: PendingVerification, replaced?: string): Promise<BoundPhone> {
      const currentCode =
        pending.needsCurrentCode && replaced !== undefined ? (fakes.lastCode(replaced) ?? '') : undefined;
      return env.binding.verify({
        ticket: pending.ticket,
        code: codeFor(pending),
        ...(currentCode === undefined ? {} : { currentCode }),
      });
    }

    /** Binds `phoneNumber` and finishes it: with a code where the adapter sends one, else asserted. */
    async function bindVerified(phoneNumber: string): Promise<BoundPhone> {
      const { capabilities } = env.binding;
      const result = await env.binding.bind({
        ...userArg(),
        phoneNumber,
        ...(capabilities.codeVerification ? {} : { verified: true }),
      });
      return isPending(result) ? finish(result) : result;
    }

    describe('changing a number (DESIGN "Changing a number")', () => {
      withCode('bind A, verify, bind B, verify: get() answers B verified; A is no longer bound', async () => {
        const { capabilities } = env.binding;
        await bindVerified(PHONE);
        const change = await env.binding.bind({ ...userArg(), phoneNumber: OTHER_PHONE });
        if (!isPending(change)) throw new Error('expected a pending change');
        expect(change.replaces?.e164).toBe(PHONE);
        const during = await env.binding.get(userArg());
        // What holds while the change is pending is the backend's nature, told by the capability.
        if (capabilities.change === 'immediate') {
          expect(during).toMatchObject({ state: 'unverified', phone: { e164: OTHER_PHONE } });
        } else {
          expect(during).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
        }
        const bound = await finish(change, PHONE);
        expect(bound).toMatchObject({ state: 'verified', phone: { e164: OTHER_PHONE } });
        expect(await env.binding.get(userArg())).toMatchObject({
          state: 'verified',
          phone: { e164: OTHER_PHONE },
        });
        // The old number is not the user's any more: naming it for removal finds nothing.
        if (capabilities.remove && !capabilities.removeNeedsCode) {
          const { code } = await failure(env.binding.remove({ ...userArg(), phoneNumber: PHONE }));
          expect(code).toBe('not_found');
        }
      });

      (declared.assertVerified ? it : it.skip)(
        'bind({ verified: true }) over another number: get() answers the new one, verified',
        async () => {
          await env.binding.bind({ ...userArg(), phoneNumber: PHONE, verified: true });
          const bound = await env.binding.bind({ ...userArg(), phoneNumber: OTHER_PHONE, verified: true });
          expect(bound).toMatchObject({ state: 'verified', phone: { e164: OTHER_PHONE } });
          expect(await env.binding.get(userArg())).toMatchObject({
            state: 'verified',
            phone: { e164: OTHER_PHONE },
          });
        },
      );

      withCode(
        'a change never verified leaves the old number in place where change is on-verify',
        async () => {
          await bindVerified(PHONE);
          const change = await env.binding.bind({ ...userArg(), phoneNumber: OTHER_PHONE });
          if (!isPending(change)) throw new Error('expected a pending change');
          const after = await env.binding.get(userArg());
          if (env.binding.capabilities.change === 'on-verify') {
            expect(after).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
          } else {
            expect(after).toMatchObject({ state: 'unverified', phone: { e164: OTHER_PHONE } });
          }
        },
      );

      it('binding the number the user already has, verified, answers it bound and sends nothing', async () => {
        await bindVerified(PHONE);
        const sent = fakes.outbox.length;
        const again = await env.binding.bind({ ...bindArgs(), phoneNumber: PHONE });
        expect(again).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
        expect(fakes.outbox.length).toBe(sent);
      });

      it('keepPrevious needs several numbers per user: unsupported before any request elsewhere', async () => {
        if (env.binding.capabilities.multipleNumbers) return;
        await failsBeforeRequest(
          () => env.binding.bind({ ...bindArgs(), phoneNumber: PHONE, keepPrevious: true }),
          'unsupported',
        );
      });
    });

    describe('the SMS second factor (DESIGN "The SMS second factor")', () => {
      it('bind({ secondFactor: true }) enrols the verified number, or is unsupported before any request', async () => {
        if (!env.binding.capabilities.secondFactor) {
          await failsBeforeRequest(
            () => env.binding.bind({ ...bindArgs(), phoneNumber: PHONE, secondFactor: true }),
            'unsupported',
          );
          return;
        }
        const result = await env.binding.bind({ ...bindArgs(), phoneNumber: PHONE, secondFactor: true });
        const bound = isPending(result) ? await finish(result) : result;
        expect(bound).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
        const read = await env.binding.get(userArg());
        // Where the backend tells, get() reports the factor.
        if (read?.secondFactor !== undefined) expect(read.secondFactor).toBe(true);
        if (env.binding.capabilities.remove && !env.binding.capabilities.removeNeedsCode) {
          await expect(env.binding.remove(userArg())).resolves.toMatchObject({ state: 'removed' });
          expect(await env.binding.get(userArg())).toBeNull();
        }
      });
    });

    withCode('hook events and errors never show the number, the code or the credential', async () => {
      const events: unknown[] = [];
      const hooks: Hooks = {
        request: (event) => events.push(event),
        response: (event) => events.push(event),
        error: (event) => events.push(event),
      };
      fakes = createFakeBackends();
      server.resetHandlers(...fakes.handlers);
      env = target.setup(fakes, hooks);
      const pending = await bindPending();
      const code = codeFor(pending);
      const errors: unknown[] = [];
      for (const attempt of [otherCode(code), code]) {
        await env.binding
          .verify({ ticket: pending.ticket, code: attempt })
          .catch((error: unknown) => errors.push(error));
      }
      await env.binding
        .bind({ ...userArg(), phoneNumber: '+41 79 123 45 6' })
        .catch((error: unknown) => errors.push(error));
      expect(errors.length).toBe(2);
      expect(events.some((event) => (event as { type: string }).type === 'request')).toBe(true);
      expect(events.some((event) => (event as { type: string }).type === 'error')).toBe(true);
      const surfaces = [
        ...events.map((event) => JSON.stringify(event)),
        ...errors.map((error) => `${JSON.stringify(error)} ${(error as Error).message} ${String(error)}`),
      ].join('\n');
      for (const secret of [PHONE, PHONE.slice(1), '791234567', code, otherCode(code), ...env.secrets]) {
        expect(surfaces).not.toContain(secret);
      }
    });
  });
}
