/** The fake ETNA holds ETNA's change semantics: the PUT replaces the number at once. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';

const A = '+34635952910';
const B = '+34635952911';
let fakes: FakeBackends;
let base: string;

beforeEach(() => {
  fakes = createFakeBackends({ generateCode: () => '482913' });
  const { userId } = fakes.etna.createUser();
  base = `/v1.0/users/${userId}/subscriptions/settings/phonenumber`;
});

async function call(method: string, path: string) {
  const headers = { authorization: `Bearer ${fakes.etna.adminToken}`, 'et-app-key': fakes.etna.appKey };
  const res = await fakes.fetch(`${fakes.urls.etna}${path}`, { method, headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('fake ETNA: changing a number', () => {
  it('PUT B over an Active A: A is gone, GET reads B NotVerified; the token makes B Active', async () => {
    await call('PUT', `${base}?phoneNumber=${encodeURIComponent(A)}`);
    await call('PUT', `${base}/token/1925?tokenValue=482913`);
    expect(await call('GET', base)).toEqual({
      status: 200,
      body: { PhoneNumber: A, PhoneNumberState: 'Active' },
    });

    expect(await call('PUT', `${base}?phoneNumber=${encodeURIComponent(B)}`)).toEqual({
      status: 200,
      body: { m_Item1: { PhoneNumber: B, PhoneNumberState: 'NotVerified' }, m_Item2: 1926 },
    });
    expect(await call('GET', base)).toEqual({
      status: 200,
      body: { PhoneNumber: B, PhoneNumberState: 'NotVerified' },
    });
    expect(fakes.outbox.map((m) => m.to)).toEqual([A, B]);
    // A's spent token verifies nothing any more.
    expect(await call('PUT', `${base}/token/1925?tokenValue=482913`)).toMatchObject({ status: 400 });
    expect(await call('PUT', `${base}/token/1926?tokenValue=482913`)).toEqual({
      status: 200,
      body: { PhoneNumber: B, PhoneNumberState: 'Active' },
    });
    expect(await call('GET', base)).toEqual({
      status: 200,
      body: { PhoneNumber: B, PhoneNumberState: 'Active' },
    });
  });
});
