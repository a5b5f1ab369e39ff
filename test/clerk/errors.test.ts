import { describe, expect, it } from 'vitest';
import { clerk } from '../../adapters/clerk/index.js';
import {
  type ErrorEvent,
  maskPhoneNumber,
  type Operation,
  type PhoneBinding,
  type PhoneBindingErrorCode,
} from '../../src/index.js';
import { type ErrorCase, errorReply, expectMappedError } from '../support/errors.js';
import { errorHook, expectOneErrorEvent, THROWING_ERROR_HOOK } from '../support/hooks.js';
import { callOperation } from '../support/operations.js';
import {
  CODE,
  clerkErrors,
  clerkTicket,
  DIGITS,
  expectNoLeak,
  NATIONAL,
  PHONE,
  PHONE_ID,
  phoneObject,
  type Reply,
  rejection,
  SECRET_KEY,
  TRACE_ID,
  USER_ID,
  useMockClerk,
  userObject,
} from './helpers.js';

const MASKED = maskPhoneNumber(PHONE);
const CF_RAY = '8f1e2d3c4b5a6978-FRA';
const CREATE = 'POST /v1/phone_numbers';
const ATTEMPT = `POST /v1/phone_numbers/${PHONE_ID}/attempt_verification`;
const PREPARE = `POST /v1/phone_numbers/${PHONE_ID}/prepare_verification`;
const GET_USER = `GET /v1/users/${USER_ID}`;
const DELETE_PHONE = `DELETE /v1/phone_numbers/${PHONE_ID}`;

function binding(extra: { hooks?: { error?: (event: ErrorEvent) => void } } = {}): PhoneBinding {
  // retry: 0 so a 5xx or 429 on a GET/DELETE is answered by the first reply (retries: wire.test.ts).
  return clerk({ secretKey: SECRET_KEY, retry: 0, ...extra });
}

function call(b: PhoneBinding, op: Operation): Promise<unknown> {
  return callOperation(b, op, {
    user: { userId: USER_ID },
    phoneNumber: PHONE,
    // verified: true: one request (the create) unless Clerk says the number exists.
    bind: { verified: true },
    ticket: clerkTicket,
    code: `  ${CODE} `,
  });
}

/** The request that meets the error: bind reads the user first, then creates the number. */
function firstLine(op: Operation): string {
  return { bind: CREATE, verify: ATTEMPT, resend: PREPARE, get: GET_USER, remove: GET_USER }[op];
}

/** The user without numbers: what bind reads before it creates. */
const NO_NUMBERS = { json: userObject([]) };

/** The answers before the error: bind's read of the user. */
function leadOf(c: Case): Reply[] {
  return c.lead ?? (c.op === 'bind' ? [NO_NUMBERS] : []);
}

/** The request lines of a case: bind's read of the user, then the request that meets the error. */
function linesOf(c: Case): string[] {
  return c.lines ?? (c.op === 'bind' ? [GET_USER, CREATE] : [firstLine(c.op)]);
}

/** Whether a 5xx on `op`'s request is retryable: not for a request that may have taken effect. */
function fiveHundredRetryable(op: Operation): boolean {
  // The create (bind), the attempt (verify) and the prepare (resend) create a record, check a
  // code or send an SMS: a 5xx may have done so, and is not to be repeated.
  return op === 'get' || op === 'remove';
}

/** One error answer, the requests around it, and what the adapter must make of it. */
interface Case extends ErrorCase {
  /** Answers before the error (e.g. the GET user of remove). */
  lead?: Reply[];
  /** Answers after the error (e.g. the GET user after form_identifier_exists). */
  follow?: Reply[];
  /** Every request line; default: the op's first line alone. */
  lines?: string[];
  requestId?: string;
}

const ALL_OPS: Operation[] = ['bind', 'verify', 'resend', 'get', 'remove'];
const WITH_PRIMARY = { json: userObject([phoneObject()], PHONE_ID) };

function known(
  op: Operation,
  status: number,
  providerCode: string,
  code: PhoneBindingErrorCode,
  extra: Partial<Case> = {},
): Case {
  return {
    name: `${status} ${providerCode} on ${op} → ${code}`,
    op,
    status,
    body: clerkErrors(providerCode),
    code,
    providerCode,
    requestId: TRACE_ID,
    retryable: false,
    ...extra,
  };
}

