import { describe, expect, it } from 'vitest';
import { authing } from '../../adapters/authing/index.js';
import type { Operation, PhoneBinding, PhoneBindingErrorCode, VerificationTicket } from '../../src/index.js';
import { expectErrorFields } from '../support/errors.js';
import { recordHooks } from '../support/hooks.js';
import { newTicket } from '../support/tickets.js';
import {
  APP_ID,
  BASE,
  CN_NATIONAL,
  CN_PHONE,
  CODE,
  expectNoLeak,
  failure,
  NATIONAL,
  NO_PHONE,
  OK,
  PATHS,
  PHONE,
  profile,
  type Reply,
  rejection,
  SECRETS,
  TOKEN,
  useMockAuthing,
} from './helpers.js';

/** Where a failure is answered: the request of an operation that carries the error. */
type Step = 'bind' | 'verify' | 'resend' | 'get' | 'remove-start' | 'remove-confirm';

interface StepSpec {
  operation: Operation;
  /** Replies to the requests that come before the failing one. */
  before: Reply[];
  /** Path of the failing request. */
  path: string;
  run: (binding: PhoneBinding) => Promise<unknown>;
}

function ticket(purpose: 'bind' | 'remove' = 'bind', phone = PHONE): VerificationTicket {
  return newTicket('authing', phone, { purpose, issuedAt: new Date(Date.now() - 120_000).toISOString() });
}

const STEPS: Record<Step, StepSpec> = {
  bind: {
    operation: 'bind',
    before: [NO_PHONE],
    path: PATHS.sendSms,
    run: (b) => b.bind({ phoneNumber: PHONE }),
  },
  verify: {
    operation: 'verify',
    before: [],
    path: PATHS.bindPhone,
    run: (b) => b.verify({ ticket: ticket(), code: ` ${CODE} ` }),
  },
  resend: {
    operation: 'resend',
    before: [],
    path: PATHS.sendSms,
    run: (b) => b.resend({ ticket: ticket() }),
  },
  get: { operation: 'get', before: [], path: PATHS.getProfile, run: (b) => b.get({}) },
  'remove-start': {
    operation: 'remove',
    before: [profile({ phone: NATIONAL, phoneCountryCode: '+41', phoneVerified: true })],
    path: PATHS.sendSms,
    run: (b) => b.remove({}),
  },
  'remove-confirm': {
    operation: 'remove',
    before: [],
    path: PATHS.unbindPhone,
    run: (b) => b.remove({ ticket: ticket('remove'), code: CODE }),
  },
};

function adapter(options: Partial<Parameters<typeof authing>[0]> = {}): PhoneBinding {
  // retry: 0 so a real 5xx on get-profile is answered by the first reply (retries: wire.test.ts).
  return authing({ baseUrl: BASE, accessToken: TOKEN, appId: APP_ID, retry: 0, ...options });
}

/** A failure Authing reports inside an HTTP 200 body, and what the adapter must make of it. */
interface BodyCase {
  name: string;
  step: Step;
  body: Record<string, unknown>;
  code: PhoneBindingErrorCode;
  retryable: boolean;
  retryAfterMs?: number;
  /** The message says the request may have taken effect (a 5xx-class failure of a non-idempotent request). */
  mayHaveActed?: RegExp;
}

/** A 5xx-class failure of send-sms: it may have sent an SMS, so it is not retryable. */
const MAY_HAVE_SENT = /may have reached the backend and sent an SMS/;
/** A 5xx-class failure of a code check: it may have taken effect. */
const MAY_HAVE_ACTED = /may have taken effect/;

