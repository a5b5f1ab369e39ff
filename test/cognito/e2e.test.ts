import { describe, expect, it } from 'vitest';
import { cognito, cognitoAdmin } from '../../adapters/cognito/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { useFakeServer } from '../support/fake-server.js';
import { rejection } from '../support/rejection.js';

const PHONE = '+41791234567';
const OTHER = '+41791234568';
const TARGET = 'AWSCognitoIdentityProviderService.';

describe('cognito on the fake over loopback HTTP', () => {
  let fakes: FakeBackends;
  let server: FakeServer;
  useFakeServer((started) => ({ fakes, server } = started), { perTest: true });

  const targets = () => fakes.requests.map((r) => r.headers['x-amz-target']?.replace(TARGET, ''));

  it('user scope: bind → verify → get → change (keep original) → verify → remove → get', async () => {
    const { userId, accessToken } = fakes.cognito.createUser({ keepOriginal: true });
    const phones = cognito({ baseUrl: server.urls.cognito, accessToken, keepOriginalUntilVerified: true });
    const pending = await phones.bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
    if (pending.state !== 'pending') throw new Error('expected pending');
    await phones.verify({ ticket: pending.ticket, code: fakes.lastCode(PHONE) ?? '' });
    expect(fakes.cognito.user(userId)).toMatchObject({ phone: PHONE, verified: true });

    const change = await phones.bind({ phoneNumber: OTHER });
    expect(change).toMatchObject({ state: 'pending', replaces: { e164: PHONE } });
    // Keep-original pool: the verified number stays until the new one's code is right.
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: { e164: PHONE } });
    if (change.state !== 'pending') throw new Error('expected pending');
    await phones.verify({ ticket: change.ticket, code: fakes.lastCode(OTHER) ?? '' });
    expect(await phones.get({})).toMatchObject({ state: 'verified', phone: { e164: OTHER } });

    expect(await phones.remove({ phoneNumber: OTHER })).toEqual({ state: 'removed', provider: 'cognito' });
    expect(await phones.get({})).toBeNull();
    // Every call was POST / with its operation in x-amz-target, the token in the body, unsigned.
    expect(fakes.requests.every((r) => r.method === 'POST' && r.path === '/')).toBe(true);
    expect(fakes.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(targets()).toContain('DeleteUserAttributes');
  });

  it('admin scope: SigV4-signed bind as verified, second factor, remove; the fake checks the key', async () => {
    const { userId } = fakes.cognito.createUser();
    const admin = cognitoAdmin({
      baseUrl: server.urls.cognito,
      userPoolId: fakes.cognito.userPoolId,
      credentials: async () => ({ ...fakes.cognito.credentials }),
    });
    expect(
      await admin.bind({ userId, phoneNumber: PHONE, verified: true, secondFactor: true }),
    ).toMatchObject({
      state: 'verified',
      phone: { e164: PHONE },
      secondFactor: true,
    });
    expect(fakes.outbox).toHaveLength(0);
    expect(fakes.cognito.user(userId)).toMatchObject({ phone: PHONE, verified: true, smsMfa: true });
    expect(await admin.get({ userId })).toMatchObject({ state: 'verified', secondFactor: true });
    expect(await admin.remove({ userId })).toEqual({ state: 'removed', provider: 'cognito-admin' });
    expect(fakes.cognito.user(userId)).toMatchObject({ phone: undefined, smsMfa: false });
    expect(
      fakes.requests.every((r) =>
        /^AWS4-HMAC-SHA256 Credential=AKIAFAKECOGNITO00001\//.test(r.headers.authorization ?? ''),
      ),
    ).toBe(true);
    expect(targets()).toEqual([
      'AdminGetUser',
      'AdminUpdateUserAttributes',
      'AdminSetUserMFAPreference',
      'AdminGetUser',
      'AdminGetUser',
      'AdminSetUserMFAPreference',
      'AdminDeleteUserAttributes',
    ]);

    const refused = cognitoAdmin({
      baseUrl: server.urls.cognito,
      userPoolId: fakes.cognito.userPoolId,
      credentials: { accessKeyId: 'AKIAREVOKEDCOGNITO01', secretAccessKey: 'cognito-revoked-secret-Kq71' },
    });
    const error = await rejection(refused.get({ userId }));
    expect(error).toMatchObject({ code: 'unauthenticated', status: 400 });
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('cognito-revoked-secret-Kq71');
  });
});
