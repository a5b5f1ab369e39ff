import type { VerificationTicket } from '../../src/index.js';
import {
  SWISS_DIGITS as DIGITS,
  SWISS_NATIONAL as NATIONAL,
  SWISS_PHONE as PHONE,
} from '../support/phones.js';
import * as recorder from '../support/recorder.js';
import { newTicket } from '../support/tickets.js';

export { OTHER_SWISS_PHONE as OTHER_PHONE, SWISS_PHONE_NUMBER as PHONE_NUMBER } from '../support/phones.js';
export type { Captured, Reply } from '../support/recorder.js';
export { rejection } from '../support/rejection.js';
export { settle } from '../support/settle.js';
export { DIGITS, NATIONAL, PHONE };

/** Origin of the mocked ETNA Trader host; every path on it is recorded. */
export const ORIGIN = 'https://etna.example.test';
/** The Trading API root as ETNA documents it (path included). */
export const BASE = `${ORIGIN}/api`;
/** Bearer token used by the adapter under test. */
export const TOKEN = 'etna_tok_s3cr3t_value';
/** App key used by the adapter under test (sent as Et-App-Key). */
export const APP_KEY = 'etna_appkey_s3cr3t';
/** A verification code. */
export const CODE = '583102';
/** ETNA's numeric user id. */
export const USER_ID = '4521';
/** The token id (m_Item2) of the first bind. */
export const TOKEN_ID = 1925;
/** Path of the phone resource of {@link USER_ID} under {@link BASE}. */
export const PHONE_PATH = `/api/v1.0/users/${USER_ID}/subscriptions/settings/phonenumber`;
/** Raw search string of the bind request for {@link PHONE}. */
export const BIND_SEARCH = '?phoneNumber=%2B41791234567';

/** ETNA's bind answer: a serialized .NET Tuple<PhoneNumberModel, Int32>. */
export function bindAnswer(
  state = 'NotVerified',
  tokenId: unknown = TOKEN_ID,
  phone: string | null = PHONE,
): Record<string, unknown> {
  return { m_Item1: { PhoneNumber: phone, PhoneNumberState: state }, m_Item2: tokenId };
}

/** ETNA's PhoneNumberModel, as verify and get answer it. */
export function phoneModel(state: string, phone: string | null = PHONE): Record<string, unknown> {
  return { PhoneNumber: phone, PhoneNumberState: state };
}

/**
 * The answer to the read every bind sends first (GET …/phonenumber): the user has no number, so
 * the bind goes on to the PUT.
 */
export const NO_PHONE = { json: phoneModel('NotLinked', null) };

/** A bind ticket as the ETNA adapter issues it. */
export function etnaTicket(overrides: Partial<VerificationTicket> = {}): VerificationTicket {
  return newTicket('etna', PHONE, { userId: USER_ID, data: { tokenId: TOKEN_ID }, ...overrides });
}

/**
 * Records every request to {@link ORIGIN} and answers with the queued replies, in order (an empty
 * body when a reply gives none; an unqueued request gets a 599).
 */
export const useMockEtna = () => recorder.useMockBackend({ origins: [ORIGIN] });

/** Every value that must never show up in an error or a hook event. */
export const SECRETS: readonly string[] = [PHONE, DIGITS, NATIONAL, CODE, TOKEN, APP_KEY];

/** Asserts that neither the serialized value nor (for errors) its message shows a secret. */
export const expectNoLeak = recorder.expectNoLeakOf(SECRETS);

/** What {@link expectRequest} checks besides the request line. */
export interface Expected {
  /** Raw search string; default ''. */
  search?: string;
  token?: string;
  appKey?: string;
  /** Further headers that must be present with these values. */
  headers?: Record<string, string>;
}

/**
 * Asserts the request line, the raw query, both credentials, `accept` and the empty body (none of
 * ETNA's phone operations takes one).
 */
export const expectRequest = recorder.expectRequestOf((expected: Expected = {}) => ({
  search: expected.search,
  headers: {
    authorization: `Bearer ${expected.token ?? TOKEN}`,
    'et-app-key': expected.appKey ?? APP_KEY,
    accept: 'application/json',
  },
  more: expected.headers,
}));
