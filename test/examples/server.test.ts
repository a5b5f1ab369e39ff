/** examples/server.ts over real HTTP on 127.0.0.1, in front of the fakes (also on 127.0.0.1). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { createPhoneServer, errorAnswer, type PhoneServerOptions } from '../../examples/server.js';
import {
  type PhoneBinding,
  PhoneBindingError,
  type PhoneBindingErrorCode,
  type VerificationTicket,
} from '../../src/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';

const E164 = '+41791234567';
const MASKED = '+41 ••• •• 67';

let fakes: FakeBackends;
let backend: FakeServer;
let closers: Array<() => Promise<void>>;
/** Every answer the API gave in this test, checked for leaks afterwards. */
let answers: Array<{ status: number; headers: Headers; text: string }>;
/** Every ticket the adapters issued in this test. */
let tickets: VerificationTicket[];

beforeEach(async () => {
  fakes = createFakeBackends();
  backend = await fakes.listen();
  closers = [backend.close];
  answers = [];
  tickets = [];
});

afterEach(async () => {
  for (const close of closers.reverse()) await close();
  // No answer holds the ticket or the full number, in its body or its headers.
  for (const { headers, text } of answers) {
    const all = `${text}\n${[...headers].map(([name, value]) => `${name}: ${value}`).join('\n')}`;
    expect(all).not.toMatch(/"ticket"|issuedAt|tokenId|idn_|791234567/);
    for (const ticket of tickets) {
      const data = Object.values(ticket.data ?? {}).map(String);
      // (Values too short to be told apart from other text are left out.)
      const secrets = [JSON.stringify(ticket), ticket.issuedAt, ...data.filter((value) => value.length >= 4)];
      for (const secret of secrets) expect(all).not.toContain(secret);
    }
    const body = JSON.parse(text) as Record<string, unknown>;
    if ('error' in body) {
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error as object).sort()).toEqual(['code', 'message']);
      expect(String((body.error as { message: string }).message)).not.toMatch(/\n\s+at /);
    } else {
      expect(Object.keys(body).sort()).toEqual(['phone', 'state']);
    }
  }
});

type Name = 'etna' | 'authing' | 'zitadel' | 'zitadel-self' | 'clerk';

/** A fresh user on a backend, its config, and where its bind request goes (for faults). */
function setUp(name: Name): {
  config: PhoneBindingConfig;
  userId: string;
  admin: boolean;
  bindFault: { backend: string; method: string };
  phoneOf(): string;
} {
  switch (name) {
    case 'etna': {
      const { userId } = fakes.etna.createUser();
      const config = { provider: name, baseUrl: backend.urls.etna, token: fakes.etna.adminToken };
      return {
        config: { ...config, appKey: fakes.etna.appKey },
        userId,
        admin: true,
        bindFault: { backend: 'etna', method: 'PUT' },
        phoneOf: () => `${fakes.etna.user(userId)?.phone}:${fakes.etna.user(userId)?.state}`,
      };
    }
    case 'authing': {
      const { userId, token } = fakes.authing.createUser();
      const config = { provider: name, baseUrl: backend.urls.authing, appId: fakes.authing.appId };
      return {
        config: { ...config, accessToken: token },
        userId,
        admin: false,
        bindFault: { backend: 'authing', method: 'POST' },
        phoneOf: () => {
          const user = fakes.authing.user(userId);
          return `${user?.phoneCountryCode}${user?.phone}:${user?.phoneVerified ? 'Active' : ''}`;
        },
      };
    }
    case 'zitadel':
    case 'zitadel-self': {
      const { userId, token } = fakes.zitadel.createUser();
      const admin = name === 'zitadel';
      return {
        config: {
          provider: name,
          baseUrl: backend.urls.zitadel,
          token: admin ? fakes.zitadel.adminToken : token,
        },
        userId,
        admin,
        bindFault: { backend: 'zitadel', method: admin ? 'POST' : 'PUT' },
        phoneOf: () => {
          const user = fakes.zitadel.user(userId);
          return `${user?.phone}:${user?.isVerified ? 'Active' : ''}`;
        },
      };
    }
    case 'clerk': {
      const { userId } = fakes.clerk.createUser();
      return {
        config: { provider: name, baseUrl: backend.urls.clerk, secretKey: fakes.clerk.secretKey },
        userId,
        admin: true,
        bindFault: { backend: 'clerk', method: 'POST' },
        phoneOf: () => {
          const phone = fakes.clerk.user(userId)?.phone_numbers[0];
          return `${phone?.phone_number}:${phone?.verification?.status === 'verified' ? 'Active' : ''}`;
        },
      };
    }
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: { state?: string; phone?: string; error?: { code: string; message: string } };
}

/** A browser: keeps the `sid` cookie it is given. */
function browser(url: string) {
  let cookie: string | undefined;
  return {
    get cookie() {
      return cookie;
    },
    async request(method: string, path: string, body?: unknown): Promise<Answer> {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const setCookie = response.headers.getSetCookie()[0];
      if (setCookie) cookie = setCookie.split(';')[0];
      const text = await response.text();
      answers.push({ status: response.status, headers: response.headers, text });
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as Answer['body'] };
    },
    post(path: string, body?: unknown): Promise<Answer> {
      return this.request('POST', path, body);
    },
  };
}