function bodyCase(
  step: Step,
  statusCode: number,
  apiCode: number | undefined,
  code: PhoneBindingErrorCode,
  retryable = false,
  retryAfterMs?: number,
): BodyCase {
  const api = apiCode === undefined ? '' : ` / apiCode ${apiCode}`;
  return {
    name: `statusCode ${statusCode}${api} on ${step} → ${code}`,
    step,
    body: failure(statusCode, apiCode),
    code,
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

const BODY_CASES: BodyCase[] = [
  // Credential.
  bodyCase('get', 401, undefined, 'unauthenticated'),
  bodyCase('bind', 401, undefined, 'unauthenticated'),
  bodyCase('get', 401, 2020, 'unauthenticated'),
  bodyCase('verify', 401, 2020, 'unauthenticated'),
  bodyCase('remove-confirm', 401, 2206, 'unauthenticated'),
  bodyCase('get', 401, 2207, 'unauthenticated'),
  // The apiCode wins over the statusCode class.
  bodyCase('verify', 400, 2206, 'unauthenticated'),
  bodyCase('resend', 400, 2207, 'unauthenticated'),
  bodyCase('get', 403, undefined, 'forbidden'),
  bodyCase('remove-start', 403, undefined, 'forbidden'),
  bodyCase('get', 404, undefined, 'not_found'),
  bodyCase('remove-confirm', 404, undefined, 'not_found'),
  // Phone taken.
  bodyCase('verify', 409, undefined, 'phone_in_use'),
  bodyCase('bind', 409, undefined, 'phone_in_use'),
  bodyCase('verify', 400, 2035, 'phone_in_use'),
  bodyCase('verify', 409, 2035, 'phone_in_use'),
  bodyCase('verify', 422, 1320004, 'phone_in_use'),
  // Throttle: Authing's one SMS per minute.
  bodyCase('bind', 429, undefined, 'rate_limited', true, 60_000),
  bodyCase('resend', 429, undefined, 'rate_limited', true, 60_000),
  bodyCase('remove-start', 429, undefined, 'rate_limited', true, 60_000),
  bodyCase('verify', 429, undefined, 'rate_limited', true, 60_000),
  // Codes.
  bodyCase('verify', 400, 2001, 'invalid_code'),
  bodyCase('remove-confirm', 400, 2001, 'invalid_code'),
  bodyCase('verify', 400, 2300, 'code_expired'),
  bodyCase('remove-confirm', 400, 2300, 'code_expired'),
  // 400 without a known apiCode: not guessed from the operation (the v3 list is incomplete).
  bodyCase('bind', 400, undefined, 'provider_error'),
  bodyCase('verify', 400, undefined, 'provider_error'),
  bodyCase('get', 400, undefined, 'provider_error'),
  bodyCase('resend', 400, undefined, 'provider_error'),
  bodyCase('remove-confirm', 400, undefined, 'provider_error'),
  bodyCase('verify', 400, 9999, 'provider_error'),
  // Everything else.
  bodyCase('verify', 422, undefined, 'provider_error'),
  bodyCase('remove-confirm', 422, undefined, 'provider_error'),
  bodyCase('get', 500, undefined, 'provider_error', true),
  { ...bodyCase('bind', 500, undefined, 'provider_error'), mayHaveActed: MAY_HAVE_SENT },
  bodyCase('get', 503, undefined, 'provider_error', true),
  { ...bodyCase('verify', 503, undefined, 'provider_error'), mayHaveActed: MAY_HAVE_ACTED },
  bodyCase('bind', 499, 9999, 'provider_error'),
  bodyCase('verify', 499, 9999, 'provider_error'),
  bodyCase('get', 500, 9999, 'provider_error', true),
  bodyCase('get', 402, undefined, 'provider_error'),
  { ...bodyCase('bind', 601, undefined, 'provider_error'), mayHaveActed: MAY_HAVE_SENT },
];

const { requests, reply } = useMockAuthing();

describe('failures inside HTTP 200 bodies (statusCode != 200)', () => {
  it.each(BODY_CASES)('$name', async (c) => {
    const step = STEPS[c.step];
    reply(...step.before, { json: c.body });
    const error = await rejection(step.run(adapter()));
    expect(requests).toHaveLength(step.before.length + 1);
    expect(requests.at(-1)!.path).toBe(step.path);
    // No status: the failure came inside an HTTP 200.
    const providerCode = c.body.apiCode === undefined ? undefined : String(c.body.apiCode);
    expectErrorFields(error, {
      ...c,
      provider: 'authing',
      operation: step.operation,
      providerCode,
      details: c.body,
    });
    expect(error.requestId).toBe(c.body.requestId);
    // The localized backend text is never the message (quirk 8: key on codes, not on text).
    expect(error.message).not.toContain('localized failure text');
    if (c.mayHaveActed) expect(error.message).toMatch(c.mayHaveActed);
    expectNoLeak(error);
  });

  it('the example failure body of the wire reference (403 / apiCode 2333) → forbidden, providerCode 2333', async () => {
    const body = {
      statusCode: 403,
      apiCode: 2333,
      message: 'Account not exists or password is incorrect.',
      requestId: '934108e5-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    };
    reply({ json: body });
    const error = await rejection(adapter().get({}));
    expect(error).toMatchObject({
      code: 'forbidden',
      providerCode: '2333',
      requestId: body.requestId,
      retryable: false,
      operation: 'get',
      provider: 'authing',
      details: body,
    });
    expect(error.status).toBeUndefined();
  });

  it('a failure body without requestId gives requestId undefined', async () => {
    const body = { statusCode: 401, apiCode: 2020, message: 'not logged in' };
    reply({ json: body });
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('unauthenticated');
    expect(error.requestId).toBeUndefined();
    expect(error.details).toEqual(body);
  });

  it('a failing get-profile inside bind stops bind before any SMS', async () => {
    reply({ json: failure(401, 2020) });
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe(PATHS.getProfile);
    expect(error).toMatchObject({ code: 'unauthenticated', operation: 'bind', providerCode: '2020' });
  });

  it('a failing get-profile inside remove stops remove before any SMS', async () => {
    reply({ json: failure(403) });
    const error = await rejection(adapter().remove({}));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({ code: 'forbidden', operation: 'remove' });
    expect(error.status).toBeUndefined();
  });

  it('serializes to JSON with every public field and no status', async () => {
    reply(NO_PHONE, { json: failure(429, undefined, 'too fast', 'req-429') });
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PhoneBindingError',
      code: 'rate_limited',
      message: expect.any(String),
      provider: 'authing',
      operation: 'bind',
      requestId: 'req-429',
      retryable: true,
      retryAfterMs: 60_000,
      details: { statusCode: 429, message: 'too fast', requestId: 'req-429' },
    });
  });
});

describe('real HTTP errors (gateways, or an Authing that does use the status)', () => {
  it('a real 401 with the envelope → unauthenticated with status 401', async () => {
    const body = failure(401, 2020, 'not logged in', 'req-401');
    reply({ status: 401, json: body });
    const error = await rejection(adapter().get({}));
    expect(error).toMatchObject({
      code: 'unauthenticated',
      status: 401,
      providerCode: '2020',
      requestId: 'req-401',
      retryable: false,
      operation: 'get',
      provider: 'authing',
      details: body,
    });
    expectNoLeak(error);
  });

  it('a real 401 with an empty body → unauthenticated with status 401', async () => {
    reply({ status: 401, text: '' });
    const error = await rejection(adapter().verify({ ticket: ticket(), code: CODE }));
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401, retryable: false });
    expect(error.providerCode).toBeUndefined();
    expect(error.details).toBeUndefined();
  });

  it('a real 502 HTML page on verify → provider_error, not retryable (the code check may have run)', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    reply({ status: 502, text: html, headers: { 'content-type': 'text/html' } });
    const error = await rejection(adapter().verify({ ticket: ticket(), code: CODE }));
    expect(requests).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'provider_error',
      status: 502,
      retryable: false,
      operation: 'verify',
      provider: 'authing',
      details: html,
    });
    expect(error.message).toMatch(MAY_HAVE_ACTED);
    expect(error.providerCode).toBeUndefined();
    expectNoLeak(error);
  });

  it('a real 502 HTML page on get (retry: 0) → provider_error, retryable', async () => {
    reply({ status: 502, text: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } });
    const error = await rejection(adapter().get({}));
    expect(error).toMatchObject({ code: 'provider_error', status: 502, retryable: true, operation: 'get' });
  });

  it('a real 429 with Retry-After: 30 → rate_limited retryAfterMs 30000', async () => {
    reply(NO_PHONE, {
      status: 429,
      json: failure(429, undefined, 'slow down', 'req-429'),
      headers: { 'Retry-After': '30' },
    });
    const error = await rejection(adapter().bind({ phoneNumber: PHONE }));
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: 30_000,
      retryable: true,
      requestId: 'req-429',
      operation: 'bind',
      provider: 'authing',
    });
  });

  it('a real 429 with Retry-After: 30 and a non-JSON body on verify → retryAfterMs 30000', async () => {
    reply({ status: 429, text: 'Too Many Requests', headers: { 'Retry-After': '30' } });
    const error = await rejection(adapter().verify({ ticket: ticket(), code: CODE }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 30_000, retryable: true });
  });

  it('a real 429 with the envelope and no Retry-After → Authing’s 60 s', async () => {
    reply({ status: 429, json: failure(429) });
    const error = await rejection(adapter().resend({ ticket: ticket() }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 60_000, retryable: true });
  });

  it('a real 400 with the envelope and apiCode 2001 on verify → invalid_code with status 400', async () => {
    reply({ status: 400, json: failure(400, 2001) });
    const error = await rejection(adapter().verify({ ticket: ticket(), code: CODE }));
    expect(error).toMatchObject({
      code: 'invalid_code',
      status: 400,
      providerCode: '2001',
      retryable: false,
    });
  });

  it('a real 500 with a foreign JSON body on unbind-phone → provider_error, not retryable', async () => {
    reply({ status: 500, json: { error: 'internal', requestId: 'req-500' } });
    const error = await rejection(adapter().remove({ ticket: ticket('remove'), code: CODE }));
    expect(error).toMatchObject({
      code: 'provider_error',
      status: 500,
      retryable: false,
      operation: 'remove',
    });
    expect(error.message).toMatch(MAY_HAVE_ACTED);
    expect(error.providerCode).toBeUndefined();
  });

  it('a real 403 with the envelope → forbidden with status 403', async () => {
    reply({ status: 403, json: failure(403) });
    const error = await rejection(adapter().get({}));
    expect(error).toMatchObject({ code: 'forbidden', status: 403, requestId: 'req-fail-7e3a' });
  });
});

