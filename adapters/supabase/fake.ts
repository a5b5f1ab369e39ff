import { type FakeContext, type FakeRequest, type IssuedCode, json } from '../../src/testing/context.js';
import type { FakeBackend, FakeTargetSpec } from '../../src/testing/fake-backend.js';

/**
 * A Supabase Auth user as the fake holds it (GoTrue's `users` row, as far as the phone goes).
 *
 * @example
 * ```ts
 * import { createFakeBackends, type SupabaseFakeUser } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.supabase.createUser({ phone: '41791234567', phoneConfirmed: true });
 * const user: Readonly<SupabaseFakeUser> | undefined = fakes.supabase.user(userId);
 * // { id: userId, email: 'user-…@example.com', phone: '41791234567', phoneConfirmed: true, newPhone: '', … }
 * ```
 */
export interface SupabaseFakeUser {
  /** UUID. */
  id: string;
  /** `""` when none. */
  email: string;
  /** Digits without `+`, `""` when none (as GoTrue stores it). */
  phone: string;
  /** `phone_confirmed_at` is set. */
  phoneConfirmed: boolean;
  /** The pending phone_change number (digits), `""` when none. */
  newPhone: string;
  /** When the last phone_change code went out (ms since the epoch), or `undefined`. */
  phoneChangeSentAt?: number | undefined;
  /** `identity_id` of the phone identity, when there is one. */
  phoneIdentityId?: string | undefined;
  /** Whether the user has an email identity (another identity to keep when unlinking the phone). */
  emailIdentity: boolean;
}

/**
 * Control of the fake Supabase Auth project (user routes and admin routes).
 *
 * @example
 * ```ts
 * import { createFakeBackends } from 'phone-binding/testing';
 * import { supabase } from 'phone-binding/supabase';
 *
 * const fakes = createFakeBackends();
 * const { accessToken, userId } = fakes.supabase.createUser();
 * const phones = supabase({ baseUrl: fakes.urls.supabase, apiKey: fakes.supabase.publishableKey, accessToken, fetch: fakes.fetch });
 * const result = await phones.bind({ phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') await phones.verify({ ticket: result.ticket, code: fakes.lastCode() ?? '' });
 * fakes.supabase.user(userId)?.phoneConfirmed; // true
 * ```
 */
export interface SupabaseFake {
  /** The project's publishable key (`apikey` of user calls). */
  readonly publishableKey: string;
  /** The project's secret key (admin calls). */
  readonly secretKey: string;
  /** Project settings: SMS autoconfirm (no code, bound at once) and manual linking (removal). */
  readonly settings: { smsAutoconfirm: boolean; manualLinking: boolean };
  /** Creates a user (with an email identity unless `email: ''`) and an access token of its own. */
  createUser(init?: Partial<SupabaseFakeUser>): { userId: string; accessToken: string };
  /** A user's current state, or `undefined`. */
  user(userId: string): Readonly<SupabaseFakeUser> | undefined;
  /** The pending phone_change code, or `undefined`. */
  pendingCode(userId: string): Readonly<IssuedCode> | undefined;
  /** Sessions `/verify` issued (access tokens), to prove none reaches the caller. */
  readonly issuedSessions: readonly string[];
}