const CASES: Case[] = [
  ...ALL_OPS.map((op) => known(op, 401, 'authentication_invalid', 'unauthenticated')),
  ...ALL_OPS.map((op) => known(op, 403, 'authorization_invalid', 'forbidden')),
  ...ALL_OPS.map((op) => known(op, 404, 'resource_not_found', 'not_found')),
  known('remove', 404, 'resource_not_found', 'not_found', {
    name: '404 resource_not_found on the DELETE of remove → not_found',
    lead: [WITH_PRIMARY],
    lines: [GET_USER, DELETE_PHONE],
  }),
  // The user was just read and does not hold the number: someone else's, no second read.
  known('bind', 422, 'form_identifier_exists', 'phone_in_use'),
  known('verify', 422, 'form_code_incorrect', 'invalid_code'),
  known('verify', 400, 'verification_expired', 'code_expired'),
  known('verify', 400, 'verification_failed', 'too_many_attempts'),
  known('verify', 400, 'verification_not_sent', 'invalid_input'),
  known('verify', 400, 'request_body_invalid', 'invalid_input'),
  known('bind', 400, 'request_body_invalid', 'invalid_input'),
  ...['form_param_missing', 'form_param_nil', 'form_param_unknown'].map((providerCode) =>
    known('bind', 422, providerCode, 'invalid_input'),
  ),
  known('bind', 422, 'form_param_format_invalid', 'invalid_phone_number'),
  known('bind', 403, 'unsupported_country_code', 'invalid_phone_number'),
  known('resend', 403, 'unsupported_country_code', 'invalid_phone_number'),
  known('bind', 403, 'not_allowed_access', 'forbidden'),
  known('resend', 403, 'not_allowed_access', 'forbidden'),
  known('resend', 429, 'verification_code_too_many_requests', 'rate_limited', {
    headers: { 'Retry-After': '30' },
    retryable: true,
    retryAfterMs: 30_000,
  }),
  ...ALL_OPS.map((op) =>
    known(op, 429, 'too_many_requests', 'rate_limited', {
      name: `429 with an unknown code and Retry-After: 12 on ${op} → rate_limited, 12 s`,
      headers: { 'Retry-After': '12' },
      retryable: true,
      retryAfterMs: 12_000,
    }),
  ),
  known('bind', 429, 'too_many_requests', 'rate_limited', {
    name: '429 without Retry-After → rate_limited without retryAfterMs',
    retryable: true,
  }),
  {
    name: '429 with an empty body → rate_limited',
    op: 'get',
    status: 429,
    text: '',
    headers: { 'Retry-After': '3' },
    code: 'rate_limited',
    retryable: true,
    retryAfterMs: 3000,
  },
  known('resend', 400, 'sms_send_error', 'provider_error'),
  known('resend', 400, 'dev_monthly_sms_limit_exceeded', 'provider_error'),
  known('verify', 400, 'some_new_clerk_code', 'provider_error', {
    name: 'unknown code at 400 → provider_error',
  }),
  known('bind', 400, 'identification_create_second_factor_unverified', 'provider_error'),
  known('remove', 400, 'last_required_identification_deletion_failed', 'provider_error', {
    lead: [WITH_PRIMARY],
    lines: [GET_USER, DELETE_PHONE],
  }),
  known('get', 401, 'some_new_auth_code', 'unauthenticated', {
    name: 'unknown code at 401 → unauthenticated (by status)',
  }),
  known('get', 404, 'some_new_missing_code', 'not_found', {
    name: 'unknown code at 404 → not_found (by status)',
  }),
  {
    name: "the catalogue's IdentificationExists with an empty code (400) → provider_error",
    op: 'bind',
    status: 400,
    body: clerkErrors(''),
    code: 'provider_error',
    providerCode: '',
    requestId: TRACE_ID,
    retryable: false,
  },
  ...ALL_OPS.flatMap((op) => [
    known(op, 500, 'internal_clerk_error', 'provider_error', { retryable: fiveHundredRetryable(op) }),
    known(op, 503, 'service_unavailable', 'provider_error', { retryable: fiveHundredRetryable(op) }),
  ]),
  known('bind', 503, 'service_unavailable', 'provider_error', {
    name: '503 with Retry-After on bind → provider_error, not retryable (the create may have happened), retryAfterMs',
    headers: { 'Retry-After': '5' },
    retryable: false,
    retryAfterMs: 5000,
  }),
  ...ALL_OPS.map(
    (op): Case => ({
      name: `non-JSON 502 on ${op} → provider_error, requestId from cf-ray`,
      op,
      status: 502,
      text: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      headers: { 'content-type': 'text/html', 'cf-ray': CF_RAY },
      code: 'provider_error',
      requestId: CF_RAY,
      retryable: fiveHundredRetryable(op),
    }),
  ),
  {
    name: 'an empty 401 → unauthenticated',
    op: 'get',
    status: 401,
    text: '',
    code: 'unauthenticated',
    retryable: false,
  },
  ...(
    [
      [400, 'provider_error', false],
      [401, 'unauthenticated', false],
      [403, 'forbidden', false],
      [404, 'not_found', false],
      [422, 'provider_error', false],
      [429, 'rate_limited', true],
      // resend: the prepare may have sent an SMS.
      [500, 'provider_error', false],
    ] as const
  ).map(
    ([status, code, retryable]): Case => ({
      name: `an empty errors array at ${status} → ${code} (status mapping)`,
      op: 'resend',
      status,
      body: { errors: [] },
      headers: { 'cf-ray': CF_RAY },
      code,
      requestId: CF_RAY,
      retryable,
    }),
  ),
  {
    name: 'a JSON body that is not ClerkErrors → status mapping',
    op: 'verify',
    status: 403,
    body: { message: 'Forbidden by a proxy' },
    code: 'forbidden',
    retryable: false,
  },
];

