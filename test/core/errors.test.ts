import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  isPhoneBindingError,
  PhoneBindingError,
  type PhoneBindingErrorCode,
  type PhoneBindingErrorInit,
} from '../../src/errors.js';

type ErrorsModule = typeof import('../../src/errors.js');

/** The codes of DESIGN.md's error table, in its order. */
const DESIGN_CODES: readonly PhoneBindingErrorCode[] = [
  'invalid_phone_number',
  'invalid_input',
  'unsupported',
  'invalid_code',
  'code_expired',
  'too_many_attempts',
  'phone_in_use',
  'not_found',
  'unauthenticated',
  'forbidden',
  'rate_limited',
  'timeout',
  'network',
  'invalid_response',
  'provider_error',
];

/** The codes that are retryable by default. */
const RETRYABLE_CODES: readonly PhoneBindingErrorCode[] = ['rate_limited', 'timeout', 'network'];

/** The codes never retryable by default: the rest but provider_error (that depends on the status). */
const NEVER_RETRYABLE_CODES = DESIGN_CODES.filter(
  (code) => code !== 'provider_error' && !RETRYABLE_CODES.includes(code),
);

/** A second, separately evaluated copy of the errors module, as two installed versions would give. */
async function loadDuplicateCopy(): Promise<ErrorsModule> {
  const url = new URL('../../src/errors.ts?copy=2', import.meta.url).href;
  return (await import(/* @vite-ignore */ url)) as ErrorsModule;
}

