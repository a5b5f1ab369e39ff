import { describe, expect, it } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import type {
  ErrorEvent,
  Operation,
  PhoneBinding,
  PhoneBindingErrorCode,
  ProviderId,
  VerificationTicket,
} from '../../src/index.js';
import { type ErrorCase, errorReply, expectMappedError } from '../support/errors.js';
import { errorHook, expectOneErrorEvent } from '../support/hooks.js';
import { callOperation } from '../support/operations.js';
import { newTicket } from '../support/tickets.js';
import {
  BASE,
  CODE,
  DETAILS,
  expectNoLeak,
  PHONE,
  type Reply,
  rejection,
  TOKEN,
  USER_ID,
  USER_ID_ENCODED,
  useMockZitadel,
  userWithPhone,
  zitadelError,
} from './helpers.js';

type Adapter = Extract<ProviderId, 'zitadel' | 'zitadel-self'>;

/** One error answer, the adapter it goes to, and what that adapter must make of it. */
interface Case extends ErrorCase {
  adapter: Adapter;
  providerCode: string | undefined;
  /** A 5xx to a request that may have taken effect: the message must say what it may have done. */
  mayHave?: 'sent an SMS' | 'taken effect';
}

/** Marks a 5xx case of a request that sends an SMS or checks a code: not retryable, and it says why. */
const MAY_HAVE_SENT = { retryable: false, mayHave: 'sent an SMS' } as const;
const MAY_HAVE_ACTED = { retryable: false, mayHave: 'taken effect' } as const;

function binding(adapter: Adapter, extra: { hooks?: { error?: (event: ErrorEvent) => void } } = {}) {
  // retry: 0 so a 5xx on get/remove is answered by the first reply (retries: wire.test.ts).
  return adapter === 'zitadel'
    ? zitadel({ baseUrl: BASE, token: TOKEN, retry: 0, ...extra })
    : zitadelSelf({ baseUrl: BASE, token: TOKEN, retry: 0, ...extra });
}

function ticket(adapter: Adapter): VerificationTicket {
  return newTicket(adapter, PHONE, adapter === 'zitadel' ? { userId: USER_ID } : {});
}

function call(b: PhoneBinding, adapter: Adapter, op: Operation): Promise<unknown> {
  const user = adapter === 'zitadel' ? { userId: USER_ID } : {};
  return callOperation(b, op, {
    user,
    phoneNumber: PHONE,
    ticket: () => ticket(adapter),
    code: `  ${CODE} `,
  });
}

/** Where each operation goes, to check that the error came from the one expected request. */
function expectedPath(adapter: Adapter, op: Operation): string {
  if (adapter === 'zitadel') {
    const phone = `/v2/users/${USER_ID_ENCODED}/phone`;
    return {
      bind: phone,
      verify: `${phone}/verify`,
      resend: `${phone}/resend`,
      get: `/v2/users/${USER_ID_ENCODED}`,
      remove: phone,
    }[op];
  }
  const phone = '/auth/v1/users/me/phone';
  return {
    bind: phone,
    verify: `${phone}/_verify`,
    resend: `${phone}/_resend_verification`,
    get: phone,
    remove: phone,
  }[op];
}

function idCase(
  adapter: Adapter,
  op: Operation,
  grpc: number,
  status: number,
  id: string,
  code: PhoneBindingErrorCode,
  text = 'localized text',
): Case {
  return {
    name: `${id} (gRPC ${grpc}, HTTP ${status}) on ${adapter} ${op} → ${code}`,
    adapter,
    op,
    status,
    body: zitadelError(grpc, id, text),
    code,
    providerCode: id,
    retryable: false,
  };
}

function grpcCase(
  adapter: Adapter,
  op: Operation,
  grpc: number,
  status: number,
  code: PhoneBindingErrorCode,
  retryable: boolean,
  extra: Partial<Case> = {},
): Case {
  return {
    name: `plain gRPC ${grpc} (HTTP ${status}, no details) on ${adapter} ${op} → ${code}`,
    adapter,
    op,
    status,
    body: { code: grpc, message: `gRPC ${grpc}`, details: [] },
    code,
    providerCode: `grpc:${grpc}`,
    retryable,
    ...extra,
  };
}