describe('secrets echoed by the backend are masked', () => {
  it('a +86 number echoed in a bind failure (E.164, digits, national) is masked in details', async () => {
    const body = {
      statusCode: 400,
      message: `Invalid phone +8618800008888 (8618800008888, ${CN_NATIONAL})`,
      requestId: 'req-echo',
      data: { phoneNumber: CN_NATIONAL, phoneCountryCode: '+86', phone: CN_PHONE },
    };
    reply(NO_PHONE, { json: body });
    const error = await rejection(adapter().bind({ phoneNumber: '+86 188 0000 8888' }));
    expect(error.code).toBe('provider_error');
    expect(error.details).not.toEqual(body);
    const details = JSON.stringify(error.details);
    expect(details).toContain('+86 ••• •• 88');
    expect(details).not.toContain('8618800008888');
    expectNoLeak(error);
  });

  it('a +86 number echoed with separators ("+86 188 0000 8888", "+86-188-0000-8888") is masked', async () => {
    const body = {
      statusCode: 409,
      apiCode: 2035,
      message: 'Phone +86 188 0000 8888 is taken (+86-188-0000-8888)',
      requestId: 'req-echo',
    };
    reply(NO_PHONE, { json: body });
    const error = await rejection(adapter().bind({ phoneNumber: CN_PHONE }));
    expect(error.code).toBe('phone_in_use');
    const details = JSON.stringify(error.details);
    expect(details).not.toContain('188 0000 8888');
    expect(details).not.toContain('188-0000-8888');
    expectNoLeak(error);
  });

  // Regression: grouped national notation (Authing's own examples) is masked too.
  it('a +86 number echoed in grouped national notation ("188 0000 8888") is masked in details', async () => {
    const body = { statusCode: 400, message: 'Invalid phone 188 0000 8888', requestId: 'req-echo' };
    reply(NO_PHONE, { json: body });
    const error = await rejection(adapter().bind({ phoneNumber: '+86 188 0000 8888' }));
    expect(error.code).toBe('provider_error');
    expect(JSON.stringify(error.details)).not.toContain('188 0000 8888');
  });

  it('the ticket’s number echoed in a verify failure is masked', async () => {
    const body = {
      statusCode: 400,
      apiCode: 2001,
      message: `Code for ${CN_NATIONAL} is wrong`,
      requestId: 'req-echo',
    };
    reply({ json: body });
    const error = await rejection(adapter().verify({ ticket: ticket('bind', CN_PHONE), code: CODE }));
    expect(error.code).toBe('invalid_code');
    expect(JSON.stringify(error.details)).toContain('+86 ••• •• 88');
    expectNoLeak(error);
  });

  it('the passCode echoed in a verify failure (message and a passCode field) is masked', async () => {
    const body = {
      statusCode: 400,
      apiCode: 2001,
      message: `passCode ${CODE} is wrong`,
      requestId: 'req-echo',
      data: { passCode: CODE, phoneNumber: NATIONAL },
    };
    reply({ json: body });
    const error = await rejection(adapter().verify({ ticket: ticket(), code: ` ${CODE} ` }));
    expect(error.code).toBe('invalid_code');
    expect(error.details).toEqual({
      statusCode: 400,
      apiCode: 2001,
      message: 'passCode ••• is wrong',
      requestId: 'req-echo',
      data: { passCode: '•••', phoneNumber: '••• •• 67' },
    });
    expectNoLeak(error);
  });

  it('the passCode echoed in an unbind-phone failure is masked', async () => {
    reply({ json: { statusCode: 400, apiCode: 2300, message: `code ${CODE} expired`, requestId: 'r' } });
    const error = await rejection(adapter().remove({ ticket: ticket('remove'), code: CODE }));
    expect(error.code).toBe('code_expired');
    expect(JSON.stringify(error.details)).toContain('•••');
    expectNoLeak(error);
  });

  it('the raw token echoed in a 200-body 401 is masked', async () => {
    reply({ json: { statusCode: 401, apiCode: 2020, message: `token ${TOKEN} expired`, requestId: 'r' } });
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('unauthenticated');
    expect(JSON.stringify(error.details)).toContain('token ••• expired');
    expectNoLeak(error);
  });

  it('a Bearer token from an async function, echoed in a real 401 HTML body, is masked', async () => {
    // A 401 with a credential function: the SDK asks the function again and repeats once.
    reply(
      { status: 401, text: `<p>bad header Bearer fn-${TOKEN}</p>` },
      { status: 401, text: `<p>bad header Bearer fn-${TOKEN}</p>` },
    );
    const b = adapter({ accessToken: async () => `fn-${TOKEN}`, authorization: 'bearer' });
    const error = await rejection(b.get({}));
    expect(error.code).toBe('unauthenticated');
    expect(error.status).toBe(401);
    expectNoLeak(error);
  });

  it('an invalid_response body holding the stored number does not leak it', async () => {
    reply(profile({ phone: CN_NATIONAL, phoneCountryCode: '+86', phoneVerified: 'yes', note: CN_PHONE }));
    const error = await rejection(adapter().get({}));
    expect(error.code).toBe('invalid_response');
    expectNoLeak(error);
  });
});