async function start(options: PhoneServerOptions): Promise<ReturnType<typeof browser> & { url: string }> {
  const server = await createPhoneServer(options);
  closers.push(server.close);
  return Object.assign(browser(server.url), { url: server.url });
}

/** The adapter a config names, noting every ticket it hands out. */
function watched(config: PhoneBindingConfig): PhoneBinding {
  const real = createPhoneBinding(config);
  const note = <T extends { state: string }>(result: T): T => {
    if ('ticket' in result) tickets.push(result.ticket as VerificationTicket);
    return result;
  };
  return {
    provider: real.provider,
    capabilities: real.capabilities,
    bind: async (input, options) => note(await real.bind(input, options)),
    verify: (input, options) => real.verify(input, options),
    resend: async (input, options) => note(await real.resend(input, options)),
    get: (input, options) => real.get(input, options),
    remove: async (input, options) => note(await real.remove(input, options)),
  };
}

async function startFor(name: Name) {
  const setup = setUp(name);
  const client = await start({
    binding: watched(setup.config),
    ...(setup.admin ? { userIdFor: () => setup.userId } : {}),
  });
  return { ...setup, client };
}

/** A code that is certainly not the one sent. */
function wrongCode(): string {
  const right = fakes.lastCode(E164)!;
  return right === '222222' ? '333333' : '222222';
}

