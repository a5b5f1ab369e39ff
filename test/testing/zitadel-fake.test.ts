/** The fake Zitadel answers as the wire reference describes, including what the SDK never sends. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';

let fakes: FakeBackends;
let admin: Record<string, string>;
beforeEach(() => {
  fakes = createFakeBackends({ generateCode: () => 'K7Q2ZD' });
  admin = { authorization: `Bearer ${fakes.zitadel.adminToken}`, 'content-type': 'application/json' };
});

async function call(method: string, path: string, body?: unknown, headers = admin) {
  const res = await fakes.fetch(`${fakes.urls.zitadel}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const detail = (id: string, message: string) => [
  { '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id, message },
];

describe('user service v2', () => {
  it('SetPhone answers details, and verificationCode only with returnCode', async () => {
    const { userId } = fakes.zitadel.createUser();
    const sent = await call('POST', `/v2/users/${userId}/phone`, { phone: '+41 79 123 45 67', sendCode: {} });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      details: {
        sequence: expect.any(String),
        changeDate: expect.any(String),
        resourceOwner: expect.any(String),
      },
    });
    expect(fakes.outbox).toEqual([
      expect.objectContaining({ to: '+41791234567', code: 'K7Q2ZD', provider: 'zitadel' }),
    ]);
    const returned = await call('POST', `/v2/users/${userId}/phone`, {
      phone: '+41781234567',
      returnCode: {},
    });
    expect(returned.body.verificationCode).toBe('K7Q2ZD');
    expect(fakes.outbox.length).toBe(1);
  });

  it('no one-of set behaves like sendCode', async () => {
    const { userId } = fakes.zitadel.createUser();
    await call('POST', `/v2/users/${userId}/phone`, { phone: '+41791234567' });
    expect(fakes.outbox.length).toBe(1);
  });

  it('reads national numbers as Swiss (region CH) and stores E.164', async () => {
    const { userId } = fakes.zitadel.createUser();
    await call('POST', `/v2/users/${userId}/phone`, { phone: '079 123 45 67', isVerified: true });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: '+41791234567', isVerified: true });
  });

  it.each([
    [
      { phone: 'abc' },
      400,
      {
        code: 3,
        message: 'Phone is invalid (PHONE-so0wa)',
        details: detail('PHONE-so0wa', 'Phone is invalid'),
      },
    ],
    [
      { phone: '   ' },
      400,
      { code: 3, message: 'Phone is empty (PHONE-Zt0NV)', details: detail('PHONE-Zt0NV', 'Phone is empty') },
    ],
    [{ phone: '' }, 400, { code: 3, message: expect.stringContaining('invalid SetPhoneRequest.Phone') }],
    [
      { phone: '+41791234567', isVerified: false },
      400,
      { code: 3, message: expect.stringContaining('must equal true') },
    ],
    [
      { phone: '+41791234567', sendCode: {}, returnCode: {} },
      400,
      { code: 3, message: expect.stringContaining('oneof') },
    ],
  ])('SetPhone %j → %i', async (body, status, expected) => {
    const { userId } = fakes.zitadel.createUser();
    const res = await call('POST', `/v2/users/${userId}/phone`, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expected);
  });

  it('malformed JSON → 400 code 3 without details', async () => {
    const { userId } = fakes.zitadel.createUser();
    const res = await call('POST', `/v2/users/${userId}/phone`, '{not json');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(3);
    expect(res.body.details).toBeUndefined();
  });

  it('the same number → 400 FAILED_PRECONDITION NotChanged', async () => {
    const { userId } = fakes.zitadel.createUser({ phone: '+41791234567' });
    const res = await call('POST', `/v2/users/${userId}/phone`, { phone: '+41 79 123 45 67' });
    expect(res).toMatchObject({
      status: 400,
      body: { code: 9, details: detail('COMMAND-Uch5e', 'Phone not changed') },
    });
  });

  it('VerifyPhone validates the code length (1–20) before anything else', async () => {
    const { userId } = fakes.zitadel.createUser();
    for (const verificationCode of ['', 'X'.repeat(21)]) {
      const res = await call('POST', `/v2/users/${userId}/phone/verify`, { verificationCode });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 3, message: expect.stringContaining('VerificationCode') });
    }
  });

  it('codes expire after 1 h and count failed attempts', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { userId } = fakes.zitadel.createUser();
      await call('POST', `/v2/users/${userId}/phone`, { phone: '+41791234567' });
      const wrong = await call('POST', `/v2/users/${userId}/phone/verify`, { verificationCode: 'AAAAAA' });
      expect(wrong.body).toMatchObject({ code: 3, details: detail('COMMAND-eis9R', 'Code is invalid') });
      expect(fakes.zitadel.pendingCode(userId)).toMatchObject({
        value: 'K7Q2ZD',
        to: '+41791234567',
        attempts: 1,
      });
      expect(fakes.zitadel.pendingCode(userId)?.expiresAt).toBe(Date.now() + 60 * 60 * 1000);
      vi.setSystemTime(Date.now() + 60 * 60 * 1000);
      const expired = await call('POST', `/v2/users/${userId}/phone/verify`, { verificationCode: 'K7Q2ZD' });
      expect(expired.body).toMatchObject({ code: 3, details: detail('COMMAND-eis9R', 'Code is invalid') });
      expect(fakes.zitadel.user(userId)?.isVerified).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('GetUserByID omits defaults: no phone is {}, unverified lacks isVerified', async () => {
    const { userId } = fakes.zitadel.createUser();
    expect((await call('GET', `/v2/users/${userId}`)).body).toMatchObject({
      user: { userId, human: { phone: {} } },
    });
    await call('POST', `/v2/users/${userId}/phone`, { phone: '+41791234567' });
    const read = await call('GET', `/v2/users/${userId}`);
    expect((read.body.user as { human: unknown }).human).toEqual({ phone: { phone: '+41791234567' } });
  });

  it('ResendPhoneCode accepts {} as sendCode; RemovePhone clears number and code', async () => {
    const { userId } = fakes.zitadel.createUser();
    await call('POST', `/v2/users/${userId}/phone`, { phone: '+41791234567' });
    expect((await call('POST', `/v2/users/${userId}/phone/resend`, {})).status).toBe(200);
    expect(fakes.outbox.length).toBe(2);
    expect((await call('DELETE', `/v2/users/${userId}/phone`)).status).toBe(200);
    const resend = await call('POST', `/v2/users/${userId}/phone/resend`, {});
    expect(resend.body).toMatchObject({ code: 9, details: detail('PHONE-5xrra88eq8', 'Code is empty') });
  });

  it('missing auth header → 401 AUTH-toLo1 with WWW-Authenticate; unknown token → AUTH-7fs1e', async () => {
    const missing = await call('GET', '/v2/users/x', undefined, {});
    expect(missing).toMatchObject({
      status: 401,
      body: { code: 16, details: detail('AUTH-toLo1', 'auth header missing') },
    });
    expect(missing.headers.get('www-authenticate')).toBe('auth header missing (AUTH-toLo1)');
    const unknown = await call('GET', '/v2/users/x', undefined, { authorization: 'Bearer nope' });
    expect(unknown.body).toMatchObject({ code: 16, details: detail('AUTH-7fs1e', 'Token is invalid') });
  });

  it('returnCode and isVerified need user.write even on the own user', async () => {
    const own = fakes.zitadel.createUser();
    const headers = { authorization: `Bearer ${own.token}`, 'content-type': 'application/json' };
    const res = await call(
      'POST',
      `/v2/users/${own.userId}/phone`,
      { phone: '+41791234567', returnCode: {} },
      headers,
    );
    expect(res).toMatchObject({ status: 403, body: { code: 7 } });
  });
});

describe('auth API v1', () => {
  it('SetMyPhone needs a leading "+" and at most 50 characters', async () => {
    const { token } = fakes.zitadel.createUser();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const noPlus = await call('PUT', '/auth/v1/users/me/phone', { phone: '0791234567' }, headers);
    expect(noPlus).toMatchObject({
      status: 400,
      body: { code: 3, message: expect.stringContaining('prefix') },
    });
    const long = await call('PUT', '/auth/v1/users/me/phone', { phone: `+${'1'.repeat(50)}` }, headers);
    expect(long.status).toBe(400);
  });

  it('GetMyPhone with no phone answers 200 with an empty phone', async () => {
    const { token } = fakes.zitadel.createUser();
    const res = await call('GET', '/auth/v1/users/me/phone', undefined, { authorization: `Bearer ${token}` });
    expect(res).toMatchObject({ status: 200, body: { phone: {} } });
  });
});

describe('shared machinery', () => {
  it('records every request with its encoded path, query, headers and body', async () => {
    await call('POST', '/v2/users/a%2Fb/phone?x=1', { phone: '+41791234567' });
    expect(fakes.requests.at(-1)).toMatchObject({
      backend: 'zitadel',
      method: 'POST',
      path: '/v2/users/a%2Fb/phone',
      query: { x: '1' },
      headers: { authorization: `Bearer ${fakes.zitadel.adminToken}` },
      body: { phone: '+41791234567' },
    });
  });

  it('faults match by backend, method and path, and apply `times` times', async () => {
    fakes.injectFault({
      backend: 'zitadel',
      method: 'GET',
      path: '/v2/users/x',
      status: 503,
      body: 'busy',
      times: 2,
    });
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`, { headers: admin })).status).toBe(503);
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/y`, { headers: admin })).status).toBe(404);
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`, { headers: admin })).status).toBe(503);
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`, { headers: admin })).status).toBe(404);
  });

  it('clearFaults() drops a fault whose `times` were not used up, so a later call is not hit', async () => {
    fakes.injectFault({ backend: 'zitadel', method: 'GET', status: 503, body: 'busy', times: 3 });
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`, { headers: admin })).status).toBe(503);
    fakes.clearFaults();
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`, { headers: admin })).status).toBe(404);
    // New faults still apply after a clear.
    fakes.injectFault({ backend: 'zitadel', status: 502, body: 'gateway' });
    expect((await fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`, { headers: admin })).status).toBe(502);
  });

  it('a delayed fault waits on (fake) timers', async () => {
    vi.useFakeTimers();
    try {
      fakes.injectFault({ delayMs: 5000, status: 200, body: {} });
      let done = false;
      const pending = fakes.fetch(`${fakes.urls.zitadel}/v2/users/x`).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(4999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('unknown mount points answer 404', async () => {
    expect((await fakes.fetch('https://fake.phone-binding.test/nothing/here')).status).toBe(404);
  });

  it('listen() serves the same state over 127.0.0.1 with CORS', async () => {
    const server = await fakes.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { userId } = fakes.zitadel.createUser({ phone: '+41791234567', isVerified: true });
      const res = await fetch(`${server.urls.zitadel}/v2/users/${userId}`, { headers: admin });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toMatchObject({
        user: { human: { phone: { phone: '+41791234567', isVerified: true } } },
      });
      const preflight = await fetch(`${server.urls.zitadel}/v2/users/${userId}`, { method: 'OPTIONS' });
      expect(preflight.status).toBe(204);
    } finally {
      await server.close();
    }
  });
});
