import { describe, expect, it } from 'vitest';
import { etna } from '../../adapters/etna/index.js';
import { type ErrorEvent, maskPhoneNumber, type Operation, type PhoneBinding } from '../../src/index.js';
import { type ErrorCase, errorReply, expectMappedError } from '../support/errors.js';
import { errorHook, expectOneErrorEvent, THROWING_ERROR_HOOK } from '../support/hooks.js';
import { callOperation } from '../support/operations.js';
import {
  APP_KEY,
  BASE,
  CODE,
  DIGITS,
  etnaTicket,
  expectNoLeak,
  NATIONAL,
  NO_PHONE,
  PHONE,
  PHONE_PATH,
  phoneModel,
  type Reply,
  rejection,
  TOKEN,
  TOKEN_ID,
  USER_ID,
  useMockEtna,
} from './helpers.js';

const MASKED = maskPhoneNumber(PHONE);

function binding(extra: { hooks?: { error?: (event: ErrorEvent) => void } } = {}): PhoneBinding {
  // retry: 0 so a 5xx on get/remove is answered by the first reply (retries: wire.test.ts).
  return etna({ baseUrl: BASE, token: TOKEN, appKey: APP_KEY, retry: 0, ...extra });
}

function call(b: PhoneBinding, op: Operation): Promise<unknown> {
  return callOperation(b, op, {
    user: { userId: USER_ID },
    phoneNumber: PHONE,
    ticket: etnaTicket,
    code: `  ${CODE} `,
  });
}

/** The requests each operation sends (bind reads the current number before its PUT). */
function expectedLines(op: Operation): string[] {
  return {
    bind: [`GET ${PHONE_PATH}`, `PUT ${PHONE_PATH}`],
    verify: [`PUT ${PHONE_PATH}/token/${TOKEN_ID}`],
    resend: [`PUT ${PHONE_PATH}`],
    get: [`GET ${PHONE_PATH}`],
    remove: [`DELETE ${PHONE_PATH}`],
  }[op];
}

/** The operations whose request sends an SMS or checks a code: a 5xx may have taken effect. */
const ACTING: readonly Operation[] = ['bind', 'verify', 'resend'];

const DENIED = { Message: 'Authorization has been denied for this request.' };
const NO_APP_KEY = { error: 'Application key is not defined or does not exist' };
const NO_RESOURCE = {
  Message: "No HTTP resource was found that matches the request URI 'https://etna.example.test/api/v1.0/…'",
};
const UNSUPPORTED_VERSION = {
  Error: {
    Code: 'UnsupportedApiVersion',
    Message: "The HTTP resource that matches the request URI '…' does not support the API version '9.0'.",
  },
};
const NO_USER = {
  Model: null,
  Errors: ['User with id 4521 was not found'],
  StatusCode: 500,
  IsSucceed: false,
};
const UNEXPECTED = {
  message: 'An error occurred while processing your request',
  error: 'Unexpected server error',
};

const ALL_OPS: Operation[] = ['bind', 'verify', 'resend', 'get', 'remove'];