describe('POST /phone/bind → POST /phone/verify', () => {
  it.each<Name>(['etna', 'authing', 'zitadel', 'zitadel-self', 'clerk'])(
    '%s: binds, keeps the ticket in the session, verifies',
    async (name) => {
      const { client, phoneOf } = await startFor(name);
      const bound = await client.post('/phone/bind', { phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
      expect(bound).toMatchObject({ status: 200, body: { state: 'pending', phone: MASKED } });
      const setCookie = bound.headers.getSetCookie()[0]!;
      expect(setCookie).toMatch(/^sid=[A-Za-z0-9_-]{32}; HttpOnly; SameSite=Lax; Path=\/$/);
      expect(phoneOf()).not.toMatch(/:Active$/);
      expect(tickets).toHaveLength(1); // checked against every answer after the test

      const verified = await client.post('/phone/verify', { code: fakes.lastCode(E164) });
      expect(verified).toMatchObject({ status: 200, body: { state: 'verified', phone: MASKED } });
      expect(verified.headers.getSetCookie()).toEqual([]); // the same session
      expect(phoneOf()).toBe(`${E164}:Active`);

      // The ticket is used up: nothing is pending any more.
      const again = await client.post('/phone/verify', { code: fakes.lastCode(E164) });
      expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    },
  );

  it('accepts a config as well as an adapter', async () => {
    const { config, userId } = setUp('clerk');
    const client = await start({ binding: config, userIdFor: () => userId });
    expect(await client.post('/phone/bind', { phoneNumber: E164 })).toMatchObject({ status: 200 });
    expect(await client.post('/phone/verify', { code: fakes.lastCode(E164) })).toMatchObject({
      status: 200,
      body: { state: 'verified' },
    });
  });

  it('answers verified at once when the backend already holds the number verified', async () => {
    const { userId, token } = fakes.zitadel.createUser({ phone: E164, isVerified: true });
    const client = await start({
      binding: { provider: 'zitadel-self', baseUrl: backend.urls.zitadel, token },
    });
    expect(await client.post('/phone/bind', { phoneNumber: E164 })).toMatchObject({
      status: 200,
      body: { state: 'verified', phone: MASKED },
    });
    expect(fakes.zitadel.user(userId)).toMatchObject({ phone: E164, isVerified: true });
  });
});

describe.each<Name>(['zitadel-self', 'clerk', 'etna'])('errors as HTTP answers (%s)', (name) => {
  it('a wrong code is 400 invalid_code and the right one still works', async () => {
    const { client } = await startFor(name);
    await client.post('/phone/bind', { phoneNumber: E164 });
    const wrong = await client.post('/phone/verify', { code: wrongCode() });
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } });
    const right = await client.post('/phone/verify', { code: fakes.lastCode(E164) });
    expect(right).toMatchObject({ status: 200, body: { state: 'verified' } });
  });

  it('verify without a bind is 400, and so is another browser’s verify', async () => {
    const { client } = await startFor(name);
    const lone = await client.post('/phone/verify', { code: '123456' });
    expect(lone).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(lone.body.error!.message).toMatch(/bind a number first/);

    await client.post('/phone/bind', { phoneNumber: E164 });
    const other = await browser(client.url).post('/phone/verify', { code: fakes.lastCode(E164) });
    expect(other).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  });

  it('a 429 from the backend is 429 with its Retry-After', async () => {
    const { client, bindFault } = await startFor(name);
    fakes.injectFault({ ...bindFault, status: 429, headers: { 'retry-after': '30' }, body: {} });
    const answer = await client.post('/phone/bind', { phoneNumber: E164 });
    expect(answer).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(answer.headers.get('retry-after')).toBe('30');
  });

  it('a 503 from the backend is 502', async () => {
    const { client, bindFault } = await startFor(name);
    fakes.injectFault({ ...bindFault, status: 503, body: 'upstream down' });
    const answer = await client.post('/phone/bind', { phoneNumber: E164 });
    expect(answer).toMatchObject({ status: 502, body: { error: { code: 'provider_error' } } });
    expect(answer.headers.get('retry-after')).toBeNull();
  });

  it('a broken connection to the backend is 502 network', async () => {
    const { client, bindFault } = await startFor(name);
    fakes.injectFault({ ...bindFault, networkError: true });
    const answer = await client.post('/phone/bind', { phoneNumber: E164 });
    expect(answer).toMatchObject({ status: 502, body: { error: { code: 'network' } } });
  });

  it('malformed JSON, a missing field and a bad number are 400, before any backend request', async () => {
    const { client } = await startFor(name);
    const before = fakes.requests.length;
    const bad = await client.post('/phone/bind', '{"phoneNumber": "+41 79');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(bad.body.error!.message).toBe('The request body is not valid JSON.');
    expect(await client.post('/phone/bind', '[1]')).toMatchObject({ status: 400 });
    expect(await client.post('/phone/bind', {})).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', message: '"phoneNumber" must be a string.' } },
    });
    expect(await client.post('/phone/verify', { code: 123456 })).toMatchObject({ status: 400 });
    const number = await client.post('/phone/bind', { phoneNumber: '+41 79 123 45 6' });
    expect(number).toMatchObject({ status: 400, body: { error: { code: 'invalid_phone_number' } } });
    expect(number.body.error!.message).not.toContain('79123456');
    expect(fakes.requests.length).toBe(before);
  });

  it('an unknown route is 404, another method 405', async () => {
    const { client } = await startFor(name);
    expect(await client.post('/phone/unbind', {})).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await client.request('GET', '/')).toMatchObject({ status: 404 });
    const get = await client.request('GET', '/phone/bind');
    expect(get).toMatchObject({ status: 405, body: { error: { code: 'invalid_input' } } });
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('more answers', () => {
  it('an expired code is 410 and drops the ticket (clerk)', async () => {
    fakes = createFakeBackends({ codeTtlMs: 0 }); // every code is expired at once
    backend = await fakes.listen();
    closers.push(backend.close);
    const { client } = await startFor('clerk');
    await client.post('/phone/bind', { phoneNumber: E164 });
    const expired = await client.post('/phone/verify', { code: fakes.lastCode(E164) });
    expect(expired).toMatchObject({ status: 410, body: { error: { code: 'code_expired' } } });
    const after = await client.post('/phone/verify', { code: fakes.lastCode(E164) });
    expect(after).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  });

  it('a locked verification is 429 with the default Retry-After, and a new bind is needed (clerk)', async () => {
    const { client } = await startFor('clerk');
    await client.post('/phone/bind', { phoneNumber: E164 });
    const codes: number[] = [];
    let last: Answer | undefined;
    for (let i = 0; i < 3; i += 1) {
      last = await client.post('/phone/verify', { code: wrongCode() });
      codes.push(last.status);
    }
    expect(codes).toEqual([400, 400, 429]); // the fake Clerk locks on the third wrong code
    expect(last).toMatchObject({ body: { error: { code: 'too_many_attempts' } } });
    expect(last!.headers.get('retry-after')).toBe('60');
    expect(await client.post('/phone/verify', { code: fakes.lastCode(E164) })).toMatchObject({ status: 400 });
  });

  it('an admin-scope backend without a user in the session is 401, without a backend request', async () => {
    const { config } = setUp('etna');
    const client = await start({ binding: config });
    const before = fakes.requests.length;
    expect(await client.post('/phone/bind', { phoneNumber: E164 })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'Sign in first.' } },
    });
    expect(fakes.requests.length).toBe(before);
  });

  it('the server’s own credential refused is 502; the user’s own token refused is 401', async () => {
    const { userId } = fakes.clerk.createUser();
    const admin = await start({
      binding: { provider: 'clerk', baseUrl: backend.urls.clerk, secretKey: 'sk_test_wrong' },
      userIdFor: () => userId,
    });
    expect(await admin.post('/phone/bind', { phoneNumber: E164 })).toMatchObject({
      status: 502,
      body: { error: { code: 'unauthenticated' } },
    });
    const self = await start({
      binding: { provider: 'zitadel-self', baseUrl: backend.urls.zitadel, token: 'expired' },
    });
    expect(await self.post('/phone/bind', { phoneNumber: E164 })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
  });

  it('an unexpected error is 500 with a generic message, never a stack trace', async () => {
    const { config, userId } = setUp('clerk');
    const real = createPhoneBinding(config);
    const broken: PhoneBinding = {
      provider: real.provider,
      capabilities: real.capabilities,
      bind: () => Promise.reject(new Error(`boom for ${E164} at /srv/app/secret.ts:1`)),
      verify: (input) => real.verify(input),
      resend: (input) => real.resend(input),
      get: (input) => real.get(input),
      remove: (input) => real.remove(input),
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = await start({ binding: broken, userIdFor: () => userId });
    expect(await client.post('/phone/bind', { phoneNumber: E164 })).toEqual({
      status: 500,
      headers: expect.any(Headers),
      body: { error: { code: 'internal', message: 'Something went wrong on the server.' } },
    });
    expect(logged).toHaveBeenCalledOnce();
  });

  it('a body over 16 KiB is 413', async () => {
    const { client } = await startFor('clerk');
    const answer = await client.post('/phone/bind', { phoneNumber: E164, pad: 'x'.repeat(20_000) });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'invalid_input' } } });
  });

  it('an unknown sid starts a new session', async () => {
    const { client } = await startFor('clerk');
    const response = await fetch(`${client.url}/phone/verify`, {
      method: 'POST',
      headers: { cookie: 'sid=made-up' },
      body: '{"code":"123456"}',
    });
    answers.push({ status: response.status, headers: response.headers, text: await response.text() });
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()[0]).toMatch(/^sid=(?!made-up)/);
  });
});