const ID_CASES: Case[] = [
  // v2 VerifyPhone: wrong and expired codes alike.
  idCase('zitadel', 'verify', 3, 400, 'COMMAND-eis9R', 'invalid_code', 'Code is invalid'),
  // v1 VerifyMyPhone.
  idCase('zitadel-self', 'verify', 3, 400, 'COMMAND-sM0cs', 'invalid_code', 'Code is invalid'),
  idCase('zitadel-self', 'verify', 5, 404, 'COMMAND-Rsj8c', 'code_expired', 'Code not found'),
  idCase('zitadel', 'bind', 3, 400, 'PHONE-so0wa', 'invalid_phone_number', 'Phone is invalid'),
  idCase('zitadel', 'bind', 3, 400, 'PHONE-Zt0NV', 'invalid_phone_number', 'Phone is empty'),
  idCase('zitadel-self', 'bind', 3, 400, 'PHONE-so0wa', 'invalid_phone_number', 'Phone is invalid'),
  idCase('zitadel-self', 'bind', 3, 400, 'PHONE-Zt0NV', 'invalid_phone_number', 'Phone is empty'),
  idCase('zitadel', 'resend', 9, 400, 'PHONE-5xrra88eq8', 'invalid_input', 'Code is empty'),
  idCase('zitadel-self', 'resend', 9, 400, 'COMMAND-2M9sf', 'invalid_input', 'Phone already verified'),
  idCase('zitadel', 'bind', 5, 404, 'COMMAND-ieJ2e', 'not_found', 'Phone not found'),
  idCase('zitadel', 'verify', 5, 404, 'COMMAND-ieJ2e', 'not_found', 'Phone not found'),
  idCase('zitadel', 'get', 5, 404, 'COMMAND-ieJ2e', 'not_found', 'Phone not found'),
  idCase('zitadel', 'remove', 9, 400, 'COMMAND-ieJ2e', 'not_found', 'Phone not found'),
  idCase('zitadel', 'resend', 9, 400, 'COMMAND-ieJ2e', 'not_found', 'Phone not found'),
  idCase('zitadel-self', 'resend', 5, 404, 'COMMAND-2b7Hf', 'not_found', 'Phone not found'),
  idCase('zitadel-self', 'remove', 5, 404, 'COMMAND-p6rsc', 'not_found', 'Phone not found'),
  // v1 "user missing" comes with FAILED_PRECONDITION (9), not NOT_FOUND.
  idCase('zitadel-self', 'bind', 9, 400, 'COMMAND-3M0fs', 'not_found', 'User not found'),
  idCase('zitadel-self', 'get', 9, 400, 'COMMAND-3M0fs', 'not_found', 'User not found'),
  idCase('zitadel', 'bind', 3, 400, 'COMMAND-xP292j', 'invalid_input', 'ID missing'),
  idCase('zitadel', 'verify', 3, 400, 'COMMAND-Fia4a', 'invalid_input', 'Code is empty'),
  idCase('zitadel', 'bind', 9, 400, 'COMMAND-uz0Uu', 'provider_error', 'User not initialised'),
  idCase('zitadel', 'get', 16, 401, 'AUTH-7fs1e', 'unauthenticated', 'Token invalid'),
  idCase('zitadel', 'bind', 16, 401, 'AUTH-toLo1', 'unauthenticated', 'invalid auth header'),
  idCase('zitadel-self', 'get', 16, 401, 'AUTH-toLo1', 'unauthenticated', 'invalid auth header'),
  idCase('zitadel-self', 'verify', 16, 401, 'AUTH-7fs1e', 'unauthenticated', 'Token invalid'),
];

/** A 429 that names its Retry-After, and the delay the error must carry. */
const RETRY_AFTER_7S = { headers: { 'Retry-After': '7' }, retryAfterMs: 7000 };

