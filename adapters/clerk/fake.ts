import { readStoredPhoneNumber } from '../../src/phone.js';
import { type FakeContext, type FakeRequest, type IssuedCode, json } from '../../src/testing/context.js';
import type { FakeBackend, FakeTargetSpec } from '../../src/testing/fake-backend.js';

/**
 * A Clerk phone number as the fake holds it (the BAPI `PhoneNumber` shape, trimmed).
 *
 * @example
 * ```ts
 * import { type ClerkFakePhone, createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.clerk.createUser({ phoneNumbers: ['+12133734253'] });
 * const phone: ClerkFakePhone | undefined = fakes.clerk.user(userId)?.phone_numbers[0];
 * // { id: 'idn_…', phone_number: '+12133734253', reserved_for_second_factor: false, default_second_factor: false,
 * //   verification: { object: 'verification_admin', status: 'verified', strategy: 'admin', attempts: null, expire_at: null } }
 * ```
 */
export interface ClerkFakePhone {
  /** `idn_…` id. */
  id: string;
  /** E.164. */
  phone_number: string;
  /** Reserved for multi-factor authentication (needs a verified number). */
  reserved_for_second_factor: boolean;
  /** The user's default second factor: the first number reserved while no other was. */
  default_second_factor: boolean;
  /** `null`, or an OTP / admin verification. */
  verification: {
    object: string;
    status: string;
    strategy: string;
    attempts: number | null;
    expire_at: number | null;
  } | null;
}

/**
 * A Clerk user as the fake holds it.
 *
 * @example
 * ```ts
 * import { type ClerkFakeUser, createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.clerk.createUser({ phoneNumbers: ['+12133734253', '+41791234567'] });
 * const user: Readonly<ClerkFakeUser> | undefined = fakes.clerk.user(userId);
 * user?.phone_numbers.length; // 2
 * user?.primary_phone_number_id === user?.phone_numbers[0]?.id; // true: the first is primary
 * ```
 */
export interface ClerkFakeUser {
  /** `user_…` id. */
  id: string;
  /** The user's numbers. */
  phone_numbers: ClerkFakePhone[];
  /** Id of the primary number, or `null`. */
  primary_phone_number_id: string | null;
}

/**
 * Control of the fake Clerk Backend API.
 *
 * @example
 * ```ts
 * import { clerk } from 'phone-binding/clerk';
 * import { createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.clerk.createUser();
 * const phones = clerk({ secretKey: fakes.clerk.secretKey, baseUrl: fakes.urls.clerk, fetch: fakes.fetch });
 * const result = await phones.bind({ userId, phoneNumber: '+1 213 373 4253' });
 * if (result.state === 'pending') await phones.verify({ ticket: result.ticket, code: fakes.lastCode()! });
 * fakes.clerk.user(userId)?.phone_numbers[0]?.verification?.status; // 'verified'
 * ```
 */
export interface ClerkFake {
  /** The instance secret key the fake accepts. */
  readonly secretKey: string;
  /** Creates a user (optionally with verified numbers, E.164; the first is primary). */
  createUser(init?: { phoneNumbers?: string[] }): { userId: string };
  /** A user's current state, or `undefined`. */
  user(userId: string): Readonly<ClerkFakeUser> | undefined;
  /** The pending code of a verification id, or `undefined`. */
  pendingCode(verificationId: string): Readonly<IssuedCode> | undefined;
}

const PROVIDER = 'clerk' as const;
const API_VERSION = '2026-05-12';
// Not documented: the fake uses 6 digits, 10 minutes and 3 attempts before `failed`.
const CODE_FORMAT = { length: 6, alphabet: '0123456789', ttlMs: 10 * 60 * 1000 };
const MAX_ATTEMPTS = 3;
// Documented: a new code waits at least 30 s after the last one.
const RESEND_INTERVAL_MS = 30_000;

/** The adapter configuration the fake serves: the instance secret key, on any user. */
const targets: FakeTargetSpec<ClerkFake>[] = [
  {
    name: 'clerk (Backend API)',
    provider: 'clerk',
    revoked: { secretKey: 'sk_test_revoked_Hv04' },
    options: (api) => ({ secretKey: api.secretKey }),
    secrets: (api) => [api.secretKey],
  },
];