const CASES: ErrorCase[] = [
  ...ALL_OPS.map(
    (op): ErrorCase => ({
      name: `401 {Message:'Authorization has been denied…'} on ${op} → unauthenticated`,
      op,
      status: 401,
      body: DENIED,
      code: 'unauthenticated',
      retryable: false,
    }),
  ),
  ...ALL_OPS.map(
    (op): ErrorCase => ({
      name: `401 {error:'Application key is not defined…'} on ${op} → unauthenticated`,
      op,
      status: 401,
      body: NO_APP_KEY,
      code: 'unauthenticated',
      retryable: false,
    }),
  ),
  {
    name: 'empty 401 on get → unauthenticated',
    op: 'get',
    status: 401,
    text: '',
    code: 'unauthenticated',
    retryable: false,
  },
  ...ALL_OPS.map(
    (op): ErrorCase => ({
      name: `403 on ${op} → forbidden`,
      op,
      status: 403,
      body: { Message: 'Forbidden' },
      code: 'forbidden',
      retryable: false,
    }),
  ),
  {
    name: 'empty 403 on remove → forbidden',
    op: 'remove',
    status: 403,
    text: '',
    code: 'forbidden',
    retryable: false,
  },
  {
    name: "404 {Message:'No HTTP resource…'} on bind → not_found",
    op: 'bind',
    status: 404,
    body: NO_RESOURCE,
    code: 'not_found',
    retryable: false,
  },
  {
    name: "404 {Message:'No HTTP resource…'} on verify → not_found",
    op: 'verify',
    status: 404,
    body: NO_RESOURCE,
    code: 'not_found',
    retryable: false,
  },
  {
    name: "404 {Message:'No HTTP resource…'} on remove → not_found",
    op: 'remove',
    status: 404,
    body: NO_RESOURCE,
    code: 'not_found',
    retryable: false,
  },
  ...(['bind', 'verify', 'get', 'remove'] as const).map(
    (op): ErrorCase => ({
      name: `404 {Error:{Code:'UnsupportedApiVersion'}} on ${op} → provider_error`,
      op,
      status: 404,
      body: UNSUPPORTED_VERSION,
      code: 'provider_error',
      providerCode: 'UnsupportedApiVersion',
      retryable: false,
    }),
  ),
  {
    name: '400 {Error:{Code:…}} on bind keeps Error.Code as providerCode',
    op: 'bind',
    status: 400,
    body: { Error: { Code: 'InvalidPhoneNumber', Message: 'bad' } },
    code: 'provider_error',
    providerCode: 'InvalidPhoneNumber',
    retryable: false,
  },
  ...ALL_OPS.map(
    (op): ErrorCase => ({
      name: `500 {Model:null,Errors:[…],IsSucceed:false} on ${op} → provider_error, ${ACTING.includes(op) ? 'not retryable' : 'retryable'}`,
      op,
      status: 500,
      body: NO_USER,
      code: 'provider_error',
      retryable: !ACTING.includes(op),
    }),
  ),
  ...ALL_OPS.map(
    (op): ErrorCase => ({
      name: `500 {message,error:'Unexpected server error'} on ${op} → provider_error, ${ACTING.includes(op) ? 'not retryable' : 'retryable'}`,
      op,
      status: 500,
      body: UNEXPECTED,
      code: 'provider_error',
      retryable: !ACTING.includes(op),
    }),
  ),
  ...(['bind', 'verify', 'get', 'remove'] as const).map(
    (op): ErrorCase => ({
      name: `409 with an empty body on ${op} → provider_error`,
      op,
      status: 409,
      text: '',
      code: 'provider_error',
      retryable: false,
    }),
  ),
  ...(['bind', 'verify', 'resend', 'get'] as const).map(
    (op): ErrorCase => ({
      name: `429 with Retry-After: 12 on ${op} → rate_limited, 12 s`,
      op,
      status: 429,
      text: '',
      headers: { 'Retry-After': '12' },
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 12_000,
    }),
  ),
  {
    name: '429 without Retry-After on bind → rate_limited without retryAfterMs',
    op: 'bind',
    status: 429,
    body: { Message: 'Too many requests' },
    code: 'rate_limited',
    retryable: true,
  },
  ...[400, 422].flatMap((status) =>
    [
      { what: "{Message:'Invalid code'}", body: { Message: 'Invalid code' } },
      { what: "{error:'x'}", body: { error: 'x' } },
      { what: 'an empty body', text: '' },
      {
        what: "{Error:{Code:'TokenExpired'}}",
        body: { Error: { Code: 'TokenExpired', Message: 'expired' } },
      },
    ].map(
      ({ what, ...answer }): ErrorCase => ({
        name: `verify answered ${status} ${what} → invalid_code`,
        op: 'verify',
        status,
        ...answer,
        code: 'invalid_code',
        ...('body' in answer && what.includes('TokenExpired') ? { providerCode: 'TokenExpired' } : {}),
        retryable: false,
      }),
    ),
  ),
  {
    name: 'verify answered 409 → provider_error (not invalid_code)',
    op: 'verify',
    status: 409,
    text: '',
    code: 'provider_error',
    retryable: false,
  },
  {
    name: 'verify answered 409 with a body → provider_error (not invalid_code)',
    op: 'verify',
    status: 409,
    body: { Message: 'Conflict' },
    code: 'provider_error',
    retryable: false,
  },
  {
    name: 'bind answered 400 is no invalid_code (only verify has codes)',
    op: 'bind',
    status: 400,
    body: { Message: 'Invalid code' },
    code: 'provider_error',
    retryable: false,
  },
  ...(['bind', 'verify', 'get', 'remove'] as const).map(
    (op): ErrorCase => ({
      name: `non-JSON 502 on ${op} → provider_error, ${ACTING.includes(op) ? 'not retryable' : 'retryable'}`,
      op,
      status: 502,
      text: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      headers: { 'content-type': 'text/html' },
      code: 'provider_error',
      retryable: !ACTING.includes(op),
    }),
  ),
  {
    name: '504 on get → provider_error, retryable',
    op: 'get',
    status: 504,
    text: 'Gateway Timeout',
    code: 'provider_error',
    retryable: true,
  },
];