const { requests, reply } = useMockClerk();

describe('Clerk error answers (ClerkErrors: errors[0].code decides, the status when unknown)', () => {
  it.each(CASES)('$name', async (c) => {
    reply(...leadOf(c), errorReply(c), ...(c.follow ?? []));
    const error = await rejection(call(binding(), c.op));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(linesOf(c));
    expectMappedError(error, c, 'clerk');
    expect(error.message).toContain('Clerk');
    // A 5xx that may have taken effect says so.
    if ((c.status ?? 0) >= 500 && !c.retryable) expect(error.message).toMatch(/may have/i);
    expect(error.requestId).toBe(c.requestId);
    expectNoLeak(error);
  });
});

describe('requestId and providerCode', () => {
  it('clerk_trace_id wins over cf-ray', async () => {
    reply({ status: 422, json: clerkErrors('form_code_incorrect'), headers: { 'cf-ray': CF_RAY } });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.requestId).toBe(TRACE_ID);
  });

  it('without clerk_trace_id the cf-ray header is the requestId', async () => {
    reply({
      status: 422,
      json: clerkErrors('form_code_incorrect', { trace: null }),
      headers: { 'cf-ray': CF_RAY },
    });
    const error = await rejection(call(binding(), 'verify'));
    expect(error).toMatchObject({
      code: 'invalid_code',
      providerCode: 'form_code_incorrect',
      requestId: CF_RAY,
    });
  });

  it('neither: no requestId', async () => {
    reply({ status: 422, json: clerkErrors('form_code_incorrect', { trace: null }) });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.requestId).toBeUndefined();
    expect(error).not.toHaveProperty('requestId');
  });

  it('with several errors, errors[0] decides and details keep them all', async () => {
    const body = {
      errors: [
        { code: 'form_param_missing', message: 'is missing', long_message: 'user_id is missing', meta: {} },
        { code: 'form_identifier_exists', message: 'is taken', long_message: 'taken', meta: {} },
      ],
      clerk_trace_id: TRACE_ID,
    };
    reply(NO_NUMBERS, { status: 422, json: body });
    const error = await rejection(call(binding(), 'bind'));
    expect(requests).toHaveLength(2);
    expect(error).toMatchObject({
      code: 'invalid_input',
      providerCode: 'form_param_missing',
      requestId: TRACE_ID,
    });
    expect(error.details).toEqual(body);
  });

  // Regression: the body's clerk_trace_id is the requestId even when errors is empty.
  it('an empty errors array still reports the body clerk_trace_id as requestId', async () => {
    reply({ status: 500, json: { errors: [], clerk_trace_id: TRACE_ID } });
    const error = await rejection(call(binding(), 'get'));
    expect(error).toMatchObject({ code: 'provider_error', status: 500, retryable: true });
    expect(error.requestId).toBe(TRACE_ID);
  });
});

describe('errors inside HTTP 200 answers', () => {
  it.each([
    ['unverified', 'invalid_code'],
    ['expired', 'code_expired'],
    ['failed', 'too_many_attempts'],
    ['something_new', 'invalid_response'],
  ] as const)('attempt_verification 200 status %s → %s, no status, not retryable', async (status, code) => {
    reply({
      json: {
        object: 'verification_otp',
        id: 'ver_1',
        status,
        strategy: 'phone_code',
        attempts: 2,
        expire_at: null,
        channel: 'sms',
      },
    });
    const error = await rejection(call(binding(), 'verify'));
    expect(error).toMatchObject({ code, providerCode: status, retryable: false, operation: 'verify' });
    expect(error.status).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expectNoLeak(error);
  });
});

