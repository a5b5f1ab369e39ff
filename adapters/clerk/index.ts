/**
 * Clerk adapter: {@link clerk} (Backend API).
 * @packageDocumentation
 * @module phone-binding/clerk
 */
import * as z from 'zod/mini';
import { isPhoneBindingError, PhoneBindingError } from '../../src/errors.js';
import { createBinding } from '../../src/internal/binding.js';
import { type CallContext, HttpClient } from '../../src/internal/http.js';
import { checkCredential, checkId, invalidInput } from '../../src/internal/input.js';
import {
  checkAdapterOptions,
  refuseInBrowser,
  type ServerSecretOptions,
} from '../../src/internal/options.js';
import type { CheckedTicket } from '../../src/internal/ticket.js';
import { createTicket } from '../../src/internal/ticket.js';
import { readStoredPhoneNumber } from '../../src/phone.js';
import type {
  BoundPhone,
  Capabilities,
  CommonAdapterOptions,
  Credential,
  PendingVerification,
  PhoneBinding,
  PhoneNumber,
} from '../../src/types.js';
import { mapClerkError } from './errors.js';

export type { ServerSecretOptions } from '../../src/internal/options.js';

/**
 * The Backend API version this adapter is written against (sent as `Clerk-API-Version`).
 *
 * @example
 * ```ts
 * import { CLERK_API_VERSION } from 'phone-binding/clerk';
 *
 * // Call other Backend API endpoints with the same version the adapter uses.
 * const response = await fetch('https://api.clerk.com/v1/users/user_2abc', {
 *   headers: { authorization: `Bearer ${process.env.CLERK_SECRET_KEY}`, 'clerk-api-version': CLERK_API_VERSION },
 * });
 * ```
 */
export const CLERK_API_VERSION = '2026-05-12';

/**
 * Options of {@link clerk}.
 *
 * @example
 * ```ts
 * import { type ClerkOptions, clerk } from 'phone-binding/clerk';
 *
 * const options: ClerkOptions = {
 *   secretKey: process.env.CLERK_SECRET_KEY!, // baseUrl defaults to https://api.clerk.com
 *   timeout: 5_000,
 *   retry: 2,
 * };
 * const phones = clerk(options);
 * await phones.bind({ userId: 'user_2abc', phoneNumber: '+1 213 373 4253', primary: true });
 * ```
 */
export interface ClerkOptions extends Omit<CommonAdapterOptions, 'baseUrl'>, ServerSecretOptions {
  /** The instance secret key, `sk_live_…` / `sk_test_…`. Server only. */
  secretKey: Credential;
  /** The Backend API root; the adapter appends `/v1/…`. Default `https://api.clerk.com`. */
  baseUrl?: string;
}

/**
 * What the Clerk adapter can do.
 *
 * @example
 * ```ts
 * import { CLERK_CAPABILITIES } from 'phone-binding/clerk';
 *
 * CLERK_CAPABILITIES.primary; // true: bind({ primary: true }) makes the number the user's primary one
 * CLERK_CAPABILITIES.assertVerified; // true: bind({ verified: true }) sends no SMS
 * ```
 */
export const CLERK_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  scope: 'admin',
  // Through the Backend API's prepare_verification / attempt_verification.
  codeVerification: true,
  assertVerified: true,
  returnCode: false,
  resend: true,
  get: true,
  remove: true,
  primary: true,
  removeNeedsCode: false,
});

const verificationSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.string(),
  attempts: z.nullish(z.number()),
  expire_at: z.nullish(z.number()),
});
const phoneSchema = z.object({
  id: z.string().check(z.minLength(1)),
  phone_number: z.string(),
  verification: z.nullish(z.object({ status: z.string() })),
});
const userSchema = z.object({
  phone_numbers: z.array(phoneSchema),
  primary_phone_number_id: z.nullish(z.string()),
});
const deletedSchema = z.object({ deleted: z.boolean() });

/**
 * Clerk's Backend API, acting as admin on any user with the instance secret key:
 * `POST /v1/phone_numbers` creates a number (verified at once with `verified: true`), and a code
 * flow runs through `POST /v1/phone_numbers/{id}/prepare_verification` and `…/attempt_verification`;
 * `GET /v1/users/{user_id}` reads the primary number; `DELETE /v1/phone_numbers/{id}` removes one.
 * Holds a server secret, so it refuses to be created in a browser unless `dangerouslyAllowBrowser: true`.
 *
 * @example
 * ```ts
 * import { clerk } from 'phone-binding/clerk';
 * const phones = clerk({ secretKey: process.env.CLERK_SECRET_KEY! });
 * await phones.bind({ userId: 'user_2abc', phoneNumber: '+1 213 373 4253', verified: true, primary: true });
 * ```
 */
