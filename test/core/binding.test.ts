import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { PhoneBindingError } from '../../src/errors.js';
import { type BindingDefinition, createBinding } from '../../src/internal/binding.js';
import type { CallContext } from '../../src/internal/http.js';
import { createTicket } from '../../src/internal/ticket.js';
import type {
  CheckedBind,
  CheckedGet,
  CheckedRemove,
  CheckedResend,
  CheckedVerify,
} from '../../src/kit/contract.js';
import { MIN_METADATA, normalizePhoneNumber } from '../../src/phone.js';
import { phoneCodec } from '../../src/phone-core.js';
import type {
  BoundPhone,
  Capabilities,
  ErrorEvent,
  Hooks,
  Operation,
  PendingVerification,
  PhoneBinding,
  ProviderId,
  RemoveInput,
  VerificationTicket,
} from '../../src/types.js';
import { rejection } from '../support/rejection.js';

const PHONE = normalizePhoneNumber('+41791234567');
const CODE_MAX = 8;

const ADMIN: Capabilities = {
  scope: 'admin',
  codeVerification: true,
  assertVerified: true,
  returnCode: false,
  resend: true,
  get: true,
  remove: true,
  primary: true,
  removeNeedsCode: false,
  change: 'immediate',
  secondFactor: false,
  multipleNumbers: false,
};

const NOTHING: Capabilities = {
  scope: 'admin',
  codeVerification: false,
  assertVerified: false,
  returnCode: false,
  resend: false,
  get: false,
  remove: false,
  primary: false,
  removeNeedsCode: false,
  change: 'immediate',
  secondFactor: false,
  multipleNumbers: false,
};

interface Recorded {
  operation: Operation;
  input: unknown;
  call: CallContext;
}

interface Setup {
  provider?: ProviderId;
  capabilities?: Partial<Capabilities>;
  /** Operations the definition does not implement. */
  omit?: Operation[];
  hooks?: Hooks;
  ticketSecret?: string;
  /** What every operation throws instead of answering. */
  fail?: unknown;
}

function pending(
  provider: ProviderId,
  purpose: 'bind' | 'remove',
  userId: string | undefined,
): PendingVerification {
  return {
    state: 'pending',
    purpose,
    provider,
    phone: PHONE,
    ticket: createTicket({
      provider,
      purpose,
      phone: PHONE,
      userId,
      expiresAt: new Date(Date.now() + 10 * 60_000),
      data: { tokenId: 7, kind: 'sms' },
    }),
  };
}

