import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/internal/redact.js';
import { MIN_METADATA, normalizePhoneNumber } from '../../src/phone.js';
import { phoneCodec } from '../../src/phone-core.js';

/** Masks found numbers with their calling code, as a binding on `min` does. */
const minMask = phoneCodec(MIN_METADATA).mask;

const phone = normalizePhoneNumber('+41791234567');

describe('Redactor', () => {
  it('masks the call’s number in every spelling, and its secrets', () => {
    const r = new Redactor(minMask).phone(phone).secret('K7Q2ZD').secret('tok-123');
    const text = r.text('to +41791234567 (%2B41791234567, 41791234567, 791234567) code K7Q2ZD with tok-123');
    expect(text).toBe('to +41 ••• •• 67 (+41 ••• •• 67, +41 ••• •• 67, +41 ••• •• 67) code ••• with •••');
  });

  it('masks any international number, even one the call did not send', () => {
    const text = new Redactor(minMask).text(
      'stored: +44 20 7946 0958; other: +1 (213) 373-4253; date 2026-11-21T10:00:00+01:00',
    );
    expect(text).toBe('stored: +44 ••• •• 58; other: +1 ••• •• 53; date 2026-11-21T10:00:00+01:00');
  });

  it('masks phone and secret fields whole, but keeps error codes and numbers', () => {
    const body = {
      code: 3,
      errors: [{ code: 'form_code_incorrect', message: 'x' }],
      phone: '188 1234 5678',
      data: {
        PhoneNumber: '0791234567',
        newPhoneNumber: '791234567',
        verificationCode: '123456',
        token: 'abc',
      },
      apiCode: 2001,
      statusCode: 400,
    };
    expect(new Redactor(minMask).deep(body)).toEqual({
      code: 3,
      errors: [{ code: 'form_code_incorrect', message: 'x' }],
      phone: '••• •• 78',
      data: { PhoneNumber: '••• •• 67', newPhoneNumber: '••• •• 67', verificationCode: '•••', token: '•••' },
      apiCode: 2001,
      statusCode: 400,
    });
  });

  it('masks the national digits however they are grouped, but not inside longer digit runs', () => {
    const r = new Redactor(minMask).phone(normalizePhoneNumber('+86 188 0000 8888'));
    expect(r.text('a 188 0000 8888 b 188-0000-8888 c (188) 0000.8888')).toBe(
      'a +86 ••• •• 88 b +86 ••• •• 88 c (+86 ••• •• 88',
    );
    expect(r.text('order 9188 000 08888')).toBe('order 9188 000 08888');
  });

  it("masks a secret in the form URLSearchParams writes it (~ ! ' ( ) escaped, spaces as +)", () => {
    const r = new Redactor(minMask).secret('AB~12!34').secret('a b(c)');
    expect(r.text('?tokenValue=AB%7E12%2134&x=a+b%28c%29')).toBe('?tokenValue=•••&x=•••');
  });

  it('never searches for values shorter than 3 characters', () => {
    expect(new Redactor(minMask).secret('12').text('a 12 b')).toBe('a 12 b');
  });

  it('drops what lies deeper than 20 levels instead of showing it unmasked', () => {
    let deep: Record<string, unknown> = { leaf: 'secret-token-value' };
    for (let i = 0; i < 30; i += 1) deep = { next: deep };
    const out = JSON.stringify(new Redactor(minMask).secret('other').deep(deep));
    expect(out).toContain('[too deep]');
    expect(out).not.toContain('secret-token-value');
  });
});
