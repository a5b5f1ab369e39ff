import { describe, expect, it } from 'vitest';
import { sameConfig } from './slots.js';
import {
  canonical,
  compile,
  containsToken,
  leafAt,
  leaves,
  matcher,
  namesOf,
  placeholder,
  placeholderize,
  render,
  whereDiffers,
} from './template.js';

const values = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('placeholderize', () => {
  it('replaces a value only where it stands as a whole token', () => {
    const text = '/users/4521/phone?n=%2B41791045210&id=45210';
    expect(placeholderize(text, values({ 'user.userId': '4521' }))).toBe(
      '/users/⟨user.userId⟩/phone?n=%2B41791045210&id=45210',
    );
  });

  it('takes the longest value first, so a number wins over its national part', () => {
    const out = placeholderize(
      '{"phone":"+41791000011","national":"791000011"}',
      values({ 'phone.national': '791000011', 'phone.e164': '+41791000011', 'phone.digits': '41791000011' }),
    );
    expect(out).toBe('{"phone":"⟨phone.e164⟩","national":"⟨phone.national⟩"}');
  });

  it('leaves text inside a placeholder alone and gives a shared value to the first name', () => {
    const out = placeholderize('a user b', values({ z: 'a', name: 'user', also: 'user' }));
    expect(out).toBe('⟨z⟩ ⟨also⟩ b');
    expect(placeholderize('⟨user.x⟩ user', values({ n: 'user' }))).toBe('⟨user.x⟩ ⟨n⟩');
  });

  it('finds tokens', () => {
    expect(containsToken('/token/1925?x', '1925')).toBe(true);
    expect(containsToken('/token/19250', '1925')).toBe(false);
    expect(containsToken('anything', '')).toBe(false);
  });
});

describe('compile and render', () => {
  it('renders a template with another user’s values', () => {
    const parts = compile(placeholderize('/users/4521/token/1925', values({ u: '4521', t: '1925' })));
    expect(namesOf(parts)).toEqual(['u', 't']);
    expect(render(parts, values({ u: '4600', t: '2001' }))).toBe('/users/4600/token/2001');
  });

  it('throws when a value is missing, naming the placeholder only', () => {
    expect(() => render(compile('/x/⟨code⟩'), new Map())).toThrow('no value for ⟨code⟩');
  });
});

describe('canonical and matcher', () => {
  const sdk = {
    method: 'POST',
    path: '/v1/phone_numbers/idn_abc123/attempt_verification',
    headers: { 'Content-Length': '52', authorization: 'Bearer sk_1' },
    body: { verification_id: 'ver_xyz789', code: '123456' },
  };
  const sdkValues = values({ code: '123456', 'answer.1.id': 'idn_abc123', 'answer.2.id': 'ver_xyz789' });
  const expected = canonical(sdk, sdkValues);
  const isIdentical = matcher(expected, (name) => name.startsWith('answer.'));

  it('accepts the same request of another user, answer ids unknown to the caller', () => {
    const other = {
      ...sdk,
      path: '/v1/phone_numbers/idn_other1/attempt_verification',
      headers: { 'content-length': '53', authorization: 'Bearer sk_1' },
      body: { verification_id: 'ver_other22', code: '654321' },
    };
    expect(isIdentical(canonical(other, values({ code: '654321' })))).toBe(true);
  });

  it('refuses a request that differs in anything else, and one whose id changes between uses', () => {
    const extraHeader = { ...sdk, headers: { ...sdk.headers, 'x-extra': '1' } };
    expect(isIdentical(canonical(extraHeader, sdkValues))).toBe(false);
    const otherCode = { ...sdk, body: { ...sdk.body, code: '000000' } };
    expect(isIdentical(canonical(otherCode, sdkValues))).toBe(false);
    const twice = matcher('a⟨answer.0.id⟩b⟨answer.0.id⟩', () => true);
    expect(twice('aXbX')).toBe(true);
    expect(twice('aXbY')).toBe(false);
  });

  it('compares AWS signatures by shape', () => {
    const signed = (signature: string, time: string) =>
      canonical(
        {
          headers: {
            authorization: `AWS4-HMAC-SHA256 Credential=AKID/${time.slice(0, 8)}/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${signature}`,
            'x-amz-date': time,
          },
        },
        new Map(),
      );
    expect(signed('a'.repeat(64), '20261201T114716Z')).toBe(signed('b'.repeat(64), '20261202T000001Z'));
    expect(signed('a'.repeat(64), '20261201T114716Z')).toContain(placeholder('signature'));
  });

  it('says where two requests differ without showing a value', () => {
    const where = whereDiffers('{"a":"x","code":"123456"}', '{"a":"x","code":"999999"}');
    expect(where).toBe('at character 17 (near field "code")');
    expect(where).not.toContain('123456');
    expect(whereDiffers('same', 'same')).toBeUndefined();
  });
});

describe('answer leaves', () => {
  it('lists string and number leaves with their paths and reads them back', () => {
    const answer = { id: 'idn_1', m_Item2: 1925, list: [{ v: 'x' }], ok: true, none: null };
    expect(leaves(answer)).toEqual([
      [['id'], 'idn_1'],
      [['m_Item2'], '1925'],
      [['list', 0, 'v'], 'x'],
    ]);
    expect(leafAt(answer, ['m_Item2'])).toBe('1925');
    expect(leafAt(answer, ['list', 0, 'v'])).toBe('x');
    expect(leafAt(answer, ['ok'])).toBeUndefined();
    expect(leafAt(answer, ['missing', 'deeper'])).toBeUndefined();
  });
});

describe('sameConfig', () => {
  it('shares an adapter only between equal configs', () => {
    const token = () => 't';
    expect(sameConfig({ provider: 'clerk', secretKey: 'k' }, { provider: 'clerk', secretKey: 'k' })).toBe(
      true,
    );
    expect(sameConfig({ token }, { token })).toBe(true);
    expect(sameConfig({ token }, { token: () => 't' })).toBe(false);
    expect(sameConfig({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
  });
});
