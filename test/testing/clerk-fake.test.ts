/** The fake Clerk Backend API answers with the spec's shapes. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';

let fakes: FakeBackends;
let userId: string;
beforeEach(() => {
  fakes = createFakeBackends({ generateCode: () => '482913' });
  ({ userId } = fakes.clerk.createUser());
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fakes.fetch(`${fakes.urls.clerk}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${fakes.clerk.secretKey}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('fake Clerk', () => {
  it('creates a PhoneNumber with the spec’s fields and an idn_ id', async () => {
    const res = await call('POST', '/v1/phone_numbers', {
      user_id: userId,
      phone_number: '+12133734253',
      verified: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^idn_/),
      object: 'phone_number',
      phone_number: '+12133734253',
      reserved: false,
      linked_to: [],
      verification: { object: 'verification_admin', status: 'verified', strategy: 'admin' },
    });
  });

  it('refuses non-E.164 numbers and unknown attempt fields with ClerkErrors bodies', async () => {
    const bad = await call('POST', '/v1/phone_numbers', { user_id: userId, phone_number: '213 373 4253' });
    expect(bad).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'form_param_format_invalid' }], clerk_trace_id: expect.any(String) },
    });
    const created = await call('POST', '/v1/phone_numbers', {
      user_id: userId,
      phone_number: '+12133734253',
    });
    const id = created.body.id as string;
    const prepared = await call('POST', `/v1/phone_numbers/${id}/prepare_verification`);
    expect(prepared.body).toMatchObject({
      status: 'unverified',
      strategy: 'phone_code',
      attempts: 0,
      expire_at: expect.any(Number),
    });
    const extra = await call('POST', `/v1/phone_numbers/${id}/attempt_verification`, {
      verification_id: prepared.body.id,
      code: '482913',
      strategy: 'phone_code',
    });
    expect(extra).toMatchObject({ status: 422, body: { errors: [{ code: 'form_param_unknown' }] } });
    const ok = await call('POST', `/v1/phone_numbers/${id}/attempt_verification`, {
      verification_id: prepared.body.id,
      code: '482913',
    });
    expect(ok.body).toMatchObject({ status: 'verified', attempts: 0 });
    const again = await call('POST', `/v1/phone_numbers/${id}/attempt_verification`, {
      verification_id: prepared.body.id,
      code: '482913',
    });
    expect(again).toMatchObject({
      status: 400,
      body: { errors: [{ code: 'verification_already_verified' }] },
    });
  });

  it('answers 429 with Retry-After to a second prepare within 30 s', async () => {
    const created = await call('POST', '/v1/phone_numbers', {
      user_id: userId,
      phone_number: '+12133734253',
    });
    await call('POST', `/v1/phone_numbers/${created.body.id as string}/prepare_verification`);
    const again = await call('POST', `/v1/phone_numbers/${created.body.id as string}/prepare_verification`);
    expect(again).toMatchObject({
      status: 429,
      body: { errors: [{ code: 'verification_code_too_many_requests' }] },
    });
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(25);
  });

  it('checks the secret key and the API version', async () => {
    expect(
      await call('GET', `/v1/users/${userId}`, undefined, { authorization: 'Bearer sk_wrong' }),
    ).toMatchObject({
      status: 401,
      body: { errors: [{ code: 'authentication_invalid' }] },
    });
    expect(
      (await call('GET', `/v1/users/${userId}`, undefined, { 'clerk-api-version': '2021-02-05' })).status,
    ).toBe(400);
    expect(
      (await call('GET', `/v1/users/${userId}`, undefined, { 'clerk-api-version': '2026-05-12' })).body,
    ).toMatchObject({
      object: 'user',
      phone_numbers: [],
      primary_phone_number_id: null,
    });
  });
});