/** A dummy adapter whose operations record their calls and never touch the network. */
function setup(options: Setup = {}): { binding: PhoneBinding; calls: Recorded[] } {
  const provider = options.provider ?? 'zitadel';
  const capabilities: Capabilities = { ...ADMIN, ...options.capabilities };
  const calls: Recorded[] = [];
  const omit = new Set(options.omit ?? []);
  const record = (operation: Operation, input: unknown, call: CallContext): void => {
    calls.push({ operation, input, call });
    if (options.fail !== undefined) throw options.fail;
  };
  const def: BindingDefinition = {
    provider,
    capabilities,
    codeMaxLength: CODE_MAX,
    phones: phoneCodec(MIN_METADATA),
    ticketData: z.unknown(),
    common: { hooks: options.hooks, deadline: undefined, ticketSecret: options.ticketSecret },
  };
  if (!omit.has('bind')) {
    def.bind = async (input: CheckedBind, call) => {
      record('bind', input, call);
      if (input.verified) return { state: 'verified', provider, phone: input.phone } satisfies BoundPhone;
      return pending(provider, 'bind', input.userId);
    };
  }
  if (!omit.has('verify')) {
    def.verify = async (input: CheckedVerify, call) => {
      record('verify', input, call);
      return { state: 'verified', provider, phone: input.ticket.phone };
    };
  }
  if (!omit.has('resend')) {
    def.resend = async ({ ticket }: CheckedResend, call) => {
      record('resend', ticket, call);
      return pending(provider, ticket.purpose, ticket.userId);
    };
  }
  if (!omit.has('get')) {
    def.get = async ({ userId }: CheckedGet, call) => {
      record('get', userId, call);
      return null;
    };
  }
  if (!omit.has('remove')) {
    def.remove = async (input: CheckedRemove, call) => {
      record('remove', input, call);
      if (capabilities.removeNeedsCode && !input.confirm) return pending(provider, 'remove', input.userId);
      return { state: 'removed', provider };
    };
  }
  return { binding: createBinding(def), calls };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<PhoneBindingError> {
  const error = await rejection(promise);
  expect(error.code).toBe(code);
  return error;
}

/** A well-formed ticket for the default (admin, zitadel) adapter. */
function ticket(overrides: Partial<VerificationTicket> = {}): VerificationTicket {
  return {
    provider: 'zitadel',
    purpose: 'bind',
    userId: 'u1',
    phone: '+41791234567',
    issuedAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function without<K extends keyof VerificationTicket>(value: VerificationTicket, key: K): VerificationTicket {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** Calls `op` on the binding with input the TypeScript types would refuse. */
function loose(
  binding: PhoneBinding,
): Record<Operation, (input: unknown, options?: unknown) => Promise<unknown>> {
  return binding as unknown as Record<Operation, (input: unknown, options?: unknown) => Promise<unknown>>;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the binding object', () => {
  it('exposes provider and a frozen copy of the capabilities', () => {
    const { binding } = setup({ provider: 'clerk' });
    expect(binding.provider).toBe('clerk');
    expect(binding.capabilities).toEqual(ADMIN);
    expect(Object.isFrozen(binding.capabilities)).toBe(true);
    expect(Object.isFrozen(binding)).toBe(true);
  });

  it('hands checked input and the call context to the operations', async () => {
    const { binding, calls } = setup();
    const controller = new AbortController();
    const result = await binding.bind(
      { userId: 'u1', phoneNumber: '(079) 123 45 67', defaultCountry: 'CH', primary: true },
      { signal: controller.signal, timeout: 1234, headers: { 'x-trace': 't1' } },
    );
    expect(result.state).toBe('pending');
    expect(calls).toHaveLength(1);
    const [{ operation, input, call }] = calls as [Recorded];
    expect(operation).toBe('bind');
    expect(input).toEqual({
      userId: 'u1',
      phone: PHONE,
      verified: false,
      primary: true,
      secondFactor: false,
      keepPrevious: false,
    });
    expect(call.operation).toBe('bind');
    expect(call.options).toEqual({ signal: controller.signal, timeout: 1234, headers: { 'x-trace': 't1' } });
    expect(call.options.signal).toBe(controller.signal);
    // The call's redactor already knows the number.
    expect(call.redactor.text('tel +41791234567 / 791234567')).not.toContain('791234567');
  });

  it('binds as verified with verified: true where assertVerified', async () => {
    const { binding, calls } = setup();
    await expect(
      binding.bind({ userId: 'u1', phoneNumber: '+41791234567', verified: true }),
    ).resolves.toEqual({
      state: 'verified',
      provider: 'zitadel',
      phone: PHONE,
    });
    expect(calls[0]!.input).toMatchObject({ verified: true, primary: undefined });
  });

  it('a bad number gives invalid_phone_number stamped with provider and operation', async () => {
    const { binding, calls } = setup();
    const error = await expectCode(
      binding.bind({ userId: 'u1', phoneNumber: '+4179' }),
      'invalid_phone_number',
    );
    expect(error.provider).toBe('zitadel');
    expect(error.operation).toBe('bind');
    expect(calls).toHaveLength(0);
  });
});

describe('unsupported operations', () => {
  const ticketForAll = ticket();

  const attempts: Array<[string, (binding: PhoneBinding) => Promise<unknown>]> = [
    ['bind with a code', (b) => b.bind({ userId: 'u1', phoneNumber: '+41791234567' })],
    ['bind as verified', (b) => b.bind({ userId: 'u1', phoneNumber: '+41791234567', verified: true })],
    ['verify', (b) => b.verify({ ticket: ticketForAll, code: '123456' })],
    ['resend', (b) => b.resend({ ticket: ticketForAll })],
    ['get', (b) => b.get({ userId: 'u1' })],
    ['remove', (b) => b.remove({ userId: 'u1' })],
  ];

  it.each(attempts)(
    '%s is unsupported when its capability is false, and no operation runs',
    async (_l, run) => {
      const errors: ErrorEvent[] = [];
      const { binding, calls } = setup({ capabilities: NOTHING, hooks: { error: (e) => errors.push(e) } });
      const error = await expectCode(run(binding), 'unsupported');
      expect(error.provider).toBe('zitadel');
      expect(error.retryable).toBe(false);
      expect(calls).toHaveLength(0);
      expect(errors).toHaveLength(1);
    },
  );

  it.each<[Operation, (binding: PhoneBinding) => Promise<unknown>]>([
    ['bind', (b) => b.bind({ userId: 'u1', phoneNumber: '+41791234567' })],
    ['verify', (b) => b.verify({ ticket: ticketForAll, code: '123456' })],
    ['resend', (b) => b.resend({ ticket: ticketForAll })],
    ['get', (b) => b.get({ userId: 'u1' })],
    ['remove', (b) => b.remove({ userId: 'u1' })],
  ])('%s is unsupported when the adapter does not implement it', async (operation, run) => {
    const { binding, calls } = setup({ omit: [operation] });
    const error = await expectCode(run(binding), 'unsupported');
    expect(error.operation).toBe(operation);
    expect(calls).toHaveLength(0);
  });

  it('verified: true without assertVerified is unsupported', async () => {
    const { binding, calls } = setup({ capabilities: { assertVerified: false } });
    await expectCode(
      binding.bind({ userId: 'u1', phoneNumber: '+41791234567', verified: true }),
      'unsupported',
    );
    expect(calls).toHaveLength(0);
    // …while bind with a code still works.
    await expect(binding.bind({ userId: 'u1', phoneNumber: '+41791234567' })).resolves.toMatchObject({
      state: 'pending',
    });
  });

  it('bind with a code without codeVerification is unsupported, verified: true still works', async () => {
    const { binding, calls } = setup({ capabilities: { codeVerification: false } });
    await expectCode(binding.bind({ userId: 'u1', phoneNumber: '+41791234567' }), 'unsupported');
    await expectCode(
      binding.bind({ userId: 'u1', phoneNumber: '+41791234567', verified: false }),
      'unsupported',
    );
    expect(calls).toHaveLength(0);
    await expect(
      binding.bind({ userId: 'u1', phoneNumber: '+41791234567', verified: true }),
    ).resolves.toMatchObject({ state: 'verified' });
  });

  it.each([true, false])('primary: %s without the primary capability is unsupported', async (primary) => {
    const { binding, calls } = setup({ capabilities: { primary: false } });
    await expectCode(binding.bind({ userId: 'u1', phoneNumber: '+41791234567', primary }), 'unsupported');
    expect(calls).toHaveLength(0);
  });

  it.each<[string, unknown]>([
    ['verified', 'yes'],
    ['verified', 1],
    ['primary', 'true'],
    ['primary', null],
  ])('%s must be a boolean (%j → invalid_input)', async (field, value) => {
    const { binding, calls } = setup();
    await expectCode(
      loose(binding).bind({ userId: 'u1', phoneNumber: '+41791234567', [field]: value }),
      'invalid_input',
    );
    expect(calls).toHaveLength(0);
  });
});

describe('userId and scope', () => {
  const adminCalls: Array<[string, (b: PhoneBinding, userId: unknown) => Promise<unknown>]> = [
    ['bind', (b, userId) => loose(b).bind({ userId, phoneNumber: '+41791234567' })],
    ['get', (b, userId) => loose(b).get({ userId })],
    ['remove', (b, userId) => loose(b).remove({ userId })],
  ];

  it.each(adminCalls)('scope admin: %s requires userId', async (_label, run) => {
    const { binding, calls } = setup();
    await expectCode(run(binding, undefined), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it.each(adminCalls)('scope admin: %s passes a valid userId on', async (operation, run) => {
    const { binding, calls } = setup();
    await run(binding, 'user-42@org');
    expect(calls).toHaveLength(1);
    const input = calls[0]!.input;
    if (operation === 'get') expect(input).toBe('user-42@org');
    else expect(input).toMatchObject({ userId: 'user-42@org' });
  });

  it('scope admin: get(undefined) is invalid_input, not a TypeError', async () => {
    const { binding } = setup();
    await expectCode(loose(binding).get(undefined), 'invalid_input');
  });

  it.each(adminCalls)('scope user: %s refuses a userId', async (_label, run) => {
    const { binding, calls } = setup({ provider: 'zitadel-self', capabilities: { scope: 'user' } });
    await expectCode(run(binding, 'u1'), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it.each(adminCalls)('scope user: %s works without a userId', async (operation, run) => {
    const { binding, calls } = setup({ provider: 'zitadel-self', capabilities: { scope: 'user' } });
    await run(binding, undefined);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.input;
    if (operation === 'get') expect(input).toBeUndefined();
    else expect(input).toMatchObject({ userId: undefined });
  });

  it('scope user: get() and remove() accept no input at all', async () => {
    const { binding, calls } = setup({ provider: 'zitadel-self', capabilities: { scope: 'user' } });
    await loose(binding).get(undefined);
    await loose(binding).remove(undefined);
    expect(calls.map((c) => c.operation)).toEqual(['get', 'remove']);
  });

  const badIds: Array<[string, unknown]> = [
    ['"."', '.'],
    ['".."', '..'],
    ['an empty string', ''],
    ['leading white space', ' x'],
    ['trailing white space', 'x '],
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['a NUL character', 'a\u0000b'],
    ['300 characters', 'u'.repeat(300)],
    ['a number', 42],
    ['null', null],
  ];

  it.each(badIds)('userId with %s is invalid_input for bind, get and remove', async (_label, userId) => {
    const { binding, calls } = setup();
    for (const [, run] of adminCalls) await expectCode(run(binding, userId), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it('a userId of 256 characters is accepted', async () => {
    const { binding, calls } = setup();
    await binding.get({ userId: 'u'.repeat(256) });
    expect(calls).toHaveLength(1);
  });
});

describe('input shape', () => {
  it.each<[Operation, unknown]>([
    ['bind', { userId: 'u1', phoneNumber: '+41791234567', phone: '+41791234567' }],
    ['bind', { userId: 'u1', phoneNumber: '+41791234567', defaultcountry: 'CH' }],
    ['verify', { ticket: ticket(), code: '123456', userId: 'u1' }],
    ['resend', { ticket: ticket(), code: '123456' }],
    ['get', { userId: 'u1', phone: true }],
    ['remove', { userId: 'u1', phone: '+41791234567' }],
  ])('%s refuses unknown keys with invalid_input', async (operation, input) => {
    const { binding, calls } = setup();
    await expectCode(loose(binding)[operation](input), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it.each<[Operation, unknown]>([
    ['bind', null],
    ['bind', 'u1'],
    ['bind', ['u1', '+41791234567']],
    ['verify', undefined],
    ['verify', 'ticket'],
    ['resend', null],
    ['get', 'u1'],
    ['remove', 42],
  ])('%s refuses a non-object input (%j) with invalid_input', async (operation, input) => {
    const { binding, calls } = setup();
    await expectCode(loose(binding)[operation](input), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it('remove normalizes phoneNumber', async () => {
    const { binding, calls } = setup();
    await binding.remove({ userId: 'u1', phoneNumber: '+41 79 123 45 67' });
    expect(calls[0]!.input).toEqual({ userId: 'u1', phone: PHONE, confirm: undefined });
  });

  it('remove with a bad phoneNumber is invalid_phone_number', async () => {
    const { binding, calls } = setup();
    await expectCode(binding.remove({ userId: 'u1', phoneNumber: '079 123' }), 'invalid_phone_number');
    expect(calls).toHaveLength(0);
  });
});

describe('codes', () => {
  it('trims the code before the operation sees it', async () => {
    const { binding, calls } = setup();
    await binding.verify({ ticket: ticket(), code: ' \t123456\n ' });
    expect(calls).toHaveLength(1);
    const input = calls[0]!.input as CheckedVerify;
    expect(input.code).toBe('123456');
    // The call's redactor hides the code.
    expect(calls[0]!.call.redactor.text('code=123456')).not.toContain('123456');
  });

  it(`accepts a code of exactly codeMaxLength (${CODE_MAX}) characters`, async () => {
    const { binding, calls } = setup();
    await binding.verify({ ticket: ticket(), code: 'A'.repeat(CODE_MAX) });
    expect(calls).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ['empty', ''],
    ['only white space', '   '],
    ['white space inside', '123 456'],
    ['a tab inside', '123\t456'],
    ['a newline inside', '123\n456'],
    ['a control character', '123\u0007456'],
    ['too long', 'A'.repeat(CODE_MAX + 1)],
    ['a number', 123456],
    ['missing', undefined],
  ])('a code that is %s is invalid_input', async (_label, code) => {
    const { binding, calls } = setup();
    await expectCode(loose(binding).verify({ ticket: ticket(), code }), 'invalid_input');
    expect(calls).toHaveLength(0);
  });
});

describe('tickets', () => {
  it('a ticket survives a JSON round trip', async () => {
    const { binding, calls } = setup();
    const started = await binding.bind({ userId: 'u1', phoneNumber: '+41 79 123 45 67' });
    if (started.state !== 'pending') throw new Error('expected a pending verification');
    const travelled: unknown = JSON.parse(JSON.stringify(started.ticket));
    const bound = await binding.verify({ ticket: travelled as VerificationTicket, code: '123456' });
    expect(bound).toEqual({ state: 'verified', provider: 'zitadel', phone: PHONE });
    const input = calls[1]!.input as CheckedVerify;
    // The adapter receives the ticket flat: every field of the one issued, the number parsed.
    expect(input.ticket).toEqual({
      purpose: started.ticket.purpose,
      userId: started.ticket.userId,
      phone: PHONE,
      issuedAt: started.ticket.issuedAt,
      expiresAt: started.ticket.expiresAt,
      data: started.ticket.data,
    });
    expect(input.ticket.data).toEqual({ tokenId: 7, kind: 'sms' });
    // And resend accepts it too.
    await expect(binding.resend({ ticket: travelled as VerificationTicket })).resolves.toMatchObject({
      state: 'pending',
      purpose: 'bind',
    });
  });

  it('a ticket is plain JSON with the documented fields only', async () => {
    const { binding } = setup();
    const started = await binding.bind({ userId: 'u1', phoneNumber: '+41791234567' });
    if (started.state !== 'pending') throw new Error('expected a pending verification');
    expect(Object.keys(started.ticket).sort()).toEqual(
      ['provider', 'purpose', 'userId', 'phone', 'issuedAt', 'expiresAt', 'data'].sort(),
    );
    expect(started.ticket.phone).toBe('+41791234567');
    expect(Number.isNaN(Date.parse(started.ticket.issuedAt))).toBe(false);
  });

  const badTickets: Array<[string, unknown]> = [
    ['from another provider', ticket({ provider: 'clerk' })],
    ['from an unknown provider', { ...ticket(), provider: 'okta' }],
    ['with an extra field', { ...ticket(), code: '123456' }],
    ['with an unknown purpose', { ...ticket(), purpose: 'login' }],
    ['without userId (admin scope)', without(ticket(), 'userId')],
    ['with userId ".." (admin scope)', ticket({ userId: '..' })],
    ['with a userId holding a newline', ticket({ userId: 'u\n1' })],
    ['with a spaced number', ticket({ phone: '+41 79 123 45 67' })],
    ['with a national number', ticket({ phone: '0791234567' })],
    ['with a number without "+"', ticket({ phone: '41791234567' })],
    ['with a too short number', ticket({ phone: '+4179' })],
    ['with a tel: URI', ticket({ phone: 'tel:+41791234567' })],
    ['with a numeric phone', { ...ticket(), phone: 41791234567 }],
    ['without phone', without(ticket(), 'phone')],
    ['with issuedAt "yesterday"', ticket({ issuedAt: 'yesterday' })],
    ['with an empty issuedAt', ticket({ issuedAt: '' })],
    ['with a numeric issuedAt', { ...ticket(), issuedAt: 1_700_000_000_000 }],
    ['without issuedAt', without(ticket(), 'issuedAt')],
    ['with expiresAt "never"', ticket({ expiresAt: 'never' })],
    ['with nested data', { ...ticket(), data: { nested: { a: 1 } } }],
    ['as a JSON string', JSON.stringify(ticket())],
    ['as null', null],
    ['as an array', [ticket()]],
  ];

  it.each(badTickets)('verify refuses a ticket %s with invalid_input', async (_label, value) => {
    const { binding, calls } = setup();
    await expectCode(loose(binding).verify({ ticket: value, code: '123456' }), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it.each(badTickets)('resend refuses a ticket %s with invalid_input', async (_label, value) => {
    const { binding, calls } = setup();
    await expectCode(loose(binding).resend({ ticket: value }), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it('verify refuses a removal ticket', async () => {
    const { binding, calls } = setup({ capabilities: { removeNeedsCode: true } });
    await expectCode(
      binding.verify({ ticket: ticket({ purpose: 'remove' }), code: '123456' }),
      'invalid_input',
    );
    expect(calls).toHaveLength(0);
  });

  it('resend refuses a removal ticket where removal needs no code, accepts it where it does', async () => {
    const plain = setup();
    await expectCode(plain.binding.resend({ ticket: ticket({ purpose: 'remove' }) }), 'invalid_input');
    expect(plain.calls).toHaveLength(0);
    const withCode = setup({ capabilities: { removeNeedsCode: true } });
    await expect(withCode.binding.resend({ ticket: ticket({ purpose: 'remove' }) })).resolves.toMatchObject({
      purpose: 'remove',
    });
    expect(withCode.calls).toHaveLength(1);
  });

  it('scope user: a ticket with a userId is invalid_input, one without is accepted', async () => {
    const { binding, calls } = setup({ provider: 'zitadel-self', capabilities: { scope: 'user' } });
    const own = ticket({ provider: 'zitadel-self' });
    await expectCode(binding.verify({ ticket: own, code: '123456' }), 'invalid_input');
    expect(calls).toHaveLength(0);
    await binding.verify({ ticket: without(own, 'userId'), code: '123456' });
    expect(calls).toHaveLength(1);
  });

  describe('expiry', () => {
    const now = new Date('2030-01-01T00:10:00.000Z');
    const expired = ticket({ expiresAt: '2030-01-01T00:05:00.000Z' });

    it('verify refuses an expired ticket with code_expired and resend accepts it', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(now);
      const { binding, calls } = setup();
      const error = await expectCode(binding.verify({ ticket: expired, code: '123456' }), 'code_expired');
      expect(error.operation).toBe('verify');
      expect(calls).toHaveLength(0);
      await expect(binding.resend({ ticket: expired })).resolves.toMatchObject({ state: 'pending' });
      expect(calls.map((c) => c.operation)).toEqual(['resend']);
    });

    it('a ticket expiring exactly now is expired; one expiring later is not', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(now);
      const { binding, calls } = setup();
      await expectCode(
        binding.verify({ ticket: ticket({ expiresAt: now.toISOString() }), code: '123456' }),
        'code_expired',
      );
      await binding.verify({ ticket: ticket({ expiresAt: '2030-01-01T00:10:01.000Z' }), code: '123456' });
      expect(calls).toHaveLength(1);
    });

    it('remove refuses an expired removal ticket with code_expired', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(now);
      const { binding, calls } = setup({ capabilities: { removeNeedsCode: true } });
      await expectCode(
        binding.remove({ userId: 'u1', ticket: { ...expired, purpose: 'remove' }, code: '123456' }),
        'code_expired',
      );
      expect(calls).toHaveLength(0);
    });
  });
});

describe('removal with a code', () => {
  it('first call starts the removal, the second finishes it with ticket and code', async () => {
    const { binding, calls } = setup({ capabilities: { removeNeedsCode: true } });
    const started = await binding.remove({ userId: 'u1' });
    if (started.state !== 'pending') throw new Error('expected a pending removal');
    expect(started.purpose).toBe('remove');
    const travelled = JSON.parse(JSON.stringify(started.ticket)) as VerificationTicket;
    await expect(binding.remove({ userId: 'u1', ticket: travelled, code: ' 654321 ' })).resolves.toEqual({
      state: 'removed',
      provider: 'zitadel',
    });
    const input = calls[1]!.input as CheckedRemove;
    expect(input.userId).toBe('u1');
    expect(input.confirm?.code).toBe('654321');
    expect(input.confirm?.ticket.phone).toEqual(PHONE);
  });

  it.each<[string, RemoveInput]>([
    ['a ticket without a code', { userId: 'u1', ticket: ticket({ purpose: 'remove' }) }],
    ['a code without a ticket', { userId: 'u1', code: '123456' }],
    ['a bind ticket', { userId: 'u1', ticket: ticket(), code: '123456' }],
    ['a ticket for another user', { userId: 'u2', ticket: ticket({ purpose: 'remove' }), code: '123456' }],
    ['a bad code', { userId: 'u1', ticket: ticket({ purpose: 'remove' }), code: '12 34' }],
  ])('%s is invalid_input', async (_label, input) => {
    const { binding, calls } = setup({ capabilities: { removeNeedsCode: true } });
    await expectCode(binding.remove(input), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it.each<[string, Record<string, unknown>]>([
    ['ticket and code', { ticket: ticket({ purpose: 'remove' }), code: '123456' }],
    ['a ticket only', { ticket: ticket({ purpose: 'remove' }) }],
    ['a code only', { code: '123456' }],
  ])('an adapter without removeNeedsCode refuses %s with invalid_input', async (_label, extra) => {
    const { binding, calls } = setup();
    await expectCode(loose(binding).remove({ userId: 'u1', ...extra }), 'invalid_input');
    expect(calls).toHaveLength(0);
  });
});

describe('errors from operations', () => {
  it('a foreign error becomes provider_error with provider, operation and cause', async () => {
    const foreign = new TypeError("Cannot read properties of undefined (reading 'id')");
    const { binding, calls } = setup({ provider: 'clerk', fail: foreign });
    const error = await expectCode(binding.get({ userId: 'u1' }), 'provider_error');
    expect(error).toBeInstanceOf(PhoneBindingError);
    expect(error.provider).toBe('clerk');
    expect(error.operation).toBe('get');
    expect(error.cause).toBe(foreign);
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('a thrown non-Error becomes provider_error too', async () => {
    const { binding } = setup({ fail: 'kaputt' });
    const error = await expectCode(binding.remove({ userId: 'u1' }), 'provider_error');
    expect(error.operation).toBe('remove');
    expect(error.cause).toBe('kaputt');
  });

  it('a foreign error message is masked', async () => {
    const { binding } = setup({ fail: new Error('cannot bind +41791234567 (791234567)') });
    const error = await expectCode(
      binding.bind({ userId: 'u1', phoneNumber: '+41791234567' }),
      'provider_error',
    );
    expect(error.message).not.toContain('791234567');
  });

  it('a PhoneBindingError keeps its code and gets provider and operation stamped', async () => {
    const own = new PhoneBindingError({ code: 'invalid_code', message: 'Wrong code.', status: 400 });
    const { binding } = setup({ fail: own });
    const error = await rejection(binding.verify({ ticket: ticket(), code: '123456' }));
    expect(error).toBe(own);
    expect(error.code).toBe('invalid_code');
    expect(error.provider).toBe('zitadel');
    expect(error.operation).toBe('verify');
  });

  it('a PhoneBindingError that already names its provider and operation keeps them', async () => {
    const own = new PhoneBindingError({
      code: 'not_found',
      message: 'x',
      provider: 'etna',
      operation: 'get',
    });
    const { binding } = setup({ fail: own });
    const error = await rejection(binding.resend({ ticket: ticket() }));
    expect(error.provider).toBe('etna');
    expect(error.operation).toBe('get');
  });

  it('the error hook is called once with the very error thrown', async () => {
    const events: ErrorEvent[] = [];
    const { binding } = setup({ fail: new Error('boom'), hooks: { error: (event) => events.push(event) } });
    const error = await rejection(binding.get({ userId: 'u1' }));
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ type: 'error', provider: 'zitadel', operation: 'get', error });
    expect(events[0]!.error).toBe(error);
  });

  it('the error hook also sees input errors, once each', async () => {
    const events: ErrorEvent[] = [];
    const { binding } = setup({ hooks: { error: (event) => events.push(event) } });
    const first = await rejection(binding.get({}));
    const second = await rejection(binding.verify({ ticket: ticket(), code: '' }));
    expect(events.map((event) => event.error)).toEqual([first, second]);
    expect(events.map((event) => event.operation)).toEqual(['get', 'verify']);
  });

  it('the error hook is not called on success', async () => {
    const hook = vi.fn();
    const { binding } = setup({ hooks: { error: hook } });
    await binding.get({ userId: 'u1' });
    expect(hook).not.toHaveBeenCalled();
  });

  it('an error hook that throws does not change the error', async () => {
    const foreign = new Error('boom');
    const { binding } = setup({
      fail: foreign,
      hooks: {
        error: () => {
          throw new Error('logger down');
        },
      },
    });
    const error = await expectCode(binding.get({ userId: 'u1' }), 'provider_error');
    expect(error.cause).toBe(foreign);
  });
});

describe('call options', () => {
  const badOptions: Array<[string, unknown]> = [
    ['timeout 0', { timeout: 0 }],
    ['timeout -1', { timeout: -1 }],
    ['timeout 1.5', { timeout: 1.5 }],
    ['timeout NaN', { timeout: Number.NaN }],
    ['timeout Infinity', { timeout: Number.POSITIVE_INFINITY }],
    ['timeout above the setTimeout maximum', { timeout: 2 ** 31 }],
    ['timeout as a string', { timeout: '1000' }],
    ['a signal that is a plain object', { signal: {} }],
    ['a signal that is a string', { signal: 'abort' }],
    ['a signal that is null', { signal: null }],
    ['a header value with CR/LF', { headers: { 'x-a': 'b\r\nx-injected: 1' } }],
    ['a header value with LF', { headers: { 'x-a': 'b\nc' } }],
    ['a header name with CR/LF', { headers: { 'x-a\r\nx-b': 'c' } }],
    ['a header name with a space', { headers: { 'x a': 'c' } }],
    ['a non-string header value', { headers: { 'x-a': 1 } }],
    ['headers as an array', { headers: [['x-a', 'b']] }],
    ['an unknown option', { retries: 3 }],
    ['a retry count out of range', { retry: 11 }],
    ['options that are not an object', 'fast'],
  ];

  it.each(badOptions)('%s is invalid_input and no operation runs', async (_label, options) => {
    const errors: ErrorEvent[] = [];
    const { binding, calls } = setup({ hooks: { error: (event) => errors.push(event) } });
    const error = await expectCode(loose(binding).get({ userId: 'u1' }, options), 'invalid_input');
    expect(error.operation).toBe('get');
    expect(calls).toHaveLength(0);
    expect(errors).toHaveLength(1);
  });

  it.each<[Operation, (b: PhoneBinding) => Promise<unknown>]>([
    ['bind', (b) => b.bind({ userId: 'u1', phoneNumber: '+41791234567' }, { timeout: 0 })],
    ['verify', (b) => b.verify({ ticket: ticket(), code: '123456' }, { timeout: 0 })],
    ['resend', (b) => b.resend({ ticket: ticket() }, { timeout: 0 })],
    ['remove', (b) => b.remove({ userId: 'u1' }, { timeout: 0 })],
  ])('%s checks its call options too', async (_operation, run) => {
    const { binding, calls } = setup();
    await expectCode(run(binding), 'invalid_input');
    expect(calls).toHaveLength(0);
  });

  it('accepts a header value with a tab and a signal from anywhere that looks like one', async () => {
    const { binding, calls } = setup();
    const signal = new AbortController().signal;
    await binding.get({ userId: 'u1' }, { signal, timeout: 1, headers: { 'x-a': 'b\tc' } });
    expect(calls[0]!.call.options).toEqual({ signal, timeout: 1, headers: { 'x-a': 'b\tc' } });
  });

  it('undefined options and undefined fields are fine', async () => {
    const { binding, calls } = setup();
    await binding.get({ userId: 'u1' }, undefined);
    await loose(binding).get({ userId: 'u1' }, { signal: undefined, timeout: undefined, headers: undefined });
    expect(calls.map((c) => c.call.options)).toEqual([{}, {}]);
  });
});