export function clerk(options: ClerkOptions): PhoneBinding {
  const withDefault = { ...options, baseUrl: options?.baseUrl ?? 'https://api.clerk.com' };
  const { common, record } = checkAdapterOptions(withDefault, 'clerk', [
    'secretKey',
    'dangerouslyAllowBrowser',
  ]);
  refuseInBrowser('clerk', 'secretKey', record.dangerouslyAllowBrowser);
  const secretKey = checkCredential(record.secretKey, 'secretKey');
  const provider = 'clerk' as const;
  const http = new HttpClient({
    provider,
    ...common,
    // Clerk refuses a request whose version header holds two values: the adapter owns this one.
    fixedHeaders: { 'clerk-api-version': CLERK_API_VERSION },
    credentials: [
      {
        header: 'authorization',
        credential: secretKey,
        field: 'secretKey',
        format: (value) => `Bearer ${value}`,
      },
    ],
    mapError: mapClerkError,
  });

  function toBound(
    record: z.infer<typeof phoneSchema>,
    primaryId: string | null | undefined,
    call: CallContext,
  ): BoundPhone {
    const phone = readStoredPhoneNumber(record.phone_number);
    if (!phone) {
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: 'Clerk returned a number that is not E.164.',
      });
    }
    call.redactor.phone(phone);
    const bound: BoundPhone = {
      state: record.verification?.status === 'verified' ? 'verified' : 'unverified',
      provider,
      phone,
      id: record.id,
    };
    if (primaryId !== undefined) bound.primary = record.id === primaryId;
    return bound;
  }

  function readUser(userId: string, call: CallContext) {
    return http.send(
      { method: 'GET', path: ['v1', 'users', userId], schema: userSchema, idempotent: true },
      call,
    );
  }

  async function prepare(
    userId: string,
    phone: PhoneNumber,
    phoneNumberId: string,
    primary: boolean | undefined,
    call: CallContext,
  ): Promise<PendingVerification> {
    const verification = await http.send(
      {
        method: 'POST',
        path: ['v1', 'phone_numbers', phoneNumberId, 'prepare_verification'],
        schema: verificationSchema,
        idempotent: false,
        sendsSms: true,
      },
      call,
    );
    const data: Record<string, string | number> = { phoneNumberId, verificationId: verification.id };
    // Making a number primary waits for its verification; the wish travels in the ticket.
    if (primary !== undefined) data.primary = primary ? 1 : 0;
    const expiresAt =
      typeof verification.expire_at === 'number' ? new Date(verification.expire_at) : undefined;
    return {
      state: 'pending',
      purpose: 'bind',
      provider,
      phone,
      ticket: createTicket({ provider, purpose: 'bind', userId, phone, expiresAt, data }),
    };
  }

  /** The same number again: Clerk answers form_identifier_exists; find out whose it is. */
  async function existing(userId: string, phone: PhoneNumber, call: CallContext) {
    const user = await readUser(userId, call);
    const own = user.phone_numbers.find(
      (record) => readStoredPhoneNumber(record.phone_number)?.e164 === phone.e164,
    );
    return own ? toBound(own, user.primary_phone_number_id, call) : undefined;
  }

  function ticketData(ticket: CheckedTicket): {
    phoneNumberId: string;
    verificationId: string;
    primary?: boolean;
  } {
    const { phoneNumberId, verificationId, primary } = ticket.ticket.data ?? {};
    if (typeof phoneNumberId !== 'string' || typeof verificationId !== 'string') {
      throw invalidInput('ticket.data must hold the phoneNumberId and verificationId Clerk returned.');
    }
    checkId(phoneNumberId, 'ticket.data.phoneNumberId');
    checkId(verificationId, 'ticket.data.verificationId');
    return primary === undefined
      ? { phoneNumberId, verificationId }
      : { phoneNumberId, verificationId, primary: primary === 1 };
  }

  async function makePrimary(phoneNumberId: string, call: CallContext): Promise<void> {
    await http.send(
      {
        method: 'PATCH',
        path: ['v1', 'phone_numbers', phoneNumberId],
        json: { primary: true },
        schema: phoneSchema,
        idempotent: true,
      },
      call,
    );
  }

  return createBinding({
    provider,
    capabilities: CLERK_CAPABILITIES,
    codeMaxLength: 64,
    common,

    async bind({ userId, phone, verified, primary }, call) {
      const json: Record<string, unknown> = { user_id: userId, phone_number: phone.e164, verified };
      if (verified && primary !== undefined) json.primary = primary;
      let created: z.infer<typeof phoneSchema>;
      try {
        created = await http.send(
          { method: 'POST', path: ['v1', 'phone_numbers'], json, schema: phoneSchema, idempotent: false },
          call,
        );
      } catch (error) {
        if (!isPhoneBindingError(error) || error.providerCode !== 'form_identifier_exists') throw error;
        const own = await existing(userId!, phone, call);
        // Someone else's number: phone_in_use stands.
        if (!own) throw error;
        if (own.state === 'verified' && !verified) {
          if (primary && !own.primary) {
            await makePrimary(own.id!, call);
            return { ...own, primary: true };
          }
          return own;
        }
        if (verified) {
          // Already this user's: assert it verified (and primary) instead of creating it again.
          const patch: Record<string, unknown> = { verified: true };
          if (primary !== undefined) patch.primary = primary;
          const updated = await http.send(
            {
              method: 'PATCH',
              path: ['v1', 'phone_numbers', own.id!],
              json: patch,
              schema: phoneSchema,
              idempotent: true,
            },
            call,
          );
          return { ...toBound(updated, undefined, call), ...(primary === undefined ? {} : { primary }) };
        }
        return prepare(userId!, phone, own.id!, primary, call);
      }
      if (verified)
        return { ...toBound(created, undefined, call), ...(primary === undefined ? {} : { primary }) };
      try {
        return await prepare(userId!, phone, created.id, primary, call);
      } catch (error) {
        // Never leave an unverified number behind that the caller does not know about.
        try {
          // Not under the operation's deadline or the caller's signal: those may be why we are
          // here, and the cleanup must still go out (bounded by the per-attempt timeout).
          const cleanup = { ...call, options: { ...call.options, signal: undefined }, deadline: undefined };
          await http.send(
            { method: 'DELETE', path: ['v1', 'phone_numbers', created.id], idempotent: true },
            cleanup,
          );
        } catch {
          if (isPhoneBindingError(error)) {
            const details = error.details;
            (error as { details?: unknown }).details =
              typeof details === 'object' && details !== null && !Array.isArray(details)
                ? { ...details, leftUnverifiedPhoneNumberId: created.id }
                : { body: details, leftUnverifiedPhoneNumberId: created.id };
          }
        }
        throw error;
      }
    },

    async verify({ ticket, code }, call) {
      const { phoneNumberId, verificationId, primary } = ticketData(ticket);
      let verification: z.infer<typeof verificationSchema>;
      try {
        verification = await http.send(
          {
            method: 'POST',
            path: ['v1', 'phone_numbers', phoneNumberId, 'attempt_verification'],
            json: { verification_id: verificationId, code },
            schema: verificationSchema,
            idempotent: false,
          },
          call,
        );
      } catch (error) {
        if (!isPhoneBindingError(error) || error.providerCode !== 'verification_already_verified')
          throw error;
        // A second submit of an accepted code: report the number's real state, read back.
        const record = await http.send(
          {
            method: 'GET',
            path: ['v1', 'phone_numbers', phoneNumberId],
            schema: phoneSchema,
            idempotent: true,
          },
          call,
        );
        const bound = toBound(record, undefined, call);
        if (bound.state !== 'verified') throw error;
        // An earlier verify may have succeeded without its primary PATCH: apply the wish now.
        if (primary) await makePrimary(phoneNumberId, call);
        return primary === undefined ? bound : { ...bound, primary };
      }
      // Clerk reports wrong, expired and exhausted codes as HTTP 200 with a status: never a success.
      const outcome: Record<string, [PhoneBindingError['code'], string]> = {
        unverified: ['invalid_code', 'The verification code is wrong.'],
        expired: ['code_expired', 'The verification code has expired; request a new one.'],
        failed: [
          'too_many_attempts',
          'Too many wrong codes: Clerk locked this verification. Request a new code.',
        ],
      };
      if (verification.status !== 'verified') {
        const [errorCode, message] = outcome[verification.status] ?? [
          'invalid_response',
          `Clerk answered the attempt with an unknown status "${verification.status.slice(0, 40)}".`,
        ];
        throw new PhoneBindingError({ code: errorCode, message, providerCode: verification.status });
      }
      if (primary) await makePrimary(phoneNumberId, call);
      const bound: BoundPhone = { state: 'verified', provider, phone: ticket.phone, id: phoneNumberId };
      if (primary !== undefined) bound.primary = primary;
      return bound;
    },

    resend(ticket, call) {
      const { phoneNumberId, primary } = ticketData(ticket);
      return prepare(ticket.ticket.userId!, ticket.phone, phoneNumberId, primary, call);
    },

    async get(userId, call) {
      const user = await readUser(userId!, call);
      const record =
        user.phone_numbers.find((candidate) => candidate.id === user.primary_phone_number_id) ??
        user.phone_numbers.find((candidate) => candidate.verification?.status === 'verified') ??
        user.phone_numbers[0];
      return record ? toBound(record, user.primary_phone_number_id, call) : null;
    },

    async remove({ userId, phone }, call) {
      const user = await readUser(userId!, call);
      const record = phone
        ? user.phone_numbers.find(
            (candidate) => readStoredPhoneNumber(candidate.phone_number)?.e164 === phone.e164,
          )
        : user.phone_numbers.find((candidate) => candidate.id === user.primary_phone_number_id);
      if (record) call.redactor.phone(readStoredPhoneNumber(record.phone_number));
      if (!record) {
        throw new PhoneBindingError({
          code: 'not_found',
          message: phone
            ? 'The user does not have this phone number.'
            : 'The user has no primary phone number.',
        });
      }
      const deleted = await http.send(
        {
          method: 'DELETE',
          path: ['v1', 'phone_numbers', record.id],
          schema: deletedSchema,
          idempotent: true,
        },
        call,
      );
      if (!deleted.deleted) {
        throw new PhoneBindingError({
          code: 'provider_error',
          message: 'Clerk answered the delete with deleted: false.',
        });
      }
      return { state: 'removed', provider };
    },
  });
}
