/** The fake ETNA answers with the documented shapes. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';

let fakes: FakeBackends;
let headers: Record<string, string>;
beforeEach(() => {
  fakes = createFakeBackends({ generateCode: () => '482913' });
  headers = { authorization: `Bearer ${fakes.etna.adminToken}`, 'et-app-key': fakes.etna.appKey };
});

async function call(method: string, path: string, h = headers) {
  const res = await fakes.fetch(`${fakes.urls.etna}${path}`, { method, headers: h });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('fake ETNA', () => {
  it('bind answers the .NET tuple envelope and sends the SMS', async () => {
    const { userId } = fakes.etna.createUser();
    const res = await call(
      'PUT',
      `/v1.0/users/${userId}/subscriptions/settings/phonenumber?phoneNumber=%2B34635952910`,
    );
    expect(res).toEqual({
      status: 200,
      body: { m_Item1: { PhoneNumber: '+34635952910', PhoneNumberState: 'NotVerified' }, m_Item2: 1925 },
    });
    expect(fakes.outbox).toEqual([
      expect.objectContaining({ provider: 'etna', to: '+34635952910', code: '482913' }),
    ]);
    expect(fakes.etna.pendingCode(1925)).toMatchObject({ value: '482913', attempts: 0 });
  });

  it('verify answers the phone model; GET reads NotLinked with a null number; DELETE answers 204', async () => {
    const { userId } = fakes.etna.createUser();
    const base = `/v1.0/users/${userId}/subscriptions/settings/phonenumber`;
    expect(await call('GET', base)).toEqual({
      status: 200,
      body: { PhoneNumber: null, PhoneNumberState: 'NotLinked' },
    });
    await call('PUT', `${base}?phoneNumber=%2B34635952910`);
    expect(await call('PUT', `${base}/token/1925?tokenValue=482913`)).toEqual({
      status: 200,
      body: { PhoneNumber: '+34635952910', PhoneNumberState: 'Active' },
    });
    expect(await call('DELETE', base)).toEqual({ status: 204, body: undefined });
    expect(fakes.etna.user(userId)).toMatchObject({ phone: null, state: 'NotLinked' });
  });

  it('counts wrong codes and locks after five', async () => {
    const { userId } = fakes.etna.createUser();
    const base = `/v1.0/users/${userId}/subscriptions/settings/phonenumber`;
    await call('PUT', `${base}?phoneNumber=%2B34635952910`);
    for (let i = 0; i < 5; i += 1) {
      expect(await call('PUT', `${base}/token/1925?tokenValue=000000`)).toMatchObject({ status: 400 });
    }
    expect(fakes.etna.pendingCode(1925)?.attempts).toBe(5);
    expect(await call('PUT', `${base}/token/1925?tokenValue=482913`)).toEqual({
      status: 400,
      body: { Message: 'Too many attempts.' },
    });
  });

  it('answers the documented error shapes', async () => {
    const { userId } = fakes.etna.createUser();
    const base = `/v1.0/users/${userId}/subscriptions/settings/phonenumber`;
    expect(await call('PUT', base)).toMatchObject({
      status: 404,
      body: { Message: expect.stringContaining('No HTTP resource') },
    });
    expect(await call('GET', base, { authorization: headers.authorization! })).toEqual({
      status: 401,
      body: { error: 'Application key is not defined or does not exist' },
    });
    expect(await call('GET', base, { 'et-app-key': fakes.etna.appKey })).toEqual({
      status: 401,
      body: { Message: 'Authorization has been denied for this request.' },
    });
    expect(await call('GET', '/v1.0/users/1/subscriptions/settings/phonenumber')).toMatchObject({
      status: 500,
      body: { Model: null, StatusCode: 500, IsSucceed: false },
    });
    expect(await call('GET', `/v9.0/users/${userId}/subscriptions/settings/phonenumber`)).toMatchObject({
      status: 404,
      body: { Error: { Code: 'UnsupportedApiVersion' } },
    });
  });
});