const GRPC_CASES: Case[] = [
  // Request validation (protoc-gen-validate): plain INVALID_ARGUMENT, no details.
  grpcCase('zitadel', 'bind', 3, 400, 'invalid_phone_number', false),
  grpcCase('zitadel-self', 'bind', 3, 400, 'invalid_phone_number', false),
  grpcCase('zitadel', 'verify', 3, 400, 'invalid_code', false),
  grpcCase('zitadel-self', 'verify', 3, 400, 'invalid_code', false),
  grpcCase('zitadel', 'get', 3, 400, 'invalid_input', false),
  grpcCase('zitadel', 'resend', 3, 400, 'invalid_input', false),
  grpcCase('zitadel', 'remove', 3, 400, 'invalid_input', false),
  grpcCase('zitadel', 'get', 1, 499, 'provider_error', false),
  grpcCase('zitadel', 'get', 2, 500, 'provider_error', true),
  grpcCase('zitadel', 'bind', 4, 504, 'timeout', false, MAY_HAVE_SENT),
  grpcCase('zitadel', 'get', 5, 404, 'not_found', false),
  grpcCase('zitadel-self', 'remove', 5, 404, 'not_found', false),
  grpcCase('zitadel', 'bind', 6, 409, 'provider_error', false),
  grpcCase('zitadel', 'bind', 7, 403, 'forbidden', false),
  grpcCase('zitadel-self', 'get', 7, 403, 'forbidden', false),
  grpcCase('zitadel', 'bind', 8, 429, 'rate_limited', true, RETRY_AFTER_7S),
  grpcCase('zitadel-self', 'resend', 8, 429, 'rate_limited', true, RETRY_AFTER_7S),
  grpcCase('zitadel', 'get', 8, 429, 'rate_limited', true, RETRY_AFTER_7S),
  grpcCase('zitadel', 'verify', 8, 429, 'rate_limited', true),
  grpcCase('zitadel', 'remove', 9, 400, 'provider_error', false),
  grpcCase('zitadel', 'bind', 10, 409, 'provider_error', false),
  grpcCase('zitadel', 'get', 11, 400, 'provider_error', false),
  grpcCase('zitadel', 'resend', 12, 501, 'provider_error', false, MAY_HAVE_SENT),
  grpcCase('zitadel', 'get', 13, 500, 'provider_error', true),
  grpcCase('zitadel', 'bind', 14, 503, 'provider_error', false, MAY_HAVE_SENT),
  grpcCase('zitadel-self', 'bind', 14, 503, 'provider_error', false, MAY_HAVE_SENT),
  grpcCase('zitadel', 'get', 15, 500, 'provider_error', true),
  grpcCase('zitadel', 'get', 16, 401, 'unauthenticated', false, {
    headers: { 'WWW-Authenticate': 'invalid token' },
  }),
  // A details-less body may omit `details` altogether.
  {
    name: 'plain gRPC 3 without a details key on zitadel verify → invalid_code',
    adapter: 'zitadel',
    op: 'verify',
    status: 400,
    body: { code: 3, message: 'invalid VerifyPhoneRequest.VerificationCode: value length must be …' },
    code: 'invalid_code',
    providerCode: 'grpc:3',
    retryable: false,
  },
];

/** A zitadel.error.v2.ErrorDetail: it names the error by a slug instead of an id. */
function v2Detail(slug: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@type': 'type.googleapis.com/zitadel.error.v2.ErrorDetail', slug, ...more };
}

/** The status part of Zitadel's answer to a wrong code (its details vary below). */
const INVALID_CODE = { code: 3, message: 'Code is invalid (COMMAND-eis9R)' };

