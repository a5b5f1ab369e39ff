import { AwsV4Signer } from 'aws4fetch';
import { describe, expect, it, vi } from 'vitest';
import { cognito, cognitoAdmin } from '../../adapters/cognito/index.js';
import type { PendingVerification } from '../../src/index.js';
import { rejection } from '../support/rejection.js';
import { BASE, cognitoError, harness, useCognitoMsw } from './helpers.js';

useCognitoMsw();

const PHONE = '+41791234567';
const OTHER = '+41791234568';
const TARGET = 'AWSCognitoIdentityProviderService.';

function user(keepOriginal = false) {
  const h = harness();
  const { userId, accessToken } = h.api.createUser({ keepOriginal });
  const binding = cognito({
    baseUrl: BASE,
    accessToken,
    fetch: h.fetch,
    ...(keepOriginal ? { keepOriginalUntilVerified: true } : {}),
  });
  return { ...h, userId, accessToken, binding };
}

describe('cognito (user scope) on the fake', () => {
  it('bind sends GetUser then UpdateUserAttributes: POST /, no query, awsJson1_1, target header, token in the body, unsigned', async () => {
    const h = user();
    const pending = (await h.binding.bind({ phoneNumber: '+41 79 123 45 67' })) as PendingVerification;
    expect(pending.state).toBe('pending');
    expect(h.requests).toHaveLength(2);
    for (const r of h.requests) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/cognito/');
      expect(r.query).toBe('');
      expect(r.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-amz-date']).toBeUndefined();
    }
    expect(h.requests[0]?.headers['x-amz-target']).toBe(`${TARGET}GetUser`);
    expect(h.requests[0]?.body).toEqual({ AccessToken: h.accessToken });
    expect(h.requests[1]?.headers['x-amz-target']).toBe(`${TARGET}UpdateUserAttributes`);
    // Model member order: UserAttributes, AccessToken; the transport's marker is gone.
    expect(JSON.stringify(h.requests[1]?.body)).toBe(
      JSON.stringify({
        UserAttributes: [{ Name: 'phone_number', Value: PHONE }],
        AccessToken: h.accessToken,
      }),
    );
    // 24 h code validity.
    const ttl = Date.parse(pending.ticket.expiresAt ?? '') - Date.parse(pending.ticket.issuedAt);
    expect(Math.abs(ttl - 24 * 3600 * 1000)).toBeLessThan(5000);
  });

  it('bind → verify → get → resend → remove → get', async () => {
    const h = user();
    const pending = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
    const bound = await h.binding.verify({ ticket: pending.ticket, code: h.lastCode() });
    expect(bound).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    expect(h.requests.at(-1)?.body).toEqual({
      AccessToken: h.accessToken,
      AttributeName: 'phone_number',
      Code: h.lastCode(),
    });
    expect(await h.binding.get({})).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
      secondFactor: false,
    });
    await expect(h.binding.remove({})).resolves.toMatchObject({ state: 'removed' });
    expect(h.requests.at(-1)?.body).toEqual({
      UserAttributeNames: ['phone_number'],
      AccessToken: h.accessToken,
    });
    expect(await h.binding.get({})).toBeNull();
  });

  it('resend is GetUserAttributeVerificationCode, and its code verifies', async () => {
    const h = user();
    const pending = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
    const again = await h.binding.resend({ ticket: pending.ticket });
    expect(h.targets().at(-1)).toBe('GetUserAttributeVerificationCode');
    expect(h.requests.at(-1)?.body).toEqual({ AccessToken: h.accessToken, AttributeName: 'phone_number' });
    await expect(h.binding.verify({ ticket: again.ticket, code: h.lastCode() })).resolves.toMatchObject({
      state: 'verified',
    });
  });

  it.each([
    [false, 'immediate', OTHER, 'unverified'],
    [true, 'on-verify', PHONE, 'verified'],
  ] as const)(
    'keepOriginalUntilVerified %s → change %s: get() during a change',
    async (keep, change, shown, state) => {
      const h = user(keep);
      expect(h.binding.capabilities.change).toBe(change);
      const first = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
      await h.binding.verify({ ticket: first.ticket, code: h.lastCode() });
      const pending = (await h.binding.bind({ phoneNumber: OTHER })) as PendingVerification;
      expect(pending.replaces?.e164).toBe(PHONE);
      expect(await h.binding.get({})).toMatchObject({ state, phone: { e164: shown } });
      await h.binding.verify({ ticket: pending.ticket, code: h.lastCode() });
      expect(await h.binding.get({})).toMatchObject({ state: 'verified', phone: { e164: OTHER } });
    },
  );

  it('decide 2: a first number in a keep-original pool is stored at once, unverified; bind answers pending', async () => {
    const h = user(true);
    const result = await h.binding.bind({ phoneNumber: PHONE });
    expect(result).toMatchObject({ state: 'pending', phone: { e164: PHONE } });
    expect(result).not.toHaveProperty('replaces');
    expect(await h.binding.get({})).toMatchObject({ state: 'unverified', phone: { e164: PHONE } });
  });

  it('decide 3: a resend during a change in a keep-original pool names the pending number and what it replaces', async () => {
    const h = user(true);
    const first = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
    await h.binding.verify({ ticket: first.ticket, code: h.lastCode() });
    const change = (await h.binding.bind({ phoneNumber: OTHER })) as PendingVerification;
    h.requests.length = 0;
    const again = await h.binding.resend({ ticket: change.ticket });
    expect(h.targets()).toEqual(['GetUser', 'GetUserAttributeVerificationCode']);
    expect(again).toMatchObject({ state: 'pending', phone: { e164: OTHER }, replaces: { e164: PHONE } });
    await expect(h.binding.verify({ ticket: again.ticket, code: h.lastCode() })).resolves.toMatchObject({
      state: 'verified',
      phone: { e164: OTHER },
    });
  });

  it('decide 9: only content-type and x-amz-target are added; headers the caller passes are sent as given', async () => {
    const h = user();
    await h.binding.get({}, { headers: { 'x-trace': 'abc' } });
    const headers = h.requests[0]?.headers ?? {};
    expect(Object.keys(headers).sort()).toEqual(['accept', 'content-type', 'x-amz-target', 'x-trace']);
    expect(headers['x-trace']).toBe('abc');
  });

  it('decide 13: a code is 1–2048 characters without white space, refused before any request otherwise', async () => {
    const h = user();
    const p = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
    const before = h.requests.length;
    for (const code of ['x'.repeat(2049), '12 34', '']) {
      expect((await rejection(h.binding.verify({ ticket: p.ticket, code }))).code).toBe('invalid_input');
    }
    expect(h.requests.length).toBe(before);
    expect((await rejection(h.binding.verify({ ticket: p.ticket, code: 'x'.repeat(2048) }))).code).toBe(
      'invalid_code',
    );
  });

  it('decide 14: Destination is never read — a delivery entry without it is a code sent', async () => {
    const h = user();
    h.canned.push({
      target: 'UpdateUserAttributes',
      status: 200,
      body: { CodeDeliveryDetailsList: [{ AttributeName: 'phone_number' }] },
    });
    expect(await h.binding.bind({ phoneNumber: PHONE })).toMatchObject({
      state: 'pending',
      phone: { e164: PHONE },
    });
  });

  it('the number the user already has, verified, is bound without any write or SMS', async () => {
    const h = user();
    const p = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
    await h.binding.verify({ ticket: p.ticket, code: h.lastCode() });
    const sent = h.ctx.outbox.length;
    h.requests.length = 0;
    expect(await h.binding.bind({ phoneNumber: PHONE })).toMatchObject({ state: 'verified' });
    expect(h.targets()).toEqual(['GetUser']);
    expect(h.ctx.outbox.length).toBe(sent);
  });

  it('decide 4: no CodeDeliveryDetailsList (phone not auto-verified) → the number bound, unverified, no second request', async () => {
    const h = user();
    h.canned.push({ target: 'UpdateUserAttributes', status: 200, body: {} });
    expect(await h.binding.bind({ phoneNumber: PHONE })).toMatchObject({
      state: 'unverified',
      phone: { e164: PHONE },
    });
    expect(h.targets()).toEqual(['GetUser', 'UpdateUserAttributes']);
  });

  it('second factor: verify enables SMS MFA, get tells it, remove switches it off before deleting', async () => {
    const h = user();
    const p = (await h.binding.bind({ phoneNumber: PHONE, secondFactor: true })) as PendingVerification;
    expect(p.ticket.data).toEqual({ secondFactor: 1 });
    expect(await h.binding.verify({ ticket: p.ticket, code: h.lastCode() })).toMatchObject({
      secondFactor: true,
    });
    expect(h.requests.at(-1)?.body).toEqual({
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      AccessToken: h.accessToken,
    });
    expect(await h.binding.get({})).toMatchObject({ secondFactor: true });
    h.requests.length = 0;
    await h.binding.remove({});
    expect(h.targets()).toEqual(['GetUser', 'SetUserMFAPreference', 'DeleteUserAttributes']);
    expect(h.api.user(h.userId)).toMatchObject({ smsMfa: false, phone: undefined });
  });

  it('never repeats UpdateUserAttributes (it sends an SMS): one request on InternalError 500 and on TooManyRequests', async () => {
    for (const [name, status] of [
      ['InternalErrorException', 500],
      ['TooManyRequestsException', 400],
    ] as const) {
      const h = user();
      h.canned.push({ ...cognitoError(name, 'x', status), target: 'UpdateUserAttributes', times: 5 });
      const error = await rejection(h.binding.bind({ phoneNumber: PHONE }));
      expect(h.targets().filter((t) => t === 'UpdateUserAttributes')).toHaveLength(1);
      if (status === 500) expect(error.retryable).toBe(false);
    }
  });

  it('reads are retried; the access-token function is asked per request', async () => {
    const h = harness();
    const { accessToken } = h.api.createUser();
    let asked = 0;
    const binding = cognito({
      baseUrl: BASE,
      fetch: h.fetch,
      accessToken: () => {
        asked += 1;
        return accessToken;
      },
    });
    h.canned.push({ ...cognitoError('InternalErrorException', 'x', 500), target: 'GetUser' });
    expect(await binding.get({})).toBeNull();
    expect(h.targets()).toEqual(['GetUser', 'GetUser']);
    expect(asked).toBe(1);
    await binding.get({});
    expect(asked).toBe(2);
  });

  it('quota: the 16th VerifyUserAttribute in an hour is LimitExceeded → too_many_attempts; the 6th resend → rate_limited', async () => {
    const h = user();
    const p = (await h.binding.bind({ phoneNumber: PHONE })) as PendingVerification;
    for (let i = 0; i < 15; i += 1) {
      expect((await rejection(h.binding.verify({ ticket: p.ticket, code: '000000x' }))).code).toBe(
        'invalid_code',
      );
    }
    const locked = await rejection(h.binding.verify({ ticket: p.ticket, code: h.lastCode() }));
    expect(locked).toMatchObject({
      code: 'too_many_attempts',
      providerCode: 'LimitExceededException',
      retryable: false,
    });
    for (let i = 0; i < 5; i += 1) await h.binding.resend({ ticket: p.ticket });
    const throttled = await rejection(h.binding.resend({ ticket: p.ticket }));
    // Decide 6: the hourly quota — retryable, but not before its window (an upper bound) has passed.
    expect(throttled).toMatchObject({
      code: 'rate_limited',
      providerCode: 'LimitExceededException',
      retryable: true,
      retryAfterMs: 3_600_000,
    });
  });

  it('a revoked token is unauthenticated (Cognito answers 400 NotAuthorizedException)', async () => {
    const h = harness();
    const binding = cognito({ baseUrl: BASE, fetch: h.fetch, accessToken: 'cognito-revoked-token' });
    const error = await rejection(binding.get({}));
    expect(error).toMatchObject({
      code: 'unauthenticated',
      status: 400,
      providerCode: 'NotAuthorizedException',
    });
    expect(error.requestId).toMatch(/^0{8}-/);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('cognito-revoked-token');
  });
});

