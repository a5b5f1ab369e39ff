import type { VerificationTicket } from '../../src/index.js';
import { normalizedPhone } from '../support/phones.js';
import * as recorder from '../support/recorder.js';
import { settle as settleWithin } from '../support/settle.js';
import { newTicket } from '../support/tickets.js';

export type { Captured, Reply } from '../support/recorder.js';
export { rejection } from '../support/rejection.js';

/** Clerk's Backend API origin: the adapter's default base URL. */
export const ORIGIN = 'https://api.clerk.com';
/** A second host, for base URLs with a path (a proxy in front of Clerk). */
export const PROXY_ORIGIN = 'https://clerk-proxy.example.test';
/** Instance secret key used by the adapter under test. */
export const SECRET_KEY = 'sk_test_s3cr3tKEYvalue9a8b7c';
/** The API version the adapter pins. */
export const API_VERSION = '2026-05-12';
/**
 * The number every test binds, in E.164. Clerk's test-number range (+1 XXX 555-01XX) with a real
 * area code: the wire reference's illustrative +15555550100 is not a valid number (no area code
 * 555), and the SDK refuses invalid numbers before any request.
 */
export const PHONE = '+12015550100';
/** Its digits without the plus. */
export const DIGITS = '12015550100';
/** Its national significant number. */
export const NATIONAL = '2015550100';
/** A verification code. */
export const CODE = '583102';
/** Clerk user id. */
export const USER_ID = 'user_2abcDEF123ghi';
/** Id of the phone number record the first create returns. */
export const PHONE_ID = 'idn_2xyzPHONE0001';
/** Id of the first verification prepare returns. */
export const VERIFICATION_ID = 'ver_2first000001';
/** A clerk trace id, as Clerk puts it in error bodies. */
export const TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** When the first code expires: Unix ms (2099-01-01T00:10:00Z, always in the future). */
export const EXPIRE_AT = Date.UTC(2099, 0, 1, 0, 10);
/** Another user's / another number, never in a user's list unless a test puts it there. */
export const OTHER_PHONE = '+14155552671';

/** The normalized form of {@link PHONE}. */
export const PHONE_NUMBER = normalizedPhone(PHONE, '1', NATIONAL, 'US');

/** Verification objects as Clerk returns them. */
export function adminVerification(): Record<string, unknown> {
  return {
    object: 'verification_admin',
    status: 'verified',
    strategy: 'admin',
    attempts: null,
    expire_at: null,
  };
}

/** An OTP verification as embedded in a PhoneNumber. */
export function otpVerification(
  status: string,
  expireAt: number | null = EXPIRE_AT,
): Record<string, unknown> {
  return {
    object: 'verification_otp',
    status,
    strategy: 'phone_code',
    attempts: status === 'verified' ? 1 : 0,
    expire_at: expireAt,
    channel: 'sms',
  };
}

/** A BAPI PhoneNumber object (schema `PhoneNumber`). */
export function phoneObject(
  overrides: { id?: string; phone?: string; verification?: Record<string, unknown> | null } = {},
): Record<string, unknown> {
  return {
    id: overrides.id ?? PHONE_ID,
    object: 'phone_number',
    phone_number: overrides.phone ?? PHONE,
    reserved_for_second_factor: false,
    default_second_factor: false,
    reserved: false,
    verification: overrides.verification === undefined ? adminVerification() : overrides.verification,
    linked_to: [],
    backup_codes: null,
    created_at: 1767225600000,
    updated_at: 1767225600000,
  };
}

/** A `_VerificationResponse` body (prepare_verification / attempt_verification). */
export function verificationAnswer(
  overrides: { id?: string; status?: string; expireAt?: number | null; attempts?: number | null } = {},
): Record<string, unknown> {
  return {
    object: 'verification_otp',
    id: overrides.id ?? VERIFICATION_ID,
    status: overrides.status ?? 'unverified',
    strategy: 'phone_code',
    attempts: overrides.attempts === undefined ? 0 : overrides.attempts,
    expire_at: overrides.expireAt === undefined ? EXPIRE_AT : overrides.expireAt,
    channel: 'sms',
  };
}

/** A BAPI User with the given phone numbers. */
export function userObject(
  phoneNumbers: Array<Record<string, unknown>>,
  primaryPhoneNumberId: string | null = null,
): Record<string, unknown> {
  return {
    id: USER_ID,
    object: 'user',
    username: null,
    first_name: 'Ada',
    last_name: 'Lovelace',
    image_url: 'https://img.clerk.com/default.png',
    has_image: false,
    primary_email_address_id: 'idn_2email0001',
    primary_phone_number_id: primaryPhoneNumberId,
    primary_web3_wallet_id: null,
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    email_addresses: [],
    phone_numbers: phoneNumbers,
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    external_id: null,
    last_sign_in_at: null,
    banned: false,
    locked: false,
    created_at: 1767225600000,
    updated_at: 1767225600000,
  };
}

/** A ClerkErrors body. */
export function clerkErrors(
  code: string,
  extra: {
    message?: string;
    long_message?: string;
    meta?: Record<string, unknown>;
    trace?: string | null;
  } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    errors: [
      {
        code,
        message: extra.message ?? 'is invalid',
        long_message: extra.long_message ?? `Clerk says ${code}`,
        meta: extra.meta ?? {},
      },
    ],
  };
  if (extra.trace !== null) body.clerk_trace_id = extra.trace ?? TRACE_ID;
  return body;
}

/** A bind ticket as the Clerk adapter issues it. */
export function clerkTicket(overrides: Partial<VerificationTicket> = {}): VerificationTicket {
  return newTicket('clerk', PHONE, {
    userId: USER_ID,
    expiresAt: new Date(EXPIRE_AT).toISOString(),
    data: { phoneNumberId: PHONE_ID, verificationId: VERIFICATION_ID },
    ...overrides,
  });
}

/**
 * Records every request to {@link ORIGIN} and {@link PROXY_ORIGIN} and answers with the queued
 * replies, in order (an empty body when a reply gives none; an unqueued request gets a 599).
 */
export const useMockClerk = () => recorder.useMockBackend({ origins: [ORIGIN, PROXY_ORIGIN] });

/** Every value that must never show up in an error or a hook event. */
export const SECRETS: readonly string[] = [PHONE, DIGITS, NATIONAL, CODE, SECRET_KEY];

/** Asserts that neither the serialized value nor (for errors) its message and details show a secret. */
export const expectNoLeak = recorder.expectNoLeakOf(SECRETS);

/** What {@link expectRequest} checks besides the request line. */
export interface Expected {
  /** The exact JSON body; absent: no body and no content-type. */
  json?: unknown;
  /** Secret key expected after `Bearer `. */
  secretKey?: string;
  /** Expected origin; default {@link ORIGIN}. */
  origin?: string;
  /** Further headers that must be present with these values. */
  headers?: Record<string, string>;
}

/** Asserts the request line, the empty query, the credential, the version, `accept` and the body. */
export const expectRequest = recorder.expectRequestOf((expected: Expected = {}) => ({
  origin: expected.origin ?? ORIGIN,
  headers: {
    authorization: `Bearer ${expected.secretKey ?? SECRET_KEY}`,
    'clerk-api-version': API_VERSION,
    accept: 'application/json',
  },
  more: expected.headers,
  json: expected.json,
}));

/** {@link settleWithin} with room for Clerk's longer retry schedules (400 steps of 25 ms). */
export const settle = <T>(promise: Promise<T>) => settleWithin(promise, 400);
