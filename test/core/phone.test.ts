import { describe, expect, it } from 'vitest';
import { isPhoneBindingError, PhoneBindingError } from '../../src/errors.js';
import { MAX_PHONE_INPUT_LENGTH, maskPhoneNumber, normalizePhoneNumber } from '../../src/phone.js';
import type { PhoneNumber } from '../../src/types.js';

const SWISS: PhoneNumber = {
  e164: '+41791234567',
  countryCallingCode: '41',
  nationalNumber: '791234567',
  country: 'CH',
};

/** Runs `fn`, expecting it to throw; returns the thrown value. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Runs `fn`, expecting a PhoneBindingError; returns it narrowed. */
function phoneError(fn: () => unknown): PhoneBindingError {
  const error = thrown(fn);
  expect(isPhoneBindingError(error)).toBe(true);
  expect(error).toBeInstanceOf(PhoneBindingError);
  if (!isPhoneBindingError(error)) throw new Error('not a PhoneBindingError');
  return error;
}

/** Every run of three digits of the input: none may appear in a message about it. */
function digitTriples(input: string): string[] {
  const digits = input.replace(/\D/g, '');
  const out: string[] = [];
  for (let i = 0; i + 3 <= digits.length; i += 1) out.push(digits.slice(i, i + 3));
  return out;
}

function countDigits(value: string): number {
  return value.replace(/\D/g, '').length;
}

describe('normalizePhoneNumber: accepted notations', () => {
  it('reads international notation with spaces', () => {
    expect(normalizePhoneNumber('+41 79 123 45 67')).toStrictEqual(SWISS);
  });

  it('reads the 00 international prefix without a defaultCountry', () => {
    expect(normalizePhoneNumber('0041791234567')).toStrictEqual(SWISS);
  });

  it('reads the 00 international prefix with defaultCountry CH', () => {
    expect(normalizePhoneNumber('0041791234567', { defaultCountry: 'CH' })).toStrictEqual(SWISS);
  });

  it('reads national notation with a defaultCountry', () => {
    expect(normalizePhoneNumber('(079) 123 45 67', { defaultCountry: 'CH' })).toStrictEqual(SWISS);
  });

  it('unwraps a tel: URI with dashes', () => {
    expect(normalizePhoneNumber('tel:+41-79-123-45-67')).toStrictEqual(SWISS);
  });

  it('reads a North American number with parentheses and a dash', () => {
    expect(normalizePhoneNumber('+1 (213) 373-4253')).toStrictEqual({
      e164: '+12133734253',
      countryCallingCode: '1',
      nationalNumber: '2133734253',
      country: 'US',
    });
  });

  it('ignores surrounding white space', () => {
    expect(normalizePhoneNumber('  +41791234567\t')).toStrictEqual(SWISS);
  });

  it('keeps international notation when a different defaultCountry is given', () => {
    expect(normalizePhoneNumber('+41 79 123 45 67', { defaultCountry: 'US' })).toStrictEqual(SWISS);
  });

  it('returns a fresh plain object each time', () => {
    const a = normalizePhoneNumber('+41791234567');
    const b = normalizePhoneNumber('+41791234567');
    expect(a).not.toBe(b);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(a))).toStrictEqual(SWISS);
  });
});