describe('serialization', () => {
  it('the error serializes to JSON with every public field', async () => {
    const body = clerkErrors('verification_code_too_many_requests');
    reply({ status: 429, json: body, headers: { 'Retry-After': '30' } });
    const error = await rejection(call(binding(), 'resend'));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PhoneBindingError',
      code: 'rate_limited',
      message: expect.any(String),
      provider: 'clerk',
      operation: 'resend',
      status: 429,
      providerCode: 'verification_code_too_many_requests',
      requestId: TRACE_ID,
      retryable: true,
      retryAfterMs: 30_000,
      details: body,
    });
  });

  it('a 500 serializes with its body as details', async () => {
    const body = clerkErrors('internal_clerk_error');
    reply({ status: 500, json: body });
    const error = await rejection(call(binding(), 'get'));
    expect(error.toJSON()).toMatchObject({
      code: 'provider_error',
      status: 500,
      retryable: true,
      details: body,
    });
  });
});

describe('secrets echoed by Clerk are masked', () => {
  it('form_identifier_exists echoing the number (message, meta) is masked in every spelling', async () => {
    const body = clerkErrors('form_identifier_exists', {
      message: 'That phone number is taken. Please try another.',
      long_message: `${PHONE} (${NATIONAL}, ${DIGITS}) is taken`,
      meta: { param_name: 'phone_number', identifiers: [PHONE], phone_number: PHONE },
    });
    reply(NO_NUMBERS, { status: 422, json: body });
    const error = await rejection(call(binding(), 'bind'));
    expect(error.code).toBe('phone_in_use');
    const details = error.details as {
      errors: Array<{ long_message: string; meta: Record<string, unknown> }>;
    };
    expect(details.errors[0]!.long_message).toBe(`${MASKED} (${MASKED}, ${MASKED}) is taken`);
    expect(details.errors[0]!.meta).toEqual({
      param_name: 'phone_number',
      identifiers: [MASKED],
      phone_number: MASKED,
    });
    expectNoLeak(error);
  });

  it.each(['bind', 'verify', 'resend'] as const)('a number echoed in a %s 400 is masked', async (op) => {
    if (op === 'bind') reply(NO_NUMBERS);
    reply({
      status: 400,
      json: clerkErrors('sms_send_error', {
        long_message: `Could not send to ${PHONE} / ${DIGITS} / ${NATIONAL}`,
      }),
    });
    const error = await rejection(call(binding(), op));
    expect(error.code).toBe('provider_error');
    expect(JSON.stringify(error.details)).toContain(MASKED);
    expectNoLeak(error);
  });

  it('a code echoed in form_code_incorrect is masked', async () => {
    reply({
      status: 422,
      json: clerkErrors('form_code_incorrect', {
        long_message: `Code ${CODE} is incorrect`,
        meta: { param_name: 'code', code: CODE },
      }),
    });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.code).toBe('invalid_code');
    const details = error.details as {
      errors: Array<{ long_message: string; meta: Record<string, unknown> }>;
    };
    expect(details.errors[0]!.long_message).toBe('Code ••• is incorrect');
    expect(details.errors[0]!.meta).toEqual({ param_name: 'code', code: '•••' });
    expectNoLeak(error);
  });

  it('a code and number echoed in a non-JSON verify error are masked', async () => {
    reply({ status: 502, text: `<p>code=${CODE} for ${PHONE} (${NATIONAL}) failed</p>` });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.code).toBe('provider_error');
    expect(typeof error.details).toBe('string');
    expectNoLeak(error);
  });

  it('the secret key echoed in a 401 body is masked', async () => {
    reply({
      status: 401,
      json: clerkErrors('authentication_invalid', {
        long_message: `The secret key ${SECRET_KEY} is invalid`,
      }),
    });
    const error = await rejection(call(binding(), 'get'));
    expect(error.code).toBe('unauthenticated');
    const details = error.details as { errors: Array<{ long_message: string }> };
    expect(details.errors[0]!.long_message).toBe('The secret key ••• is invalid');
    expectNoLeak(error);
  });

  it('a secret key from a function, echoed in an HTML 401, is masked', async () => {
    const key = 'sk_live_fnKEY0987654';
    // A 401 with a credential function: the SDK asks the function again and repeats once.
    reply({ status: 401, text: `<p>bad key ${key}</p>` }, { status: 401, text: `<p>bad key ${key}</p>` });
    const b = clerk({ secretKey: async () => key, retry: 0 });
    const error = await rejection(b.get({ userId: USER_ID }));
    expect(error.code).toBe('unauthenticated');
    expectNoLeak(error, [key]);
  });

  it('a number echoed in the DELETE error of remove(phoneNumber) is masked in every spelling', async () => {
    reply(WITH_PRIMARY, {
      status: 400,
      json: clerkErrors('identification_deletion_failed', { long_message: `${DIGITS} / ${NATIONAL}` }),
    });
    const error = await rejection(binding().remove({ userId: USER_ID, phoneNumber: PHONE }));
    expect(requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
    expect(error).toMatchObject({ code: 'provider_error', providerCode: 'identification_deletion_failed' });
    expectNoLeak(error);
  });

  it('an invalid user answer on get holding the number is masked in details', async () => {
    // A record without id is read (the document allows it); one without phone_number is not.
    reply({
      json: {
        phone_numbers: [{ id: PHONE_ID, verification: null, note: PHONE }],
        primary_phone_number_id: null,
      },
    });
    const error = await rejection(call(binding(), 'get'));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
    expect(JSON.stringify(error.details)).not.toContain(PHONE);
    expectNoLeak(error);
  });

  it('an invalid create answer echoing the number is masked in details', async () => {
    // The code flow needs the created id to prepare: invalid_response naming id.
    const { id: _id, ...withoutId } = phoneObject({ verification: null });
    reply(NO_NUMBERS, { json: withoutId });
    const error = await rejection(binding().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(error.message).toContain('(id)');
    expect(error.code).toBe('invalid_response');
    expect((error.details as { phone_number: string }).phone_number).toBe(MASKED);
    expectNoLeak(error);
  });

  it('a failed bind cleanup keeps the details masked next to leftUnverifiedPhoneNumberId', async () => {
    reply(
      NO_NUMBERS,
      { json: phoneObject({ verification: null }) },
      { status: 500, json: clerkErrors('internal_clerk_error', { long_message: `SMS to ${PHONE} failed` }) },
      { status: 500, json: clerkErrors('internal_clerk_error') },
    );
    const error = await rejection(binding().bind({ userId: USER_ID, phoneNumber: PHONE }));
    expect(error.details).toMatchObject({ leftUnverifiedPhoneNumberId: PHONE_ID });
    expectNoLeak(error);
  });

  it('a 200 that is not JSON on verify, echoing number and code, is masked', async () => {
    reply({ text: `OK ${PHONE} ${CODE}` });
    const error = await rejection(call(binding(), 'verify'));
    expect(error.code).toBe('invalid_response');
    expectNoLeak(error);
  });
});