describe('hooks never see a number, a code or the token', () => {
  function expectClean(events: unknown[]): void {
    const serialized = JSON.stringify(events);
    for (const secret of SECRETS) expect(serialized).not.toContain(secret);
  }

  it('a full bind / verify / resend / get / remove flow', async () => {
    const { events, hooks } = recordHooks();
    reply(
      NO_PHONE,
      { json: OK },
      { json: OK },
      { json: OK },
      profile({ phone: CN_NATIONAL, phoneVerified: true }),
      profile({ phone: CN_NATIONAL, phoneVerified: true }),
      { json: OK },
      { json: OK },
    );
    const binding = adapter({ hooks });
    const started = await binding.bind({ phoneNumber: '+86 188 0000 8888' });
    if (started.state !== 'pending') throw new Error('expected pending');
    await binding.verify({ ticket: started.ticket, code: CODE });
    await binding.resend({ ticket: ticket('bind', CN_PHONE) });
    await binding.get({});
    await binding.remove({});
    await binding.remove({ ticket: ticket('remove', CN_PHONE), code: CODE });
    expect(events.filter((e) => e.type === 'request')).toHaveLength(8);
    expect(events.filter((e) => e.type === 'response')).toHaveLength(8);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(0);
    const paths: string[] = Object.values(PATHS);
    for (const event of events) {
      if (event.type === 'error') continue;
      expect(event.provider).toBe('authing');
      expect(new URL(event.url).origin).toBe(BASE);
      expect(paths).toContain(new URL(event.url).pathname);
    }
    expectClean(events);
  });

  it('a failing bind whose body echoes the number and the token', async () => {
    const { events, hooks } = recordHooks();
    reply(NO_PHONE, {
      json: {
        statusCode: 400,
        message: `bad phone ${CN_PHONE} / ${CN_NATIONAL} for token ${TOKEN}`,
        requestId: 'r',
      },
    });
    const error = await rejection(adapter({ hooks }).bind({ phoneNumber: CN_PHONE }));
    expect(hooks.error).toHaveBeenCalledTimes(1);
    const errorEvents = events.filter((e) => e.type === 'error');
    expect(errorEvents).toEqual([{ type: 'error', provider: 'authing', operation: 'bind', error }]);
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'request', 'response', 'error']);
    expectClean(events);
    expectNoLeak(error);
  });

  it('a failing verify whose body echoes the code', async () => {
    const { events, hooks } = recordHooks();
    reply({
      json: { statusCode: 400, apiCode: 2001, message: `code ${CODE} for ${CN_NATIONAL}`, requestId: 'r' },
    });
    const error = await rejection(
      adapter({ hooks }).verify({ ticket: ticket('bind', CN_PHONE), code: CODE }),
    );
    expect(error.code).toBe('invalid_code');
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
    expectClean(events);
    expectNoLeak(error);
  });

  it('a rate-limited resend (no request) still reports one masked error event', async () => {
    const { events, hooks } = recordHooks();
    const fresh = newTicket('authing', CN_PHONE);
    const error = await rejection(adapter({ hooks }).resend({ ticket: fresh }));
    expect(error.code).toBe('rate_limited');
    expect(requests).toHaveLength(0);
    expect(events).toEqual([{ type: 'error', provider: 'authing', operation: 'resend', error }]);
    expectClean(events);
  });

  it('a hook that throws does not change the outcome', async () => {
    reply({ json: failure(401, 2020) });
    const error = await rejection(
      adapter({
        hooks: {
          request: () => {
            throw new Error('observer broke');
          },
          error: () => {
            throw new Error('observer broke');
          },
        },
      }).get({}),
    );
    expect(error.code).toBe('unauthenticated');
  });
});