const PROVIDER = 'supabase' as const;
// GOTRUE_SMS_OTP_LENGTH 6, GOTRUE_SMS_OTP_EXP 60 s. No lockout: GoTrue has no attempt counter (the
// reference: "OTPs stay valid after failed attempts"), so /verify checks the code without a limit.
const CODE_FORMAT = { length: 6, alphabet: '0123456789', ttlMs: 60_000 };
// GOTRUE_SMS_MAX_FREQUENCY 60 s.
const MAX_FREQUENCY_MS = 60_000;
const E164 = /^[1-9][0-9]{1,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GoTrue's error body with `X-Supabase-Api-Version: 2024-01-01`. */
function fail(status: number, code: string, message: string): Response {
  return json(status, { code, message }, { 'x-sb-error-code': code, 'x-supabase-api-version': '2024-01-01' });
}

const targets: FakeTargetSpec<SupabaseFake>[] = [
  {
    name: 'supabase (user: publishable key + access token)',
    provider: 'supabase',
    revoked: { apiKey: 'sb_publishable_revoked_Qz81' },
    options: (api, user) => ({ apiKey: api.publishableKey, accessToken: user.accessToken }),
    secrets: (api, user) => [api.publishableKey, user.accessToken],
  },
  {
    name: 'supabase-admin (secret key)',
    provider: 'supabase-admin',
    revoked: { secretKey: 'sb_secret_revoked_Wm42' },
    options: (api) => ({ secretKey: api.secretKey }),
    secrets: (api) => [api.secretKey],
  },
];

function uuid(): string {
  return crypto.randomUUID();
}

/**
 * The fake Supabase Auth project, mounted with Auth at `/auth/v1` (as on the platform): the
 * gateway's `apikey` check, `GET`/`PUT /user`, `POST /verify`, `DELETE /user/identities/{id}`,
 * `GET`/`PUT /admin/users/{id}`.
 */
export const supabaseBackend: FakeBackend<SupabaseFake> = {
  id: 'supabase',
  targets,
  codeIn: (request) => (request.body as { token?: unknown } | undefined)?.token,
  // The reference: GoTrue has no attempt counter or lockout; the code stays valid until it expires.
  wrongCodes: {},
  errorBody: ({ status, code, message, requestId, extra }) => ({
    code,
    message,
    // The legacy body's request id field (5xx).
    ...(status >= 500 ? { error_id: requestId } : {}),
    ...(extra ?? {}),
  }),
  create(ctx: FakeContext) {
    const users = new Map<string, SupabaseFakeUser>();
    const tokens = new Map<string, string>();
    const issuedSessions: string[] = [];
    const publishableKey = 'sb_publishable_fake_Xk4mP2';
    const secretKey = 'sb_secret_fake_Vq8rT5';
    const settings = { smsAutoconfirm: false, manualLinking: true };

    const api: SupabaseFake = {
      publishableKey,
      secretKey,
      settings,
      issuedSessions,
      createUser(init = {}) {
        const id = init.id ?? uuid();
        const email = init.email ?? `user-${id.slice(0, 8)}@example.com`;
        const user: SupabaseFakeUser = {
          id,
          email,
          phone: init.phone ?? '',
          phoneConfirmed: init.phoneConfirmed ?? false,
          newPhone: init.newPhone ?? '',
          phoneChangeSentAt: init.phoneChangeSentAt,
          phoneIdentityId: init.phoneIdentityId ?? (init.phone ? uuid() : undefined),
          emailIdentity: init.emailIdentity ?? email !== '',
        };
        users.set(id, user);
        const accessToken = `eyJfake.${id}.${Math.random().toString(36).slice(2, 10)}`;
        tokens.set(accessToken, id);
        return { userId: id, accessToken };
      },
      user(userId) {
        const user = users.get(userId);
        return user ? { ...user } : undefined;
      },
      pendingCode(userId) {
        const code = ctx.pendingCode(`supabase:${userId}`);
        return code ? { ...code } : undefined;
      },
    };

    const iso = (ms: number) => new Date(ms).toISOString();
    function userJson(user: SupabaseFakeUser): Record<string, unknown> {
      const identities: Record<string, unknown>[] = [];
      if (user.emailIdentity) {
        identities.push({
          identity_id: `${user.id.slice(0, 24)}e0000000e000`,
          id: user.id,
          user_id: user.id,
          provider: 'email',
        });
      }
      if (user.phoneIdentityId) {
        identities.push({
          identity_id: user.phoneIdentityId,
          id: user.id,
          user_id: user.id,
          provider: 'phone',
          identity_data: {
            email_verified: false,
            phone: user.phone,
            phone_verified: user.phoneConfirmed,
            sub: user.id,
          },
        });
      }
      return {
        id: user.id,
        aud: 'authenticated',
        role: 'authenticated',
        email: user.email,
        phone: user.phone,
        ...(user.phoneConfirmed ? { phone_confirmed_at: iso(ctx.now()) } : {}),
        ...(user.newPhone ? { new_phone: user.newPhone } : {}),
        ...(user.phoneChangeSentAt !== undefined
          ? { phone_change_sent_at: iso(user.phoneChangeSentAt) }
          : {}),
        app_metadata: { provider: 'email', providers: identities.map((i) => i.provider) },
        user_metadata: {},
        identities,
        created_at: iso(ctx.now()),
        updated_at: iso(ctx.now()),
        is_anonymous: false,
      };
    }

    /** GoTrue's phone rule: one leading `+` and spaces stripped, then 2–15 digits. */
    function phoneOf(raw: unknown): string | Response {
      const digits = typeof raw === 'string' ? raw.replace(/^\+/, '').replace(/ /g, '') : '';
      return E164.test(digits)
        ? digits
        : fail(400, 'validation_failed', 'Invalid phone number format (E.164 required)');
    }

    function bodyOf(req: FakeRequest): Record<string, unknown> | Response {
      if (req.badJson) return fail(400, 'bad_json', 'Could not parse request body as JSON');
      if (req.body === undefined) return {};
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        return fail(400, 'bad_json', 'Could not parse request body as JSON');
      }
      return req.body as Record<string, unknown>;
    }

    function userByToken(req: FakeRequest): SupabaseFakeUser | Response {
      const match = /^Bearer (\S+)$/.exec(req.headers.get('authorization') ?? '');
      if (!match) return fail(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
      const id = tokens.get(match[1] ?? '');
      if (!id)
        return fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature, signature is invalid');
      const user = users.get(id);
      if (!user) return fail(403, 'user_not_found', 'User from sub claim in JWT does not exist');
      return user;
    }

    const holder = (phone: string, except: string) =>
      [...users.values()].find((other) => other.id !== except && other.phone === phone);

    /** U1: `PUT /user {phone}` (reference steps 3–6). */
    function updatePhone(user: SupabaseFakeUser, body: Record<string, unknown>): Response {
      if (body.phone === undefined || body.phone === '' || body.phone === null)
        return json(200, userJson(user));
      const phone = phoneOf(body.phone);
      if (phone instanceof Response) return phone;
      if (phone === user.phone) return json(200, userJson(user));
      if (holder(phone, user.id)) {
        return fail(422, 'phone_exists', 'A user with this phone number has already been registered');
      }
      if (settings.smsAutoconfirm) {
        user.phone = phone;
        user.phoneConfirmed = true;
        user.newPhone = '';
        user.phoneIdentityId ??= uuid();
        return json(200, userJson(user));
      }
      const sent = user.phoneChangeSentAt;
      if (sent !== undefined && ctx.now() - sent < MAX_FREQUENCY_MS) {
        const left = Math.floor((MAX_FREQUENCY_MS - (ctx.now() - sent)) / 1000);
        return fail(
          429,
          'over_sms_send_rate_limit',
          `For security purposes, you can only request this after ${left} seconds.`,
        );
      }
      ctx.issueCode({
        key: `supabase:${user.id}`,
        provider: PROVIDER,
        to: `+${phone}`,
        format: CODE_FORMAT,
        send: true,
      });
      user.newPhone = phone;
      user.phoneChangeSentAt = ctx.now();
      return json(200, userJson(user));
    }

    /** U2: `POST /verify {type: 'phone_change', phone, token}`; every failure is 403 otp_expired. */
    function verify(body: Record<string, unknown>): Response {
      if (body.type === undefined)
        return fail(400, 'validation_failed', 'Verify requires a verification type');
      if (typeof body.token !== 'string' || body.token === '') {
        return fail(400, 'validation_failed', 'Verify requires either a token or a token hash');
      }
      const phone = phoneOf(body.phone);
      if (phone instanceof Response) return phone;
      const invalid = () => fail(403, 'otp_expired', 'Token has expired or is invalid');
      if (body.type !== 'phone_change') return invalid();
      const user = [...users.values()].find((candidate) => candidate.newPhone === phone);
      if (!user) return invalid();
      if (ctx.checkCode(`supabase:${user.id}`, body.token) !== 'ok') return invalid();
      user.phone = phone;
      user.phoneConfirmed = true;
      user.newPhone = '';
      // Inference (not in the reference): the resend interval runs per pending change, so a
      // confirmed change ends it and the next change may send at once.
      user.phoneChangeSentAt = undefined;
      user.phoneIdentityId ??= uuid();
      const accessToken = `eyJsession.${user.id}.${ctx.nextSequence()}`;
      issuedSessions.push(accessToken);
      return json(200, {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: 3600,
        expires_at: Math.floor(ctx.now() / 1000) + 3600,
        refresh_token: `rt-${ctx.nextSequence()}-${Math.random().toString(36).slice(2, 10)}`,
        user: userJson(user),
      });
    }

    /** U5: `DELETE /user/identities/{identity_id}`. */
    function unlink(user: SupabaseFakeUser, identityId: string): Response {
      if (!settings.manualLinking) return fail(404, 'manual_linking_disabled', 'Manual linking is disabled');
      if (!UUID.test(identityId)) return fail(404, 'validation_failed', 'identity_id must be an UUID');
      if (user.phoneIdentityId !== identityId)
        return fail(422, 'identity_not_found', "Identity doesn't exist");
      if (!user.emailIdentity) {
        return fail(
          422,
          'single_identity_not_deletable',
          'User must have at least 1 identity after unlinking',
        );
      }
      user.phoneIdentityId = undefined;
      user.phone = '';
      user.phoneConfirmed = false;
      return json(200, {});
    }

    /** A1/A2: the admin routes; the Bearer must be the secret key (the gateway checked `apikey`). */
    function admin(req: FakeRequest, userId: string, body: Record<string, unknown>): Response {
      const match = /^Bearer (\S+)$/.exec(req.headers.get('authorization') ?? '');
      if (!match) return fail(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
      if (match[1] !== secretKey) {
        return match[1] === publishableKey || tokens.has(match[1] ?? '')
          ? fail(403, 'not_admin', 'User not allowed')
          : fail(403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
      }
      if (!UUID.test(userId)) return fail(404, 'validation_failed', 'user_id must be an UUID');
      const user = users.get(userId);
      if (!user) return fail(404, 'user_not_found', 'User not found');
      if (req.method === 'GET') return json(200, userJson(user));
      if (req.method !== 'PUT') return fail(405, 'unknown', 'Method not allowed');
      if (body.phone === undefined || body.phone === '' || body.phone === null)
        return json(200, userJson(user));
      const phone = phoneOf(body.phone);
      if (phone instanceof Response) return phone;
      // A1 does not check other users: the UNIQUE column fails in the database.
      if (holder(phone, user.id)) return fail(500, 'unexpected_failure', 'Error updating user');
      user.phone = phone;
      // phone_confirm: false never unconfirms (reference A1).
      if (body.phone_confirm === true) user.phoneConfirmed = true;
      user.phoneIdentityId ??= uuid();
      return json(200, userJson(user));
    }

    function handle(req: FakeRequest): Response {
      const apikey = req.headers.get('apikey');
      if (apikey === null)
        return json(401, {
          message: 'No API key found in request',
          hint: 'No `apikey` request header or url param was found.',
        });
      if (apikey !== publishableKey && apikey !== secretKey) {
        return json(401, {
          message: 'Invalid API key',
          hint: 'Double check your Supabase `anon` or `service_role` API key.',
        });
      }
      const [a, b, ...s] = req.segments;
      if (a !== 'auth' || b !== 'v1') return fail(404, 'not_found', 'Not found');
      const body = bodyOf(req);
      if (body instanceof Response) return body;
      if (s[0] === 'verify' && s.length === 1 && req.method === 'POST') return verify(body);
      if (s[0] === 'admin' && s[1] === 'users' && s.length === 3) {
        // A secret key from a browser is refused by the platform.
        return admin(req, s[2] ?? '', body);
      }
      if (s[0] === 'user') {
        const user = userByToken(req);
        if (user instanceof Response) return user;
        if (s.length === 1 && req.method === 'GET') return json(200, userJson(user));
        if (s.length === 1 && req.method === 'PUT') return updatePhone(user, body);
        if (s[1] === 'identities' && s.length === 3 && req.method === 'DELETE')
          return unlink(user, s[2] ?? '');
      }
      return fail(404, 'not_found', 'Not found');
    }

    return { api, handle };
  },
};