describe('error hook', () => {
  it('receives the thrown error once, masked', async () => {
    const hook = errorHook();
    reply({
      status: 422,
      json: clerkErrors('form_code_incorrect', { long_message: `Code ${CODE} for ${PHONE} is wrong` }),
    });
    const error = await rejection(call(binding({ hooks: { error: hook } }), 'verify'));
    expectNoLeak(expectOneErrorEvent(hook, { provider: 'clerk', operation: 'verify', error }));
  });

  it('is called for input errors too (no request)', async () => {
    const hook = errorHook();
    const error = await rejection(binding({ hooks: { error: hook } }).get({ userId: '..' }));
    expect(requests).toHaveLength(0);
    expect(hook).toHaveBeenCalledWith({ type: 'error', provider: 'clerk', operation: 'get', error });
  });

  it('is called once for a bind whose prepare and cleanup failed', async () => {
    const hook = errorHook();
    reply(
      NO_NUMBERS,
      { json: phoneObject({ verification: null }) },
      { status: 500, json: clerkErrors('internal_clerk_error') },
      { status: 500, json: clerkErrors('internal_clerk_error') },
    );
    const error = await rejection(
      binding({ hooks: { error: hook } }).bind({ userId: USER_ID, phoneNumber: PHONE }),
    );
    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook.mock.calls[0]![0].error).toBe(error);
    expectNoLeak(hook.mock.calls[0]![0]);
  });

  it('a throwing hook does not change the error', async () => {
    reply(NO_NUMBERS, { status: 403, json: clerkErrors('authorization_invalid') });
    const error = await rejection(call(binding({ hooks: THROWING_ERROR_HOOK }), 'bind'));
    expect(error.code).toBe('forbidden');
  });
});