describe('errorAnswer', () => {
  const error = (code: PhoneBindingErrorCode, extra: { retryAfterMs?: number } = {}) =>
    new PhoneBindingError({ code, message: `m ${code}`, ...extra });

  it.each<[PhoneBindingErrorCode, 'admin' | 'user', number]>([
    ['invalid_phone_number', 'admin', 400],
    ['invalid_input', 'user', 400],
    ['invalid_code', 'admin', 400],
    ['code_expired', 'admin', 410],
    ['too_many_attempts', 'admin', 429],
    ['rate_limited', 'user', 429],
    ['phone_in_use', 'admin', 409],
    ['not_found', 'admin', 404],
    ['unsupported', 'admin', 501],
    ['unauthenticated', 'admin', 502],
    ['unauthenticated', 'user', 401],
    ['forbidden', 'admin', 502],
    ['forbidden', 'user', 403],
    ['provider_error', 'admin', 502],
    ['invalid_response', 'user', 502],
    ['network', 'admin', 502],
    ['timeout', 'admin', 504],
  ])('%s (%s scope) → %i', (code, scope, status) => {
    expect(errorAnswer(error(code), scope)).toMatchObject({ status, code, message: `m ${code}` });
  });

  it('rounds Retry-After up to whole seconds, 60 when the SDK does not know', () => {
    expect(errorAnswer(error('rate_limited', { retryAfterMs: 1_001 }), 'admin').retryAfter).toBe(2);
    expect(errorAnswer(error('rate_limited', { retryAfterMs: 30_000 }), 'admin').retryAfter).toBe(30);
    expect(errorAnswer(error('too_many_attempts'), 'admin').retryAfter).toBe(60);
    expect(errorAnswer(error('timeout'), 'admin').retryAfter).toBeUndefined();
  });

  it('anything else is a generic 500', () => {
    expect(errorAnswer(new Error('at /srv/x.ts'), 'admin')).toEqual({
      status: 500,
      code: 'internal',
      message: 'Something went wrong on the server.',
    });
  });
});
