import { SWISS_NATIONAL as NATIONAL, normalizedPhone, SWISS_PHONE as PHONE } from '../support/phones.js';
import * as recorder from '../support/recorder.js';

export { OTHER_SWISS_PHONE as OTHER_PHONE, SWISS_PHONE_NUMBER as PHONE_NUMBER } from '../support/phones.js';
export type { Captured, Reply } from '../support/recorder.js';
export { rejection } from '../support/rejection.js';
export { settle } from '../support/settle.js';
/** The Swiss number (its national significant number is what Authing's `phoneNumber` takes). */
export { NATIONAL, PHONE };

/** Base URL of the mocked Authing application domain (Authentication API). */
export const BASE = 'https://example.authing.test';
/** The end user's access token. */
export const TOKEN = 'tok_s3cr3t_user_value';
/** Application id (`x-authing-app-id`). */
export const APP_ID = 'app-60c9f1a2b3';
/** User pool id (`x-authing-userpool-id`). */
export const USER_POOL_ID = 'pool-5f1e2d3c4b';

/** A mainland China number, E.164 (the wire reference's example number). */
export const CN_PHONE = '+8618800008888';
/** Its national significant number. */
export const CN_NATIONAL = '18800008888';
/** A verification code. */
export const CODE = '739105';

/** The normalized form of {@link CN_PHONE}. */
export const CN_PHONE_NUMBER = normalizedPhone(CN_PHONE, '86', CN_NATIONAL, 'CN');

/** The v3 paths. */
export const PATHS = {
  sendSms: '/api/v3/send-sms',
  bindPhone: '/api/v3/bind-phone',
  unbindPhone: '/api/v3/unbind-phone',
  getProfile: '/api/v3/get-profile',
  verifyUpdatePhoneRequest: '/api/v3/verify-update-phone-request',
  updatePhone: '/api/v3/update-phone',
} as const;

/** Authing's success envelope (send-sms, bind-phone, unbind-phone: no `data`). */
export const OK = { statusCode: 200, message: 'success', requestId: 'req-ok-0001' };

/** A get-profile answer whose `data` (a `UserDto`) holds the given fields. */
export function profile(data: Record<string, unknown>): recorder.Reply {
  return {
    json: {
      statusCode: 200,
      message: 'success',
      requestId: 'req-profile-0001',
      data: { userId: 'user-0001', email: 'user@example.test', status: 'Activated', ...data },
    },
  };
}

/** get-profile of a user without a phone number. */
export const NO_PHONE = profile({ phone: null, phoneVerified: false });

/** An Authing failure envelope (as it arrives inside an HTTP 200, or a real 4xx/5xx). */
export function failure(
  statusCode: number,
  apiCode?: number,
  message = 'localized failure text',
  requestId = 'req-fail-7e3a',
): Record<string, unknown> {
  return {
    statusCode,
    message,
    ...(apiCode === undefined ? {} : { apiCode }),
    requestId,
  };
}

/**
 * Records every request to {@link BASE} and answers with the queued replies, in order ({@link OK}
 * when a reply gives no body; an unqueued request gets a 599).
 */
export const useMockAuthing = () => recorder.useMockBackend({ origins: [BASE], defaultJson: OK });

/** Every spelling of a secret the tests use that must never show. */
export const SECRETS = [PHONE, NATIONAL, CN_PHONE, CN_NATIONAL, CODE, TOKEN] as const;

/** Asserts that neither the serialized error nor its message shows a secret. */
export const expectNoLeak = recorder.expectNoLeakOf(SECRETS);

/**
 * Asserts the request line, no query, the raw credential, `accept`, the app id header and the
 * exact JSON body (`undefined`: no body and no content-type).
 */
export const expectRequest = recorder.expectRequestOf((body: unknown, authorization: string = TOKEN) => ({
  headers: { authorization, accept: 'application/json', 'x-authing-app-id': APP_ID },
  json: body,
}));
