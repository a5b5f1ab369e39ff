import { describe, expect, it } from 'vitest';
import { cognitoBackend } from '../../adapters/cognito/fake.js';
import { harness, useCognitoMsw } from '../cognito/helpers.js';

useCognitoMsw();

const T = 'AWSCognitoIdentityProviderService.';

async function call(
  h: ReturnType<typeof harness>,
  op: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await h.fetch('https://fake.phone-binding.test/cognito/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${T}${op}`, ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe('the Cognito fake', () => {
  it('answers errors as Cognito: 400, __type, x-amzn-errortype, x-amzn-requestid', async () => {
    const h = harness();
    const r = await call(h, 'GetUser', { AccessToken: 'nope' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    expect(r.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:');
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  it('a user cannot write phone_number_verified; a bad number is InvalidParameter; the same value sends no code', async () => {
    const h = harness();
    const { accessToken } = h.api.createUser({ phoneNumber: '+41791234567' });
    const verified = await call(h, 'UpdateUserAttributes', {
      UserAttributes: [{ Name: 'phone_number_verified', Value: 'true' }],
      AccessToken: accessToken,
    });
    expect(verified.body.message).toBe('A client attempted to write unauthorized attribute');
    const bad = await call(h, 'UpdateUserAttributes', {
      UserAttributes: [{ Name: 'phone_number', Value: '079 123' }],
      AccessToken: accessToken,
    });
    expect(bad.body).toMatchObject({
      __type: 'InvalidParameterException',
      message: 'Invalid phone number format.',
    });
    const same = await call(h, 'UpdateUserAttributes', {
      UserAttributes: [{ Name: 'phone_number', Value: '+41791234567' }],
      AccessToken: accessToken,
    });
    expect(same.body).toEqual({});
    expect(h.ctx.outbox).toHaveLength(0);
  });

  it('codes expire after 24 hours (ExpiredCodeException)', async () => {
    const h = harness();
    const { userId, accessToken } = h.api.createUser();
    await call(h, 'UpdateUserAttributes', {
      UserAttributes: [{ Name: 'phone_number', Value: '+41791234567' }],
      AccessToken: accessToken,
    });
    const issued = h.api.pendingCode(userId);
    expect((issued?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(24 * 3600 * 1000 - 5000);
    h.ctx.now = () => Date.now() + 24 * 3600 * 1000 + 1;
    const r = await call(h, 'VerifyUserAttribute', {
      AccessToken: accessToken,
      AttributeName: 'phone_number',
      Code: issued?.value,
    });
    expect(r.body.__type).toBe('ExpiredCodeException');
  });

  it('admin calls need the SigV4 shape with the fake key', async () => {
    const h = harness();
    const { userId } = h.api.createUser();
    const r = await call(h, 'AdminGetUser', { UserPoolId: h.api.userPoolId, Username: userId });
    expect(r.body.__type).toBe('UnrecognizedClientException');
  });

  it('declares its shape', () => {
    expect(cognitoBackend.id).toBe('cognito');
    expect(
      cognitoBackend.codeIn({
        backend: 'cognito',
        method: 'POST',
        path: '/',
        query: {},
        headers: {},
        body: { Code: '123456' },
      }),
    ).toBe('123456');
    expect(cognitoBackend.errorBody({ status: 400, code: 'X', requestId: 'r', message: 'm' })).toEqual({
      __type: 'X',
      message: 'm',
    });
  });
});
