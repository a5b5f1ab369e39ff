import { describe, expect, it } from 'vitest';
import { waitFromMessage } from '../../adapters/supabase/errors.js';
import { supabase, supabaseAdmin } from '../../adapters/supabase/index.js';
import type { PhoneBinding } from '../../src/index.js';
import { newTicket } from '../support/tickets.js';
import {
  ACCESS_TOKEN,
  API_KEY,
  BASE,
  CODE,
  DIGITS,
  expectNoLeak,
  gotrueError,
  PHONE,
  rejection,
  SECRET_KEY,
  USER_ID,
  useMockSupabase,
  user,
  withPhone,
} from './helpers.js';

const phones = (): PhoneBinding =>
  supabase({ baseUrl: BASE, apiKey: API_KEY, accessToken: ACCESS_TOKEN, retry: 0 });
const admin = (): PhoneBinding => supabaseAdmin({ baseUrl: BASE, secretKey: SECRET_KEY, retry: 0 });

describe('supabase errors', () => {
  const mock = useMockSupabase();

  // [GoTrue code, status, operation, expected code]
  const ROWS: Array<[string, number, 'bind' | 'verify' | 'get' | 'remove', string]> = [
    ['phone_exists', 422, 'bind', 'phone_in_use'],
    ['validation_failed', 400, 'bind', 'invalid_phone_number'],
    ['otp_expired', 403, 'verify', 'invalid_code'],
    ['over_sms_send_rate_limit', 429, 'bind', 'rate_limited'],
    ['over_request_rate_limit', 429, 'verify', 'rate_limited'],
    ['sms_send_failed', 422, 'bind', 'provider_error'],
    ['bad_json', 400, 'bind', 'invalid_input'],
    ['no_authorization', 401, 'get', 'unauthenticated'],
    ['bad_jwt', 403, 'get', 'unauthenticated'],
    ['session_not_found', 403, 'get', 'unauthenticated'],
    ['user_not_found', 403, 'get', 'not_found'],
    ['user_banned', 403, 'verify', 'forbidden'],
    ['insufficient_aal', 401, 'bind', 'forbidden'],
    ['user_sso_managed', 422, 'bind', 'forbidden'],
    ['manual_linking_disabled', 404, 'remove', 'unsupported'],
    ['single_identity_not_deletable', 422, 'remove', 'forbidden'],
    ['identity_not_found', 422, 'remove', 'not_found'],
    ['unexpected_audience', 403, 'remove', 'forbidden'],
    ['phone_provider_disabled', 400, 'bind', 'provider_error'],
    ['captcha_failed', 400, 'bind', 'provider_error'],
    ['something_new', 418, 'get', 'provider_error'],
  ];

  async function run(operation: string) {
    const p = phones();
    if (operation === 'verify') return p.verify({ ticket: newTicket('supabase', PHONE), code: CODE });
    if (operation === 'get') return p.get({});
    if (operation === 'remove') return p.remove({});
    return p.bind({ phoneNumber: PHONE });
  }

  it.each(ROWS)(
    '%s (%d on %s) → %s, providerCode kept, nothing leaks',
    async (code, status, operation, expected) => {
      // A backend can echo only what it was sent: the code only on verify.
      const said = operation === 'verify' ? ` code ${CODE}` : '';
      const body = gotrueError(code, `Phone ${PHONE} (${DIGITS})${said} refused`);
      // bind and remove read the user first.
      if (operation === 'bind') mock.reply({ json: user() });
      if (operation === 'remove') mock.reply({ json: withPhone(DIGITS) });
      mock.reply({ status, json: body, headers: { 'x-sb-error-code': code, 'sb-request-id': 'req-7f3a' } });
      const error = await rejection(run(operation));
      expect(error).toMatchObject({
        code: expected,
        status,
        providerCode: code,
        requestId: 'req-7f3a',
        operation,
      });
      expectNoLeak(error);
    },
  );

  it('the legacy body: error_code is the code, error_id the request id', async () => {
    mock.reply({
      status: 500,
      json: { code: 500, error_code: 'unexpected_failure', msg: 'boom', error_id: 'err-91c2' },
    });
    const error = await rejection(phones().get({}));
    expect(error).toMatchObject({
      code: 'provider_error',
      providerCode: 'unexpected_failure',
      requestId: 'err-91c2',
      retryable: true,
    });
  });

  it('x-sb-error-code alone tells the code when the body has none', async () => {
    mock.reply({ status: 422, text: 'oops', headers: { 'x-sb-error-code': 'phone_exists' } });
    const error = await rejection(phones().get({}));
    expect(error).toMatchObject({ code: 'phone_in_use', providerCode: 'phone_exists' });
  });

  it('the gateway’s 401 without a code is unauthenticated', async () => {
    mock.reply({ status: 401, json: { message: 'Invalid API key', hint: 'Double check your key' } });
    expect(await rejection(phones().get({}))).toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('over_sms_send_rate_limit: retryAfterMs from the seconds in the message (no Retry-After)', async () => {
    mock.reply(
      { json: user() },
      {
        status: 429,
        json: gotrueError(
          'over_sms_send_rate_limit',
          'For security purposes, you can only request this after 42 seconds.',
        ),
      },
    );
    const error = await rejection(phones().bind({ phoneNumber: PHONE }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 42_000, retryable: true });
    expect(waitFromMessage('SMS rate limit exceeded')).toBeUndefined();
    expect(waitFromMessage('… after 1 second.')).toBe(1000);
  });

  it('admin: 500 unexpected_failure on bind is provider_error (a taken number cannot be told), not retryable', async () => {
    mock.reply({ status: 500, json: gotrueError('unexpected_failure', 'Error updating user') });
    const error = await rejection(admin().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true }));
    expect(error).toMatchObject({
      code: 'provider_error',
      providerCode: 'unexpected_failure',
      retryable: false,
    });
    expect(error.message).toMatch(/another user holds the number/);
  });

  it('user: a PUT /user 500 unexpected_failure (no SMS provider) is provider_error, not retryable, sent once', async () => {
    mock.reply(
      { json: user() },
      { status: 500, json: gotrueError('unexpected_failure', 'Unable to get SMS provider') },
    );
    const binding = supabase({ baseUrl: BASE, apiKey: API_KEY, accessToken: ACCESS_TOKEN, retry: 2 });
    const error = await rejection(binding.bind({ phoneNumber: PHONE }));
    expect(error).toMatchObject({
      code: 'provider_error',
      providerCode: 'unexpected_failure',
      status: 500,
      retryable: false,
    });
    expect(error.message).toMatch(/no SMS provider/);
    expect(mock.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
  });

  it('admin: legacy Postgres 23505 is phone_in_use; not_admin is forbidden; user_not_found is not_found', async () => {
    mock.reply(
      {
        status: 500,
        json: { code: '23505', message: 'duplicate key value violates unique constraint "users_phone_key"' },
      },
      { status: 403, json: gotrueError('not_admin', 'User not allowed') },
      { status: 404, json: gotrueError('user_not_found', 'User not found') },
    );
    expect(
      await rejection(admin().bind({ userId: USER_ID, phoneNumber: PHONE, verified: true })),
    ).toMatchObject({
      code: 'phone_in_use',
    });
    expect(await rejection(admin().get({ userId: USER_ID }))).toMatchObject({ code: 'forbidden' });
    expect(await rejection(admin().get({ userId: USER_ID }))).toMatchObject({ code: 'not_found' });
  });
});
