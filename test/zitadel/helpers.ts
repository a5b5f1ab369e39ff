import { SWISS_NATIONAL as NATIONAL, SWISS_PHONE as PHONE } from '../support/phones.js';
import * as recorder from '../support/recorder.js';

export { OTHER_SWISS_PHONE as OTHER_PHONE, SWISS_PHONE_NUMBER as PHONE_NUMBER } from '../support/phones.js';
export type { Captured, Reply } from '../support/recorder.js';
export { rejection } from '../support/rejection.js';
export { settle } from '../support/settle.js';
export { NATIONAL, PHONE };

/** Base URL of the mocked Zitadel instance. */
export const BASE = 'https://zitadel.example.test';
/** Service token / access token used by the adapters under test. */
export const TOKEN = 'tok_s3cr3t_value';
/** A verification code. */
export const CODE = 'ABC123';
/** A user id that needs percent-encoding in a path segment. */
export const USER_ID = 'a/b c';
/** Its encoded form. */
export const USER_ID_ENCODED = 'a%2Fb%20c';

/** Zitadel's mutation answer. */
export const DETAILS = {
  details: { sequence: '12', changeDate: '2026-07-10T09:52:56.123Z', resourceOwner: '69629023906488334' },
};

/** A REST-gateway error body (google.rpc.Status JSON) with a zitadel.v1.ErrorDetail. */
export function zitadelError(code: number, id: string, text: string): Record<string, unknown> {
  return {
    code,
    message: `${text} (${id})`,
    details: [{ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id, message: text }],
  };
}

/** A v2 GetUserByID answer holding `phone` (the `human.phone` object) as given. */
export function userWithPhone(phone: Record<string, unknown>): Record<string, unknown> {
  return {
    ...DETAILS,
    user: { userId: USER_ID, state: 'USER_STATE_ACTIVE', human: { phone } },
  };
}

/**
 * Records every request to {@link BASE} and answers with the queued replies, in order
 * ({@link DETAILS} when a reply gives no body; an unqueued request gets a 599).
 */
export const useMockZitadel = () => recorder.useMockBackend({ origins: [BASE], defaultJson: DETAILS });

/** Asserts that neither the serialized error nor its message shows a secret. */
export const expectNoLeak = recorder.expectNoLeakOf([PHONE, NATIONAL, CODE, TOKEN]);

/** Asserts the request line, the credential, `accept`, the query (none) and the exact body. */
export const expectRequest = recorder.expectRequestOf((body: unknown, token: string = TOKEN) => ({
  headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  json: body,
  anyContentTypeWithoutBody: true,
}));