describe('PhoneBindingError fields', () => {
  it('carries every field it was given', () => {
    const cause = new TypeError('socket hang up');
    const error = new PhoneBindingError({
      code: 'provider_error',
      message: 'The backend answered HTTP 502.',
      provider: 'zitadel',
      operation: 'bind',
      status: 502,
      providerCode: 'COMMAND-123',
      requestId: 'req-1',
      retryAfterMs: 1500,
      details: { message: 'bad gateway' },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(PhoneBindingError);
    expect(error.name).toBe('PhoneBindingError');
    expect(error.message).toBe('The backend answered HTTP 502.');
    expect(error.code).toBe('provider_error');
    expect(error.provider).toBe('zitadel');
    expect(error.operation).toBe('bind');
    expect(error.status).toBe(502);
    expect(error.providerCode).toBe('COMMAND-123');
    expect(error.requestId).toBe('req-1');
    expect(error.retryAfterMs).toBe(1500);
    expect(error.details).toStrictEqual({ message: 'bad gateway' });
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(true);
    expect(typeof error.stack).toBe('string');
  });

  it('leaves out the optional fields it was not given', () => {
    const error = new PhoneBindingError({ code: 'invalid_input', message: 'userId is required.' });
    const fields: Record<string, unknown> = { ...error };
    for (const key of [
      'provider',
      'operation',
      'status',
      'providerCode',
      'requestId',
      'retryAfterMs',
      'details',
    ]) {
      expect(fields[key], key).toBeUndefined();
    }
    expect(Object.hasOwn(error, 'cause')).toBe(false);
    expect(error.cause).toBeUndefined();
    expect(error.retryable).toBe(false);
  });

  it('is a proper Error for String() and stack traces', () => {
    const error = new PhoneBindingError({ code: 'not_found', message: 'No such user.' });
    expect(String(error)).toBe('PhoneBindingError: No such user.');
    expect(error.stack).toContain('No such user.');
  });
});

describe('PhoneBindingError retryable', () => {
  it.each(RETRYABLE_CODES)('%s is retryable', (code) => {
    expect(new PhoneBindingError({ code, message: 'x' }).retryable).toBe(true);
  });

  it.each([500, 502, 503, 504, 599])('provider_error with status %i is retryable', (status) => {
    expect(new PhoneBindingError({ code: 'provider_error', message: 'x', status }).retryable).toBe(true);
  });

  it.each([400, 409, 422, 499])('provider_error with status %i is not retryable', (status) => {
    expect(new PhoneBindingError({ code: 'provider_error', message: 'x', status }).retryable).toBe(false);
  });

  it('provider_error without a status (failure inside a 200 body) is not retryable', () => {
    expect(new PhoneBindingError({ code: 'provider_error', message: 'x' }).retryable).toBe(false);
  });

  it.each(NEVER_RETRYABLE_CODES)('%s is not retryable', (code) => {
    expect(new PhoneBindingError({ code, message: 'x' }).retryable).toBe(false);
  });

  it('a 5xx status does not make a non-provider_error code retryable', () => {
    expect(new PhoneBindingError({ code: 'invalid_code', message: 'x', status: 503 }).retryable).toBe(false);
  });

  it('an explicit retryable overrides the default both ways', () => {
    expect(new PhoneBindingError({ code: 'network', message: 'aborted', retryable: false }).retryable).toBe(
      false,
    );
    expect(new PhoneBindingError({ code: 'invalid_code', message: 'x', retryable: true }).retryable).toBe(
      true,
    );
    expect(
      new PhoneBindingError({ code: 'provider_error', message: 'x', status: 503, retryable: false })
        .retryable,
    ).toBe(false);
  });
});

describe('PhoneBindingError toJSON', () => {
  it('holds every field except cause', () => {
    const given = {
      code: 'rate_limited',
      message: 'Too many requests (429).',
      provider: 'clerk',
      operation: 'resend',
      status: 429,
      providerCode: 'too_many_requests',
      requestId: 'abc',
      retryAfterMs: 3000,
      details: { errors: [{ code: 'too_many_requests' }] },
    } satisfies PhoneBindingErrorInit;
    const error = new PhoneBindingError({ ...given, cause: { secret: 'sk_live_123' } });
    const json = error.toJSON();
    expect(json).toStrictEqual({ name: 'PhoneBindingError', ...given, retryable: true });
    expect(Object.hasOwn(json, 'cause')).toBe(false);
    const text = JSON.stringify(error);
    expect(text).not.toContain('cause');
    expect(text).not.toContain('sk_live_123');
    expect(JSON.parse(text)).toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
  });

  it('JSON.stringify drops the fields that were not given', () => {
    const parsed: unknown = JSON.parse(
      JSON.stringify(new PhoneBindingError({ code: 'invalid_input', message: 'm', cause: new Error('c') })),
    );
    expect(parsed).toStrictEqual({
      name: 'PhoneBindingError',
      code: 'invalid_input',
      message: 'm',
      retryable: false,
    });
  });
});

describe('isPhoneBindingError and instanceof', () => {
  it('accept errors of this module', () => {
    const error = new PhoneBindingError({ code: 'timeout', message: 'x' });
    expect(isPhoneBindingError(error)).toBe(true);
    expect(error instanceof PhoneBindingError).toBe(true);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'PhoneBindingError'],
    ['a number', 42],
    ['a plain Error', new Error('x')],
    ['an Error named PhoneBindingError', Object.assign(new Error('x'), { name: 'PhoneBindingError' })],
    ['a look-alike object', { name: 'PhoneBindingError', code: 'timeout', message: 'x', retryable: true }],
    ['an object with the brand set to false', { [Symbol.for('phone-binding.error')]: false }],
    ['an object with the brand set to "true"', { [Symbol.for('phone-binding.error')]: 'true' }],
    ['a local symbol of the same description', { [Symbol('phone-binding.error')]: true }],
  ])('reject %s', (_label, value) => {
    expect(isPhoneBindingError(value)).toBe(false);
    expect(value instanceof PhoneBindingError).toBe(false);
  });

  it('accept an error created by a duplicate copy of the module', async () => {
    const copy = await loadDuplicateCopy();
    // A real second copy: another class object, another prototype.
    expect(copy.PhoneBindingError).not.toBe(PhoneBindingError);
    expect(copy.isPhoneBindingError).not.toBe(isPhoneBindingError);

    const foreign: unknown = new copy.PhoneBindingError({ code: 'invalid_code', message: 'Wrong code.' });
    expect(Object.getPrototypeOf(foreign)).not.toBe(PhoneBindingError.prototype);
    expect(isPhoneBindingError(foreign)).toBe(true);
    expect(foreign instanceof PhoneBindingError).toBe(true);
    if (!isPhoneBindingError(foreign)) throw new Error('unreachable');
    expect(foreign.code).toBe('invalid_code');

    // And the other way round.
    const local = new PhoneBindingError({ code: 'network', message: 'x' });
    expect(copy.isPhoneBindingError(local)).toBe(true);
    expect(local instanceof copy.PhoneBindingError).toBe(true);
  });

  it('accept an error of a hand-made copy that carries the global brand', () => {
    // What any other copy (ESM next to CJS, another version) does: the brand is Symbol.for(…).
    class OtherCopyError extends Error {
      readonly code = 'forbidden';
    }
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('phone-binding.error'), { value: true });
    const foreign = new OtherCopyError('Forbidden.');
    expect(isPhoneBindingError(foreign)).toBe(true);
    expect(foreign instanceof PhoneBindingError).toBe(true);
  });

  it('a subclass instance is still accepted', () => {
    class Custom extends PhoneBindingError {}
    const error = new Custom({ code: 'not_found', message: 'x' });
    expect(isPhoneBindingError(error)).toBe(true);
    expect(error instanceof PhoneBindingError).toBe(true);
  });
});

describe('ERROR_CODES', () => {
  it('lists exactly the 15 codes of the contract', () => {
    expect(ERROR_CODES).toHaveLength(15);
    expect(new Set(ERROR_CODES).size).toBe(15);
    expect([...ERROR_CODES].sort()).toStrictEqual([...DESIGN_CODES].sort());
  });

  it('every code builds an error that keeps it', () => {
    for (const code of ERROR_CODES) {
      const error = new PhoneBindingError({ code, message: code });
      expect(error.code).toBe(code);
      expect(typeof error.retryable).toBe('boolean');
    }
  });
});