const OTHER_CASES: Case[] = [
  {
    name: 'v2-style detail with a dotted slug instead of id → gRPC code decides, slug is providerCode',
    adapter: 'zitadel',
    op: 'bind',
    status: 400,
    body: {
      code: 3,
      message: 'Phone is invalid (user.phone.invalid)',
      details: [v2Detail('user.phone.invalid', { message: 'Phone is invalid', details: {} })],
    },
    code: 'invalid_phone_number',
    providerCode: 'user.phone.invalid',
    retryable: false,
  },
  {
    name: 'v2-style detail whose slug is a known id → mapped by the id table',
    adapter: 'zitadel',
    op: 'verify',
    status: 400,
    body: { ...INVALID_CODE, details: [v2Detail('COMMAND-eis9R', { message: 'Code is invalid' })] },
    code: 'invalid_code',
    providerCode: 'COMMAND-eis9R',
    retryable: false,
  },
  {
    name: 'v2-style slug with RESOURCE_EXHAUSTED → rate_limited',
    adapter: 'zitadel',
    op: 'resend',
    status: 429,
    body: {
      code: 8,
      message: 'quota exceeded (quota.exceeded)',
      details: [v2Detail('quota.exceeded')],
    },
    code: 'rate_limited',
    providerCode: 'quota.exceeded',
    retryable: true,
  },
  {
    name: 'an unknown id falls back to the gRPC code (5 → not_found) and is kept as providerCode',
    adapter: 'zitadel',
    op: 'get',
    status: 404,
    body: zitadelError(5, 'QUERY-Dfbg2', 'User could not be found'),
    code: 'not_found',
    providerCode: 'QUERY-Dfbg2',
    retryable: false,
  },
  {
    name: 'an unknown id with FAILED_PRECONDITION → provider_error',
    adapter: 'zitadel',
    op: 'bind',
    status: 400,
    body: zitadelError(9, 'COMMAND-xxx99', 'Something else'),
    code: 'provider_error',
    providerCode: 'COMMAND-xxx99',
    retryable: false,
  },
  {
    name: 'the ErrorDetail is found after another detail type',
    adapter: 'zitadel',
    op: 'verify',
    status: 400,
    body: {
      ...INVALID_CODE,
      details: [
        { '@type': 'type.googleapis.com/google.rpc.DebugInfo', detail: 'trace' },
        {
          '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail',
          id: 'COMMAND-eis9R',
          message: 'Code is invalid',
        },
      ],
    },
    code: 'invalid_code',
    providerCode: 'COMMAND-eis9R',
    retryable: false,
  },
  {
    name: 'a non-JSON 502 HTML body on bind → provider_error, not retryable (an SMS may be out)',
    adapter: 'zitadel',
    op: 'bind',
    status: 502,
    text: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    headers: { 'content-type': 'text/html' },
    code: 'provider_error',
    providerCode: undefined,
    ...MAY_HAVE_SENT,
  },
  {
    name: 'a non-JSON 502 HTML body on zitadelSelf get → provider_error, retryable',
    adapter: 'zitadel-self',
    op: 'get',
    status: 502,
    text: '<html>bad gateway</html>',
    headers: { 'content-type': 'text/html' },
    code: 'provider_error',
    providerCode: undefined,
    retryable: true,
  },
  {
    name: 'an empty 401 → unauthenticated',
    adapter: 'zitadel',
    op: 'get',
    status: 401,
    text: '',
    code: 'unauthenticated',
    providerCode: undefined,
    retryable: false,
  },
  {
    name: 'an empty 401 on zitadelSelf bind → unauthenticated',
    adapter: 'zitadel-self',
    op: 'bind',
    status: 401,
    text: '',
    code: 'unauthenticated',
    providerCode: undefined,
    retryable: false,
  },
  {
    name: 'an empty 403 → forbidden',
    adapter: 'zitadel',
    op: 'remove',
    status: 403,
    text: '',
    code: 'forbidden',
    providerCode: undefined,
    retryable: false,
  },
  {
    name: 'a 429 without Retry-After and a foreign JSON body → rate_limited without retryAfterMs',
    adapter: 'zitadel',
    op: 'bind',
    status: 429,
    body: { error: 'slow down' },
    code: 'rate_limited',
    providerCode: undefined,
    retryable: true,
  },
  {
    name: 'a foreign JSON 500 body on verify → provider_error, not retryable (the code may be checked)',
    adapter: 'zitadel-self',
    op: 'verify',
    status: 500,
    body: { error: 'internal' },
    code: 'provider_error',
    providerCode: undefined,
    ...MAY_HAVE_ACTED,
  },
];

/** The answer to bind's first request, the read of the user's number: none. */
function noPhone(adapter: Adapter): Reply {
  return { json: adapter === 'zitadel' ? userWithPhone({}) : DETAILS };
}

async function expectMapped(c: Case): Promise<void> {
  // bind reads the user's number first (for `replaces`); the error answers the set that follows.
  const before = c.op === 'bind' ? [noPhone(c.adapter)] : [];
  reply(...before, errorReply(c));
  const error = await rejection(call(binding(c.adapter), c.adapter, c.op));
  expect(requests).toHaveLength(before.length + 1);
  expect(requests[before.length]?.path).toBe(expectedPath(c.adapter, c.op));
  const { mayHave, ...fields } = c;
  expectMappedError(error, fields, c.adapter);
  if (mayHave) expect(error.message).toContain(mayHave);
  expectNoLeak(error);
}

const { requests, reply } = useMockZitadel();

describe('Zitadel error ids (wire reference "Phone-flow error ids" and the v1 list)', () => {
  it.each(ID_CASES)('$name', async (c) => {
    await expectMapped(c);
  });
});

describe('gRPC status codes without a known id', () => {
  it.each(GRPC_CASES)('$name', async (c) => {
    await expectMapped(c);
  });
});