/**
 * The fake Clerk Backend API, mounted at `/clerk` (the `https://api.clerk.com` root): `/v1/phone_numbers…`
 * and `/v1/users/{id}`, with Clerk's `{errors:[…], clerk_trace_id}` bodies. `attempt_verification`
 * reports wrong (`unverified`), expired (`expired`) and exhausted (`failed`, after 3) codes as HTTP
 * 200 with a status, as the spec says.
 */
export const clerkBackend: FakeBackend<ClerkFake> = {
  id: 'clerk',
  targets,
  codeIn: (request) => (request.body as { code?: unknown } | undefined)?.code,
  // Documented: too many failed attempts fail the verification (`verification_failed`, prepare
  // again); how many is not: the fake's MAX_ATTEMPTS.
  wrongCodes: { lockAfter: MAX_ATTEMPTS, lockedAs: 'too_many_attempts', lockedOnLast: true },
  errorBody: ({ code, requestId, message, extra }) => ({
    errors: [{ code, message, long_message: message, ...(extra ? { meta: extra } : {}) }],
    clerk_trace_id: requestId,
  }),
  create(ctx: FakeContext) {
    const users = new Map<string, ClerkFakeUser>();
    const verifications = new Map<
      string,
      { phoneId: string; status: string; attempts: number; expireAt: number }
    >();
    const lastPrepare = new Map<string, number>();
    const secretKey = 'sk_test_fake_secret_key';
    let counter = 0;
    const id = (prefix: string) =>
      `${prefix}_${(++counter).toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;

    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      json(
        status,
        {
          errors: [{ code, message, long_message: message, meta: {} }],
          clerk_trace_id: `trace_${(++counter).toString(16)}`,
        },
        headers,
      );
    const notFound = () => error(404, 'resource_not_found', 'not found');

    const api: ClerkFake = {
      secretKey,
      createUser(init = {}) {
        const user: ClerkFakeUser = { id: id('user'), phone_numbers: [], primary_phone_number_id: null };
        for (const number of init.phoneNumbers ?? []) {
          const phone: ClerkFakePhone = {
            id: id('idn'),
            phone_number: readStoredPhoneNumber(number)?.e164 ?? number,
            reserved_for_second_factor: false,
            default_second_factor: false,
            verification: {
              object: 'verification_admin',
              status: 'verified',
              strategy: 'admin',
              attempts: null,
              expire_at: null,
            },
          };
          user.phone_numbers.push(phone);
          user.primary_phone_number_id ??= phone.id;
        }
        users.set(user.id, user);
        return { userId: user.id };
      },
      user(userId) {
        const user = users.get(userId);
        return user ? structuredClone(user) : undefined;
      },
      pendingCode(verificationId) {
        const code = ctx.pendingCode(`clerk:${verificationId}`);
        return code ? { ...code } : undefined;
      },
    };

    function findPhone(phoneId: string): { user: ClerkFakeUser; phone: ClerkFakePhone } | undefined {
      for (const user of users.values()) {
        const phone = user.phone_numbers.find((candidate) => candidate.id === phoneId);
        if (phone) return { user, phone };
      }
      return undefined;
    }

    const phoneJson = (phone: ClerkFakePhone) => ({
      object: 'phone_number',
      ...phone,
      reserved: false,
      linked_to: [],
      backup_codes: null,
      created_at: ctx.now(),
      updated_at: ctx.now(),
    });

    /**
     * Reserves a number for MFA or releases it. The document: the number must be verified; the
     * first one reserved while no other is becomes the default second factor.
     */
    function reserve(
      user: ClerkFakeUser,
      phone: ClerkFakePhone,
      on: boolean,
      code: string,
    ): Response | undefined {
      if (!on) {
        const wasDefault = phone.default_second_factor;
        phone.reserved_for_second_factor = false;
        phone.default_second_factor = false;
        if (wasDefault) promoteDefaultFactor(user);
        return undefined;
      }
      if (phone.verification?.status !== 'verified') {
        return error(400, code, 'The phone number must be verified to be reserved for second factor.');
      }
      if (phone.reserved_for_second_factor) return undefined;
      phone.reserved_for_second_factor = true;
      phone.default_second_factor = !user.phone_numbers.some(
        (other) => other !== phone && other.reserved_for_second_factor,
      );
      return undefined;
    }

    /** After the default factor went away: another reserved number, if any, becomes it. */
    function promoteDefaultFactor(user: ClerkFakeUser): void {
      const next = user.phone_numbers.find((other) => other.reserved_for_second_factor);
      if (next) next.default_second_factor = true;
    }

    function body(req: FakeRequest): Record<string, unknown> | Response {
      if (req.badJson) return error(400, 'request_body_invalid', 'Request body invalid');
      return (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    }

    function prepare(phone: ClerkFakePhone): Response {
      const last = lastPrepare.get(phone.id);
      if (last !== undefined && ctx.now() - last < RESEND_INTERVAL_MS) {
        const wait = Math.ceil((last + RESEND_INTERVAL_MS - ctx.now()) / 1000);
        return error(429, 'verification_code_too_many_requests', 'Too many requests', {
          'retry-after': String(wait),
        });
      }
      lastPrepare.set(phone.id, ctx.now());
      const verificationId = id('ver');
      ctx.issueCode({
        key: `clerk:${verificationId}`,
        provider: PROVIDER,
        to: phone.phone_number,
        format: CODE_FORMAT,
        send: true,
      });
      const expireAt = ctx.pendingCode(`clerk:${verificationId}`)?.expiresAt ?? Date.now();
      verifications.set(verificationId, { phoneId: phone.id, status: 'unverified', attempts: 0, expireAt });
      if (phone.verification?.status !== 'verified') {
        phone.verification = {
          object: 'verification_otp',
          status: 'unverified',
          strategy: 'phone_code',
          attempts: 0,
          expire_at: expireAt,
        };
      }
      return json(200, {
        object: 'verification',
        id: verificationId,
        status: 'unverified',
        strategy: 'phone_code',
        attempts: 0,
        expire_at: expireAt,
        channel: 'sms',
      });
    }

    function handle(req: FakeRequest): Response {
      if (req.headers.get('authorization') !== `Bearer ${secretKey}`) {
        return error(401, 'authentication_invalid', 'Unauthorized request');
      }
      const version = req.headers.get('clerk-api-version');
      if (version !== null && version !== API_VERSION)
        return error(400, 'request_invalid', 'Invalid Clerk-API-Version');
      const s = req.segments;
      if (s[0] !== 'v1') return notFound();
      const payload = body(req);
      if (payload instanceof Response) return payload;

      if (s[1] === 'users' && s.length === 3 && req.method === 'GET') {
        const user = users.get(s[2] ?? '');
        if (!user) return notFound();
        return json(200, {
          object: 'user',
          id: user.id,
          primary_phone_number_id: user.primary_phone_number_id,
          phone_numbers: user.phone_numbers.map(phoneJson),
          email_addresses: [],
        });
      }
      if (s[1] !== 'phone_numbers') return notFound();

      if (s.length === 2 && req.method === 'POST') {
        const user = typeof payload.user_id === 'string' ? users.get(payload.user_id) : undefined;
        if (typeof payload.user_id !== 'string')
          return error(422, 'form_param_missing', 'user_id is missing');
        if (typeof payload.phone_number !== 'string')
          return error(422, 'form_param_missing', 'phone_number is missing');
        if (!user) return notFound();
        const parsed = /^\+\d{6,15}$/.test(payload.phone_number)
          ? readStoredPhoneNumber(payload.phone_number)
          : undefined;
        if (!parsed)
          return error(
            422,
            'form_param_format_invalid',
            'phone_number must be a valid phone number according to E.164',
          );
        const taken = [...users.values()].some((u) =>
          u.phone_numbers.some((p) => p.phone_number === parsed.e164),
        );
        if (taken) return error(422, 'form_identifier_exists', 'That phone number is taken.');
        const phone: ClerkFakePhone = {
          id: id('idn'),
          phone_number: parsed.e164,
          reserved_for_second_factor: false,
          default_second_factor: false,
          verification:
            payload.verified === true
              ? {
                  object: 'verification_admin',
                  status: 'verified',
                  strategy: 'admin',
                  attempts: null,
                  expire_at: null,
                }
              : null,
        };
        if (payload.reserved_for_second_factor === true) {
          const refused = reserve(user, phone, true, 'identification_create_second_factor_unverified');
          if (refused) return refused;
        }
        user.phone_numbers.push(phone);
        if (payload.primary === true || user.primary_phone_number_id === null)
          user.primary_phone_number_id = phone.id;
        return json(200, phoneJson(phone));
      }

      const found = findPhone(s[2] ?? '');
      if (!found) return notFound();
      const { user, phone } = found;

      if (s.length === 3 && req.method === 'GET') return json(200, phoneJson(phone));
      if (s.length === 3 && req.method === 'PATCH') {
        // All or nothing: a refused reservation changes nothing else of the request.
        const willBeVerified = payload.verified === true || phone.verification?.status === 'verified';
        if (payload.reserved_for_second_factor === true && !willBeVerified) {
          return error(
            400,
            'identification_update_second_factor_unverified',
            'The phone number must be verified to be reserved for second factor.',
          );
        }
        if (payload.verified === true) {
          phone.verification = {
            object: 'verification_admin',
            status: 'verified',
            strategy: 'admin',
            attempts: null,
            expire_at: null,
          };
        }
        if (typeof payload.reserved_for_second_factor === 'boolean') {
          reserve(
            user,
            phone,
            payload.reserved_for_second_factor,
            'identification_update_second_factor_unverified',
          );
        }
        if (payload.primary === true) user.primary_phone_number_id = phone.id;
        return json(200, phoneJson(phone));
      }
      if (s.length === 3 && req.method === 'DELETE') {
        // The MFA reservation is a flag of the number: it goes with it (the document lists no
        // refusal; replacing a reserved number disables MFA the same way).
        user.phone_numbers = user.phone_numbers.filter((candidate) => candidate !== phone);
        if (phone.default_second_factor) promoteDefaultFactor(user);
        if (user.primary_phone_number_id === phone.id) {
          const next =
            user.phone_numbers.find((candidate) => candidate.verification?.status === 'verified') ??
            user.phone_numbers[0];
          user.primary_phone_number_id = next?.id ?? null;
        }
        return json(200, { object: 'phone_number', id: phone.id, deleted: true });
      }
      if (s.length === 4 && s[3] === 'prepare_verification' && req.method === 'POST') return prepare(phone);
      if (s.length === 4 && s[3] === 'attempt_verification' && req.method === 'POST') {
        const extra = Object.keys(payload).filter((key) => key !== 'verification_id' && key !== 'code');
        if (extra.length > 0) return error(422, 'form_param_unknown', `${extra[0]} is not a valid parameter`);
        if (typeof payload.verification_id !== 'string' || typeof payload.code !== 'string') {
          return error(422, 'form_param_missing', 'verification_id and code are required');
        }
        const verification = verifications.get(payload.verification_id);
        if (!verification || verification.phoneId !== phone.id) return notFound();
        if (verification.status === 'verified') {
          return error(400, 'verification_already_verified', 'This verification has already been verified.');
        }
        const reply = () =>
          json(200, {
            object: 'verification',
            id: payload.verification_id,
            status: verification.status,
            strategy: 'phone_code',
            attempts: verification.attempts,
            expire_at: verification.expireAt,
            channel: 'sms',
          });
        if (verification.status !== 'unverified') return reply();
        const check = ctx.checkCode(`clerk:${payload.verification_id}`, payload.code, MAX_ATTEMPTS);
        if (check === 'ok') {
          verification.status = 'verified';
          phone.verification = {
            object: 'verification_otp',
            status: 'verified',
            strategy: 'phone_code',
            attempts: verification.attempts + 1,
            expire_at: verification.expireAt,
          };
        } else if (check === 'expired') {
          verification.status = 'expired';
        } else {
          verification.attempts += 1;
          if (verification.attempts >= MAX_ATTEMPTS) verification.status = 'failed';
        }
        return reply();
      }
      return notFound();
    }

    return { api, handle };
  },
};