describe('cognito options', () => {
  it('region alone gives https://cognito-idp.<region>.amazonaws.com/ (cn- regions: .amazonaws.com.cn)', async () => {
    for (const [region, host] of [
      ['eu-west-1', 'https://cognito-idp.eu-west-1.amazonaws.com/'],
      ['cn-north-1', 'https://cognito-idp.cn-north-1.amazonaws.com.cn/'],
    ] as const) {
      const urls: string[] = [];
      const binding = cognito({
        region,
        accessToken: 't0k',
        retry: 0,
        fetch: async (input) => {
          urls.push((input as Request).url);
          return new Response('{"Username":"u","UserAttributes":[]}', { status: 200 });
        },
      });
      await binding.get({});
      expect(urls).toEqual([host]);
    }
  });

  it('neither region nor baseUrl, a malformed region, and unknown options are invalid_input', () => {
    expect(() => cognito({ accessToken: 't' })).toThrow(/region or a baseUrl/);
    expect(() => cognito({ region: 'eu-west-1.evil.com', accessToken: 't' })).toThrow(/region/);
    expect(() =>
      cognitoAdmin({ userPoolId: 'nope', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    ).toThrow(/userPoolId/);
  });
});

describe('cognitoAdmin on the fake (SigV4)', () => {
  function admin(credentials?: Parameters<typeof cognitoAdmin>[0]['credentials']) {
    const h = harness();
    const { userId } = h.api.createUser();
    const binding = cognitoAdmin({
      baseUrl: BASE,
      userPoolId: h.api.userPoolId,
      credentials: credentials ?? { ...h.api.credentials },
      fetch: h.fetch,
    });
    return { ...h, userId, binding };
  }

  it('bind as verified: AdminGetUser then AdminUpdateUserAttributes with phone_number_verified "true", signed', async () => {
    const h = admin();
    expect(await h.binding.bind({ userId: h.userId, phoneNumber: PHONE, verified: true })).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
    });
    expect(h.targets()).toEqual(['AdminGetUser', 'AdminUpdateUserAttributes']);
    const update = h.requests[1];
    expect(update?.body).toEqual({
      UserPoolId: h.api.userPoolId,
      Username: h.userId,
      UserAttributes: [
        { Name: 'phone_number', Value: PHONE },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    });
    expect(update?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAFAKECOGNITO00001\/\d{8}\/us-east-1\/cognito-idp\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(h.ctx.outbox).toHaveLength(0);
    expect(await h.binding.get({ userId: h.userId })).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
    });
  });

  it('decide 12: the signing time is this machine’s clock, as it is (no offset correction)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-03-04T05:06:07.890Z'));
      const h = admin();
      await h.binding.get({ userId: h.userId });
      expect(h.requests[0]?.headers['x-amz-date']).toBe('20260304T050607Z');
      expect(h.requests[0]?.headers.authorization).toContain('/20260304/us-east-1/cognito-idp/aws4_request');
    } finally {
      vi.useRealTimers();
    }
  });

  it('the signature is the one AwsV4Signer computes over the request as sent', async () => {
    const h = admin();
    await h.binding.get({ userId: h.userId });
    const sent = h.requests[0];
    if (!sent) throw new Error('no request');
    const rest = {
      'x-amz-target': sent.headers['x-amz-target'] ?? '',
      'x-amz-date': sent.headers['x-amz-date'] ?? '',
    };
    const { authorization } = sent.headers;
    const again = await new AwsV4Signer({
      method: 'POST',
      url: sent.url,
      headers: rest,
      body: JSON.stringify(sent.body),
      accessKeyId: h.api.credentials.accessKeyId,
      secretAccessKey: h.api.credentials.secretAccessKey,
      service: 'cognito-idp',
      region: 'us-east-1',
      datetime: rest['x-amz-date'],
    }).authHeader();
    expect(authorization).toBe(again);
  });

  it('session credentials from a function: asked per attempt, re-signed on a retried read, token sent', async () => {
    let asked = 0;
    const h = harness();
    const { userId } = h.api.createUser();
    const binding = cognitoAdmin({
      baseUrl: BASE,
      userPoolId: h.api.userPoolId,
      fetch: h.fetch,
      credentials: async () => {
        asked += 1;
        return { ...h.api.credentials, sessionToken: `session-token-${asked}` };
      },
    });
    h.canned.push({ ...cognitoError('InternalErrorException', 'x', 500), target: 'AdminGetUser' });
    expect(await binding.get({ userId })).toBeNull();
    expect(asked).toBe(2);
    expect(h.requests.map((r) => r.headers['x-amz-security-token'])).toEqual([
      'session-token-1',
      'session-token-2',
    ]);
    expect(h.requests[1]?.headers.authorization).toContain(
      'SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target',
    );
  });

  it('decide 1: bind without verified is unsupported before any request', async () => {
    const h = admin();
    expect((await rejection(h.binding.bind({ userId: h.userId, phoneNumber: PHONE }))).code).toBe(
      'unsupported',
    );
    expect(h.requests).toHaveLength(0);
  });

  it('second factor and remove: AdminSetUserMFAPreference, then off before AdminDeleteUserAttributes', async () => {
    const h = admin();
    await h.binding.bind({ userId: h.userId, phoneNumber: PHONE, verified: true, secondFactor: true });
    expect(h.requests.at(-1)?.body).toEqual({
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      UserPoolId: h.api.userPoolId,
      Username: h.userId,
    });
    expect(await h.binding.get({ userId: h.userId })).toMatchObject({ secondFactor: true });
    h.requests.length = 0;
    await h.binding.remove({ userId: h.userId });
    expect(h.targets()).toEqual(['AdminGetUser', 'AdminSetUserMFAPreference', 'AdminDeleteUserAttributes']);
    expect(await h.binding.get({ userId: h.userId })).toBeNull();
  });

  it('one adapter signs each call with the secret key it has then: a kept signing key never answers for another', async () => {
    const h = harness();
    const { userId } = h.api.createUser();
    const secrets = ['first-secret-key-of-this-key-id', 'second-secret-key-of-this-key-id'];
    let secretAccessKey = secrets[0] as string;
    const binding = cognitoAdmin({
      baseUrl: BASE,
      userPoolId: h.api.userPoolId,
      fetch: h.fetch,
      credentials: async () => ({ accessKeyId: h.api.credentials.accessKeyId, secretAccessKey }),
    });
    const used: string[] = [secretAccessKey];
    await binding.get({ userId });
    secretAccessKey = secrets[1] as string;
    used.push(secretAccessKey);
    await binding.get({ userId });
    secretAccessKey = secrets[0] as string;
    used.push(secretAccessKey);
    await binding.get({ userId });
    expect(h.requests).toHaveLength(3);
    for (const [k, sent] of h.requests.entries()) {
      const rest = {
        'x-amz-target': sent.headers['x-amz-target'] ?? '',
        'x-amz-date': sent.headers['x-amz-date'] ?? '',
      };
      const expected = await new AwsV4Signer({
        method: 'POST',
        url: sent.url,
        headers: rest,
        body: JSON.stringify(sent.body),
        accessKeyId: h.api.credentials.accessKeyId,
        secretAccessKey: used[k] as string,
        service: 'cognito-idp',
        region: 'us-east-1',
        datetime: rest['x-amz-date'],
      }).authHeader();
      expect(sent.headers.authorization).toBe(expected);
    }
  });

  it('wrong credentials → unauthenticated; unknown user → not_found', async () => {
    const h = admin({ accessKeyId: 'AKIAWRONG', secretAccessKey: 'x' });
    expect(await rejection(h.binding.get({ userId: h.userId }))).toMatchObject({
      code: 'unauthenticated',
      providerCode: 'UnrecognizedClientException',
    });
    const ok = admin();
    expect(await rejection(ok.binding.get({ userId: 'nobody' }))).toMatchObject({
      code: 'not_found',
      providerCode: 'UserNotFoundException',
    });
  });
});