describe('other error answers', () => {
  it.each(OTHER_CASES)('$name', async (c) => {
    await expectMapped(c);
  });
});

describe('the exact example bodies of the wire reference', () => {
  it('COMMAND-eis9R body from the reference on verify', async () => {
    const body = {
      code: 3,
      message: 'Code is invalid (COMMAND-eis9R)',
      details: [
        {
          '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail',
          id: 'COMMAND-eis9R',
          message: 'Code is invalid',
        },
      ],
    };
    reply({ status: 400, json: body });
    const error = await rejection(call(binding('zitadel'), 'zitadel', 'verify'));
    expect(error).toMatchObject({
      code: 'invalid_code',
      status: 400,
      providerCode: 'COMMAND-eis9R',
      retryable: false,
      operation: 'verify',
      provider: 'zitadel',
      details: body,
    });
    expectNoLeak(error);
  });

  it('the error serializes to JSON with every public field', async () => {
    reply(noPhone('zitadel'), {
      status: 429,
      json: { code: 8, message: 'slow down' },
      headers: { 'Retry-After': '7' },
    });
    const error = await rejection(call(binding('zitadel'), 'zitadel', 'bind'));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PhoneBindingError',
      code: 'rate_limited',
      message: expect.any(String),
      provider: 'zitadel',
      operation: 'bind',
      status: 429,
      providerCode: 'grpc:8',
      retryable: true,
      retryAfterMs: 7000,
      details: { code: 8, message: 'slow down' },
    });
  });
});

describe('secrets echoed by the backend are masked in details', () => {
  it('a number echoed in a bind error message is masked', async () => {
    const body = {
      code: 3,
      message: `invalid SetPhoneRequest.Phone: "${PHONE}" (digits 791234567) is not allowed`,
    };
    reply(noPhone('zitadel'), { status: 400, json: body });
    const error = await rejection(call(binding('zitadel'), 'zitadel', 'bind'));
    expect(error.code).toBe('invalid_phone_number');
    expect(error.details).not.toEqual(body);
    expect(JSON.stringify(error.details)).toContain('+41 ••• •• 67');
    expectNoLeak(error);
  });

  it('a number echoed by zitadelSelf bind is masked', async () => {
    reply(noPhone('zitadel-self'), {
      status: 400,
      json: zitadelError(3, 'PHONE-so0wa', `Phone ${PHONE} is invalid`),
    });
    const error = await rejection(call(binding('zitadel-self'), 'zitadel-self', 'bind'));
    expect(error.code).toBe('invalid_phone_number');
    expectNoLeak(error);
  });

  it('a code echoed in a verify error is masked', async () => {
    reply({ status: 400, json: zitadelError(3, 'COMMAND-eis9R', `Code ${CODE} is invalid`) });
    const error = await rejection(call(binding('zitadel'), 'zitadel', 'verify'));
    expect(error.code).toBe('invalid_code');
    expect(JSON.stringify(error.details)).toContain('•••');
    expectNoLeak(error);
  });

  it('the token echoed in a 401 body is masked', async () => {
    reply({ status: 401, json: { code: 16, message: `token ${TOKEN} is expired` } });
    const error = await rejection(call(binding('zitadel'), 'zitadel', 'get'));
    expect(error.code).toBe('unauthenticated');
    expectNoLeak(error);
  });

  it('the token from a token function, echoed in a 401 HTML body, is masked', async () => {
    // A 401 with a credential function: the SDK asks the function again and repeats once.
    reply(
      { status: 401, text: `<p>bad token fn-${TOKEN}</p>` },
      { status: 401, text: `<p>bad token fn-${TOKEN}</p>` },
    );
    const b = zitadelSelf({ baseUrl: BASE, token: async () => `fn-${TOKEN}` });
    const error = await rejection(b.get({}));
    expect(error.code).toBe('unauthenticated');
    expectNoLeak(error);
  });
});

describe('error hook', () => {
  it('receives the thrown error once, masked', async () => {
    const hook = errorHook();
    reply({ status: 400, json: zitadelError(3, 'COMMAND-eis9R', `Code ${CODE} is invalid`) });
    const error = await rejection(call(binding('zitadel', { hooks: { error: hook } }), 'zitadel', 'verify'));
    expectNoLeak(expectOneErrorEvent(hook, { provider: 'zitadel', operation: 'verify', error }).error);
  });
});