const { requests, reply } = useMockEtna();

/** Queues `answer` for the request `op` acts with: bind's PUT comes after its read (no number). */
function answer(op: Operation, ...answers: Reply[]): void {
  if (op === 'bind') reply(NO_PHONE);
  reply(...answers);
}

describe('ETNA error answers (wire reference "Common error shapes")', () => {
  it.each(CASES)('$name', async (c) => {
    answer(c.op, errorReply(c));
    const error = await rejection(call(binding(), c.op));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(expectedLines(c.op));
    expectMappedError(error, c, 'etna');
    // Every message names the backend; a 5xx to a request that may have acted says so.
    expect(error.message).toContain('ETNA');
    if (ACTING.includes(c.op) && c.status >= 500) {
      expect(error.message).toContain(c.op === 'verify' ? 'may have taken effect' : 'sent an SMS');
    } else {
      expect(error.message).not.toContain('may have');
    }
    expectNoLeak(error);
  });
});

describe('the read before a bind', () => {
  it.each([
    ['401', { status: 401, json: DENIED }, 'unauthenticated', false],
    ['403', { status: 403, json: { Message: 'Forbidden' } }, 'forbidden', false],
    ['500 IsSucceed:false (an unknown user)', { status: 500, json: NO_USER }, 'provider_error', true],
  ] as const)('answered %s fails the bind with no PUT sent', async (_name, failure, code, retryable) => {
    reply(failure);
    const error = await rejection(binding().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${PHONE_PATH}`]);
    // Nothing was sent that could have acted: the read's own rule, no "may have sent" note.
    expect(error).toMatchObject({ code, retryable, operation: 'bind', provider: 'etna' });
    expect(error.message).toContain('ETNA');
    expect(error.message).not.toContain('may have');
    expectNoLeak(error);
  });
});

describe('serialization', () => {
  it('the error serializes to JSON with every public field', async () => {
    answer('bind', { status: 429, json: { Message: 'Too many requests' }, headers: { 'Retry-After': '12' } });
    const error = await rejection(call(binding(), 'bind'));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PhoneBindingError',
      code: 'rate_limited',
      message: expect.any(String),
      provider: 'etna',
      operation: 'bind',
      status: 429,
      retryable: true,
      retryAfterMs: 12_000,
      details: { Message: 'Too many requests' },
    });
  });

  it('a 500 with IsSucceed:false serializes with its body as details', async () => {
    reply({ status: 500, json: NO_USER });
    const error = await rejection(call(binding(), 'get'));
    expect(error.toJSON()).toMatchObject({
      code: 'provider_error',
      status: 500,
      retryable: true,
      details: NO_USER,
    });
  });
});

describe('secrets echoed by ETNA are masked in details', () => {
  it.each(['bind', 'verify', 'resend'] as const)(
    'a number echoed in a %s error is masked in every spelling',
    async (op) => {
      const body = {
        Message: `Number ${PHONE} rejected`,
        Errors: [`digits ${DIGITS}`, `national 0${NATIONAL}`, `encoded %2B${DIGITS}`],
      };
      answer(op, { status: 400, json: body });
      const error = await rejection(call(binding(), op));
      expect(error.details).not.toEqual(body);
      expect((error.details as { Message: string }).Message).toBe(`Number ${MASKED} rejected`);
      expectNoLeak(error);
    },
  );

  it("the 404 'No HTTP resource' message echoing the bind URI is masked", async () => {
    const body = {
      Message: `No HTTP resource was found that matches the request URI '${BASE}/v1.0/users/${USER_ID}/subscriptions/settings/phonenumber?phoneNumber=%2B${DIGITS}'.`,
    };
    answer('bind', { status: 404, json: body });
    const error = await rejection(call(binding(), 'bind'));
    expect(error.code).toBe('not_found');
    expect(JSON.stringify(error.details)).toContain(MASKED);
    expectNoLeak(error);
  });

  it('a PhoneNumber field in an error body is masked whole', async () => {
    answer('bind', {
      status: 500,
      json: { Model: { PhoneNumber: PHONE, PhoneNumberState: 'Suspended' }, IsSucceed: false },
    });
    const error = await rejection(call(binding(), 'bind'));
    expect(error.details).toEqual({
      Model: { PhoneNumber: MASKED, PhoneNumberState: 'Suspended' },
      IsSucceed: false,
    });
    expectNoLeak(error);
  });

  it('a number echoed in a get error is masked (international form)', async () => {
    reply({ status: 500, json: { Message: `Stored number ${PHONE} is corrupt` } });
    const error = await rejection(call(binding(), 'get'));
    expect(error.details).toEqual({ Message: `Stored number ${MASKED} is corrupt` });
    expectNoLeak(error);
  });

  it('a number echoed in a remove(phoneNumber) DELETE error is masked in every spelling', async () => {
    reply(
      { json: phoneModel('Active') },
      { status: 500, json: { Message: `cannot unbind ${DIGITS} / ${NATIONAL}` } },
    );
    const error = await rejection(binding().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
    expect(error.code).toBe('provider_error');
    expectNoLeak(error);
  });

  it('a code echoed in a verify error is masked', async () => {
    const body = { Message: `Invalid code ${CODE}`, tokenValue: CODE };
    reply({ status: 400, json: body });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.code).toBe('invalid_code');
    expect(error.details).toEqual({ Message: 'Invalid code •••', tokenValue: '•••' });
    expectNoLeak(error);
  });

  it('a code echoed in a non-JSON verify error is masked', async () => {
    reply({ status: 422, text: `<p>tokenValue=${CODE} for ${PHONE} is wrong</p>` });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.code).toBe('invalid_code');
    expect(typeof error.details).toBe('string');
    expectNoLeak(error);
  });

  it('the token and the app key echoed in a 401 body are masked', async () => {
    reply({
      status: 401,
      json: { Message: `Token ${TOKEN} denied`, error: `Application key ${APP_KEY} does not exist` },
    });
    const error = await rejection(call(binding(), 'get'));
    expect(error.code).toBe('unauthenticated');
    expect(error.details).toEqual({
      Message: 'Token ••• denied',
      error: 'Application key ••• does not exist',
    });
    expectNoLeak(error);
  });

  it('credentials from functions, echoed in an HTML 401, are masked', async () => {
    // A 401 with a credential function: the SDK asks the function again and repeats once.
    reply(
      { status: 401, text: `<p>bad token fn-${TOKEN} with key fn-${APP_KEY}</p>` },
      { status: 401, text: `<p>bad token fn-${TOKEN} with key fn-${APP_KEY}</p>` },
    );
    const b = etna({ baseUrl: BASE, token: async () => `fn-${TOKEN}`, appKey: () => `fn-${APP_KEY}` });
    const error = await rejection(b.get({ userId: USER_ID }));
    expect(error.code).toBe('unauthenticated');
    expectNoLeak(error);
  });

  it('an invalid bind answer echoing the number is masked in details', async () => {
    answer('bind', {
      json: { m_Item1: { PhoneNumber: PHONE, PhoneNumberState: 'NotVerified' }, m_Item2: 'x' },
    });
    const error = await rejection(call(binding(), 'bind'));
    expect(error.code).toBe('invalid_response');
    expect(error.details).toEqual({
      m_Item1: { PhoneNumber: MASKED, PhoneNumberState: 'NotVerified' },
      m_Item2: 'x',
    });
    expectNoLeak(error);
  });

  it('a non-JSON 200 on verify echoing the number and code is masked', async () => {
    reply({ text: `OK ${PHONE} ${CODE}` });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.code).toBe('invalid_response');
    expectNoLeak(error);
  });
});

describe('error hook', () => {
  it('receives the thrown error once, masked', async () => {
    const hook = errorHook();
    reply({ status: 400, json: { Message: `Code ${CODE} for ${PHONE} is invalid` } });
    const error = await rejection(call(binding({ hooks: { error: hook } }), 'verify'));
    expectNoLeak(expectOneErrorEvent(hook, { provider: 'etna', operation: 'verify', error }));
  });

  it('is called for input errors too (no request)', async () => {
    const hook = errorHook();
    const error = await rejection(binding({ hooks: { error: hook } }).get({ userId: 'abc' }));
    expect(requests).toHaveLength(0);
    expect(hook).toHaveBeenCalledWith({ type: 'error', provider: 'etna', operation: 'get', error });
  });

  it('a throwing hook does not change the error', async () => {
    answer('bind', { status: 403, json: { Message: 'Forbidden' } });
    const error = await rejection(call(binding({ hooks: THROWING_ERROR_HOOK }), 'bind'));
    expect(error.code).toBe('forbidden');
  });
});