describe('normalizePhoneNumber: refused input', () => {
  const rejected: Array<[string, string]> = [
    ['too short', '+4179'],
    ['too long', '+41791234567891234'],
    ['letters (vanity number)', '+1 800 FLOWERS'],
    ['an extension', '+41 79 123 45 67 ext. 12'],
    ['empty', ''],
    ['only white space', '   \t '],
    ['longer than 50 characters', `+41 79 123 45 67${' '.repeat(40)}8`],
    ['an unknown country calling code', '+999 123456789'],
    ['national notation without a defaultCountry', '079 123 45 67'],
    ['a national number without a defaultCountry', '0791234567'],
    ['a tel: URI holding letters', 'tel:+41-79-123-45-67;ext=1'],
  ];

  it.each(rejected)('rejects %s with invalid_phone_number', (_label, input) => {
    const error = phoneError(() => normalizePhoneNumber(input));
    expect(error.code).toBe('invalid_phone_number');
    expect(error.retryable).toBe(false);
    expect(error.name).toBe('PhoneBindingError');
  });

  it.each(rejected)('never repeats the digits of %s in the message', (_label, input) => {
    const error = phoneError(() => normalizePhoneNumber(input));
    const digits = input.replace(/\D/g, '');
    if (digits.length > 0) expect(error.message).not.toContain(digits);
    for (const triple of digitTriples(input)) expect(error.message).not.toContain(triple);
  });

  it('the length limit is 50 characters after trimming', () => {
    expect(MAX_PHONE_INPUT_LENGTH).toBe(50);
    const padded = `+41791234567${' '.repeat(60)}`;
    expect(normalizePhoneNumber(padded)).toStrictEqual(SWISS);
    const long = `+41${'-'.repeat(MAX_PHONE_INPUT_LENGTH - 12)}791234567`;
    expect(long.length).toBe(MAX_PHONE_INPUT_LENGTH);
    expect(normalizePhoneNumber(long)).toStrictEqual(SWISS);
    const tooLong = `+41${'-'.repeat(MAX_PHONE_INPUT_LENGTH - 11)}791234567`;
    expect(phoneError(() => normalizePhoneNumber(tooLong)).code).toBe('invalid_phone_number');
  });

  it('a national number with a defaultCountry that does not fit it is refused', () => {
    const error = phoneError(() => normalizePhoneNumber('079 123 45 67', { defaultCountry: 'US' }));
    expect(error.code).toBe('invalid_phone_number');
  });

  it.each<[string, unknown]>([
    ['a number', 41791234567],
    ['undefined', undefined],
    ['null', null],
    ['an object', { e164: '+41791234567' }],
    ['an array', ['+41791234567']],
  ])('rejects %s (not a string) with invalid_phone_number', (_label, input) => {
    const error = phoneError(() => normalizePhoneNumber(input as string));
    expect(error.code).toBe('invalid_phone_number');
    expect(error.message).not.toContain('791234567');
  });

  it.each(['ZZ', 'ch', 'CHE', '', 'C', '41'])('rejects defaultCountry %j with invalid_input', (country) => {
    const error = phoneError(() => normalizePhoneNumber('+41791234567', { defaultCountry: country }));
    expect(error.code).toBe('invalid_input');
  });

  it('rejects a non-string defaultCountry with invalid_input', () => {
    const error = phoneError(() =>
      normalizePhoneNumber('+41791234567', { defaultCountry: 41 as unknown as string }),
    );
    expect(error.code).toBe('invalid_input');
  });
});

describe('maskPhoneNumber', () => {
  it('keeps the country calling code and the last two digits', () => {
    expect(maskPhoneNumber('+41791234567')).toBe('+41 ••• •• 67');
  });

  it('masks other notations of an international number the same way', () => {
    expect(maskPhoneNumber('+41 79 123 45 67')).toBe('+41 ••• •• 67');
    expect(maskPhoneNumber('+12133734253')).toBe('+1 ••• •• 53');
  });

  it.each(['+41791234567', '+12133734253', '+4915123456789', '+447911123456', '+8613812345678'])(
    'shows only "+<country code> ••• •• <two digits>" for %s',
    (input) => {
      const masked = maskPhoneNumber(input);
      expect(masked).toMatch(/^\+\d{1,3} ••• •• \d{2}$/);
      expect(masked.endsWith(input.slice(-2))).toBe(true);
      const shown = masked.replace(/\D/g, '');
      expect(input.replace(/\D/g, '').startsWith(shown.slice(0, -2))).toBe(true);
    },
  );

  const garbage: unknown[] = [
    '',
    ' ',
    'abc',
    '1',
    '12',
    '123',
    '12345',
    '+1',
    '+4179',
    '123456',
    '0791234567',
    '791234567',
    '+999 123456789',
    '+000000000000',
    'tel:+41791234567',
    'x+41791234567',
    '0041791234567',
    '++41791234567',
    '+41791234567891234567890123456789',
    '9'.repeat(10_000),
    '🙂☎️ 079 123 45 67',
    '\u0000\u0001 12 34 56 78',
    undefined,
    null,
    41791234567,
    { e164: '+41791234567' },
    ['+41791234567'],
    Symbol('phone'),
  ];

  it.each(garbage)('never throws and shows at most two digits for %s', (input) => {
    let masked = '';
    expect(() => {
      masked = maskPhoneNumber(input as string);
    }).not.toThrow();
    expect(typeof masked).toBe('string');
    expect(masked.length).toBeGreaterThan(0);
    expect(countDigits(masked)).toBeLessThanOrEqual(2);
  });

  it('shows no digit at all for fewer than six digits', () => {
    for (const input of ['1', '12', '123', '1234', '12345', '+4179', '+1 23']) {
      expect(maskPhoneNumber(input)).toBe('•••');
    }
  });

  it('never returns the input digits of a national number', () => {
    const masked = maskPhoneNumber('079 123 45 67');
    expect(masked).toBe('••• •• 67');
    expect(masked).not.toContain('791');
  });
});
