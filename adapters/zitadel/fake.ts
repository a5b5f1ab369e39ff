import { normalizePhoneNumber } from '../../src/phone.js';
import { type FakeContext, type FakeRequest, type IssuedCode, json } from '../../src/testing/context.js';
import type { FakeBackend, FakeTargetSpec } from '../../src/testing/fake-backend.js';

/**
 * A Zitadel user as the fake holds it.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type ZitadelFakeUser } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.zitadel.createUser({ phone: '+41791234567', isVerified: true });
 * const user: Readonly<ZitadelFakeUser> | undefined = fakes.zitadel.user(userId);
 * // { userId, state: 'USER_STATE_ACTIVE', phone: '+41791234567', isVerified: true, otpSms: false }
 * ```
 */
export interface ZitadelFakeUser {
  /** The user's id (path segment of `/v2/users/{userId}`). */
  userId: string;
  /** `USER_STATE_ACTIVE` or `USER_STATE_INITIAL` (phone changes are refused in INITIAL). */
  state: 'USER_STATE_ACTIVE' | 'USER_STATE_INITIAL';
  /** E.164, or `""` for none. */
  phone: string;
  /** Whether the number is verified. */
  isVerified: boolean;
  /**
   * Whether OTP SMS is set up as the user's second factor (`POST /v2/users/{userId}/otp_sms`,
   * `POST /auth/v1/users/me/auth_factors/otp_sms`). As in Zitadel, removing the phone removes it;
   * changing the number keeps it (it uses the latest verified number).
   */
  otpSms: boolean;
}

/**
 * What a token may do: `userId` is the token's own user; `permissions` e.g. `user.read`, `user.write`.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type ZitadelFakeGrant } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.zitadel.createUser();
 * const readOnly: ZitadelFakeGrant = { permissions: ['user.read'] };
 * const phones = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.createToken(readOnly), fetch: fakes.fetch });
 * await phones.get({ userId }); // null: allowed
 * const error = await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' }).catch((e: unknown) => e);
 * // PhoneBindingError { code: 'forbidden', status: 403 }
 * ```
 */
export interface ZitadelFakeGrant {
  /** The token's own user, for self-service calls (`/auth/v1/users/me/…`, own `userId` on v2). */
  userId?: string;
  /** Permissions on other users, e.g. `user.read`, `user.write`. */
  permissions?: string[];
}

/**
 * Control of the fake Zitadel instance (user service v2 and auth API v1).
 *
 * @example
 * ```ts
 * import { createFakeBackends } from 'phone-binding/testing';
 * import { zitadelSelf } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const { userId, token } = fakes.zitadel.createUser(); // token: the user's own
 * const phones = zitadelSelf({ baseUrl: fakes.urls.zitadel, token, fetch: fakes.fetch });
 * const result = await phones.bind({ phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') {
 *   await phones.verify({ ticket: result.ticket, code: fakes.zitadel.pendingCode(userId)!.value });
 * }
 * fakes.zitadel.user(userId)?.isVerified; // true
 * ```
 */
export interface ZitadelFake {
  /** A service-user token with `user.read` and `user.write`. */
  readonly adminToken: string;
  /** Creates a human user; returns its id and an access token of its own. */
  createUser(init?: Partial<ZitadelFakeUser>): { userId: string; token: string };
  /** Creates a token with the given grant. */
  createToken(grant: ZitadelFakeGrant): string;
  /** A user's current state, or `undefined`. */
  user(userId: string): Readonly<ZitadelFakeUser> | undefined;
  /** The user's pending code (value, recipient, expiry, failed attempts), or `undefined`. */
  pendingCode(userId: string): Readonly<IssuedCode> | undefined;
}

const PROVIDER_V2 = 'zitadel' as const;
const PROVIDER_V1 = 'zitadel-self' as const;
// Zitadel's default PhoneVerificationCode generator: 6 characters, upper-case letters and digits, 1 h.
const CODE_FORMAT = { length: 6, alphabet: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', ttlMs: 60 * 60 * 1000 };
// No lockout: the reference says Zitadel exposes no attempt counter and only logs each failure as an
// event, so a wrong code leaves the pending one valid until it expires (checkCode without a limit).
const RESOURCE_OWNER = '69629023906488334';

const HTTP_OF_GRPC: Record<number, number> = {
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  12: 501,
  13: 500,
  16: 401,
};

/** A REST-gateway error body: `{code, message, details:[{@type, id, message}]}` (no details for validation errors). */
function grpcError(code: number, id: string | undefined, message: string): Response {
  const headers: Record<string, string> = {};
  const text = id ? `${message} (${id})` : message;
  if (code === 16) headers['www-authenticate'] = text;
  const body: Record<string, unknown> = { code, message: text };
  if (id) body.details = [{ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id, message }];
  return json(HTTP_OF_GRPC[code] ?? 500, body, headers);
}

const invalidArgument = (message: string) => grpcError(3, undefined, message);

/**
 * The adapter configurations the fake serves: the user service v2 with a service user's token
 * (the code sent by SMS, or handed back), and the auth API v1 with the user's own token.
 */
const targets: FakeTargetSpec<ZitadelFake>[] = [
  {
    name: 'zitadel (user service v2, sms)',
    provider: 'zitadel',
    revoked: { token: 'zitadel-revoked-pat-Zm93' },
    options: (api) => ({ token: api.adminToken }),
    secrets: (api) => [api.adminToken],
  },
  {
    name: 'zitadel (user service v2, return-code)',
    provider: 'zitadel',
    revoked: { token: 'zitadel-revoked-pat-Rc61' },
    options: (api) => ({ token: api.adminToken, delivery: 'return-code' }),
    secrets: (api) => [api.adminToken],
  },
  {
    name: 'zitadelSelf (auth API v1)',
    provider: 'zitadel-self',
    revoked: { token: 'zitadel-expired-access-token-Wd55' },
    options: (_, user) => ({ token: user.token }),
    secrets: (_, user) => [user.token],
  },
];

/**
 * The fake Zitadel backend: `/v2/users/…` (user service v2) and `/auth/v1/users/me/phone` and
 * `/auth/v1/users/me/auth_factors/otp_sms` (auth API v1).
 */
export const zitadelBackend: FakeBackend<ZitadelFake> = {
  id: 'zitadel',
  targets,
  // v2 sends `verificationCode`, the v1 self-service API `code`.
  codeIn: (request) => {
    const body = request.body as { verificationCode?: unknown; code?: unknown } | undefined;
    return body?.verificationCode ?? body?.code;
  },
  // No lockout: see CODE_FORMAT above (the reference: no attempt counter, failures only logged).
  wrongCodes: {},
  // The gateway's google.rpc.Status; Zitadel sends no request id.
  errorBody: ({ status, code, message, extra }) => ({
    code: status >= 500 ? 14 : status === 404 ? 5 : 3,
    message,
    details: [{ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id: code, message }],
    ...(extra ? { meta: extra } : {}),
  }),
  create(ctx: FakeContext) {
    const users = new Map<string, ZitadelFakeUser>();
    // Zitadel's HumanOTPSMSWriteModel.phoneVerified: set by any phone verification, reset only by
    // the phone's removal (a change of number keeps it). AddOTPSMS needs it.
    const phoneVerified = new Set<string>();
    const tokens = new Map<string, ZitadelFakeGrant>();
    let counter = 0;
    const nextId = () => `3${String(Date.now()).slice(-9)}${String(++counter).padStart(5, '0')}`;
    const adminToken = 'zitadel-admin-token';
    tokens.set(adminToken, { permissions: ['user.read', 'user.write'] });

    const api: ZitadelFake = {
      adminToken,
      createUser(init = {}) {
        const user: ZitadelFakeUser = {
          userId: init.userId ?? nextId(),
          state: init.state ?? 'USER_STATE_ACTIVE',
          phone: init.phone ?? '',
          isVerified: init.isVerified ?? false,
          otpSms: init.otpSms ?? false,
        };
        users.set(user.userId, user);
        if (user.phone && user.isVerified) phoneVerified.add(user.userId);
        return { userId: user.userId, token: api.createToken({ userId: user.userId }) };
      },
      createToken(grant) {
        const token = `zitadel-token-${++counter}-${Math.random().toString(36).slice(2, 10)}`;
        tokens.set(token, { ...grant });
        return token;
      },
      user(userId) {
        const user = users.get(userId);
        return user ? { ...user } : undefined;
      },
      pendingCode(userId) {
        const code = ctx.pendingCode(`zitadel:${userId}`);
        return code ? { ...code } : undefined;
      },
    };

    const details = () => ({
      sequence: String(ctx.nextSequence()),
      changeDate: new Date(ctx.now()).toISOString(),
      resourceOwner: RESOURCE_OWNER,
    });

    function authenticate(req: FakeRequest): ZitadelFakeGrant | Response {
      const header = req.headers.get('authorization') ?? '';
      const match = /^Bearer (\S+)$/.exec(header);
      if (!match) return grpcError(16, 'AUTH-toLo1', 'auth header missing');
      const grant = tokens.get(match[1] ?? '');
      if (!grant) return grpcError(16, 'AUTH-7fs1e', 'Token is invalid');
      return grant;
    }

    const can = (grant: ZitadelFakeGrant, permission: string) =>
      grant.permissions?.includes(permission) === true;
    const denied = () => grpcError(7, 'AUTHZ-HKJD33', 'No matching permissions found');

    /** Parses a number the way Zitadel does: libphonenumber, region CH, stored as E.164. */
    function parsePhone(raw: string): string | Response {
      if (raw.trim() === '') return grpcError(3, 'PHONE-Zt0NV', 'Phone is empty');
      try {
        return normalizePhoneNumber(raw, { defaultCountry: 'CH' }).e164;
      } catch {
        return grpcError(3, 'PHONE-so0wa', 'Phone is invalid');
      }
    }

    /** Which one-of verification a SetPhone/ResendPhoneCode body asks for. */
    function verificationOf(body: Record<string, unknown>): 'send' | 'return' | 'verified' | Response {
      const set = ['sendCode', 'returnCode', 'isVerified'].filter((key) => body[key] !== undefined);
      if (set.length > 1)
        return invalidArgument(`proto: oneof verification is already set: ${set.join(', ')}`);
      if (body.isVerified !== undefined) {
        return body.isVerified === true
          ? 'verified'
          : invalidArgument('invalid SetPhoneRequest.IsVerified: value must equal true');
      }
      return body.returnCode !== undefined ? 'return' : 'send';
    }

    // One pending code per user, shared by v1 and v2 (they act on the same user).
    const codeKey = (user: ZitadelFakeUser) => `zitadel:${user.userId}`;
    function sendCode(
      user: ZitadelFakeUser,
      from: typeof PROVIDER_V2 | typeof PROVIDER_V1,
      send: boolean,
    ): string {
      return ctx.issueCode({ key: codeKey(user), provider: from, to: user.phone, format: CODE_FORMAT, send });
    }

    /** RemovePhone / RemoveMyPhone: the number, its code and (as in Zitadel) the OTP SMS factor go. */
    function removePhone(user: ZitadelFakeUser): void {
      user.phone = '';
      user.isVerified = false;
      user.otpSms = false;
      phoneVerified.delete(user.userId);
      ctx.dropCode(codeKey(user));
    }

    /**
     * AddOTPSMS / AddMyAuthFactorOTPSMS and their removal (command addHumanOTPSMS /
     * RemoveHumanOTPSMS): one factor per user; adding needs a verified phone.
     */
    function otpSms(req: FakeRequest, user: ZitadelFakeUser | undefined): Response {
      if (req.method === 'POST') {
        if (user?.otpSms) {
          return grpcError(6, 'COMMAND-Ad3g2', 'Multifactor OTP (OneTimePassword) is already set up');
        }
        if (!user || !phoneVerified.has(user.userId)) {
          return grpcError(9, 'COMMAND-Q54j2', "Multifactor OTP (OneTimePassword) isn't ready");
        }
        user.otpSms = true;
        return json(200, { details: details() });
      }
      if (req.method === 'DELETE') {
        if (!user?.otpSms) {
          return grpcError(5, 'COMMAND-Sr3h3', "Multifactor OTP (OneTimePassword) doesn't exist");
        }
        user.otpSms = false;
        return json(200, { details: details() });
      }
      return grpcError(12, undefined, 'Method Not Allowed');
    }

    function objectBody(req: FakeRequest): Record<string, unknown> | Response {
      if (req.badJson) return invalidArgument('proto: syntax error (line 1:1): invalid value');
      if (req.body === undefined) return {};
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        return invalidArgument('proto: syntax error (line 1:1): unexpected token');
      }
      return req.body as Record<string, unknown>;
    }

    // --- user service v2 -------------------------------------------------------------------
    function v2(
      req: FakeRequest,
      grant: ZitadelFakeGrant,
      userId: string,
      action: string | undefined,
    ): Response {
      const self = grant.userId === userId;
      const user = users.get(userId);
      const body = objectBody(req);
      if (body instanceof Response) return body;

      if (action === undefined && req.method === 'GET') {
        if (!self && !can(grant, 'user.read')) return denied();
        if (!user) return grpcError(5, 'QUERY-Dfbg2', 'User could not be found');
        const phone = user.phone
          ? { phone: user.phone, ...(user.isVerified ? { isVerified: true } : {}) }
          : {};
        return json(200, {
          details: details(),
          user: {
            userId,
            details: details(),
            state: user.state,
            username: `user-${userId}`,
            human: { phone },
          },
        });
      }
      if (action === 'phone' && req.method === 'POST') {
        const raw = body.phone;
        if (typeof raw !== 'string' || raw.length < 1 || raw.length > 200) {
          return invalidArgument(
            'invalid SetPhoneRequest.Phone: value length must be between 1 and 200 runes, inclusive',
          );
        }
        const verification = verificationOf(body);
        if (verification instanceof Response) return verification;
        const needsWrite = verification !== 'send' || !self;
        if (needsWrite && !can(grant, 'user.write')) return denied();
        if (!user) return grpcError(5, 'COMMAND-ieJ2e', 'Phone not found');
        if (user.state === 'USER_STATE_INITIAL')
          return grpcError(9, 'COMMAND-uz0Uu', 'User is not yet initialised');
        const phone = parsePhone(raw);
        if (phone instanceof Response) return phone;
        if (phone === user.phone) return grpcError(9, 'COMMAND-Uch5e', 'Phone not changed');
        user.phone = phone;
        user.isVerified = verification === 'verified';
        if (user.isVerified) phoneVerified.add(user.userId);
        ctx.dropCode(codeKey(user));
        if (verification === 'verified') return json(200, { details: details() });
        const code = sendCode(user, PROVIDER_V2, verification === 'send');
        return json(200, {
          details: details(),
          ...(verification === 'return' ? { verificationCode: code } : {}),
        });
      }
      if (action === 'phone' && req.method === 'DELETE') {
        if (!self && !can(grant, 'user.write')) return denied();
        if (!user) return grpcError(5, 'COMMAND-ieJ2e', 'Phone not found');
        if (!user.phone) return grpcError(9, 'COMMAND-ieJ2e', 'Phone not found');
        removePhone(user);
        return json(200, { details: details() });
      }
      if (action === 'otp_sms') {
        if (!self && !can(grant, 'user.write')) return denied();
        return otpSms(req, user);
      }
      if (action === 'verify' && req.method === 'POST') {
        const code = body.verificationCode;
        if (typeof code !== 'string' || code.length < 1 || code.length > 20) {
          return invalidArgument(
            'invalid VerifyPhoneRequest.VerificationCode: value length must be between 1 and 20 runes, inclusive',
          );
        }
        if (!self && !can(grant, 'user.write')) return denied();
        if (!user) return grpcError(5, 'COMMAND-ieJ2e', 'Phone not found');
        const check = ctx.checkCode(codeKey(user), code);
        // The reference does not say what v2 answers with no code pending; the fake answers as the
        // shared command layer does for v1 (Errors.User.Code.NotFound).
        if (check === 'none') return grpcError(5, 'COMMAND-Rsj8c', 'Code not found');
        // Wrong and expired codes look the same on v2.
        if (check !== 'ok') return grpcError(3, 'COMMAND-eis9R', 'Code is invalid');
        user.isVerified = true;
        phoneVerified.add(user.userId);
        return json(200, { details: details() });
      }
      if (action === 'resend' && req.method === 'POST') {
        const verification = verificationOf(body);
        if (verification instanceof Response) return verification;
        if (verification === 'verified') return invalidArgument('proto: unknown field "isVerified"');
        if ((verification === 'return' || !self) && !can(grant, 'user.write')) return denied();
        if (!user) return grpcError(5, 'COMMAND-ieJ2e', 'Phone not found');
        if (!user.phone || user.isVerified || !ctx.pendingCode(codeKey(user))) {
          return grpcError(9, 'PHONE-5xrra88eq8', 'Code is empty');
        }
        const code = sendCode(user, PROVIDER_V2, verification === 'send');
        return json(200, {
          details: details(),
          ...(verification === 'return' ? { verificationCode: code } : {}),
        });
      }
      return grpcError(12, undefined, 'Method Not Allowed');
    }

    // --- auth API v1 (the token's own user) --------------------------------------------------
    function v1(req: FakeRequest, grant: ZitadelFakeGrant, action: string | undefined): Response {
      const user = grant.userId ? users.get(grant.userId) : undefined;
      const body = objectBody(req);
      if (body instanceof Response) return body;
      const userMissing = () => grpcError(9, 'COMMAND-3M0fs', 'User not found');

      if (action === undefined && req.method === 'GET') {
        if (!user) return userMissing();
        const phone = user.phone
          ? { phone: user.phone, ...(user.isVerified ? { isPhoneVerified: true } : {}) }
          : {};
        return json(200, { details: details(), phone });
      }
      if (action === undefined && req.method === 'PUT') {
        const raw = body.phone;
        if (typeof raw !== 'string' || raw.length < 1 || raw.length > 50) {
          return invalidArgument(
            'invalid SetMyPhoneRequest.Phone: value length must be between 1 and 50 runes, inclusive',
          );
        }
        if (!raw.startsWith('+'))
          return invalidArgument('invalid SetMyPhoneRequest.Phone: value does not have prefix "+"');
        if (!user) return userMissing();
        const phone = parsePhone(raw);
        if (phone instanceof Response) return phone;
        if (phone === user.phone) return grpcError(9, 'COMMAND-wF94r', 'Phone not changed');
        user.phone = phone;
        user.isVerified = false;
        sendCode(user, PROVIDER_V1, true);
        return json(200, { details: details() });
      }
      if (action === undefined && req.method === 'DELETE') {
        if (!user) return userMissing();
        if (!user.phone) return grpcError(5, 'COMMAND-p6rsc', 'Phone not found');
        removePhone(user);
        return json(200, { details: details() });
      }
      if (action === '_verify' && req.method === 'POST') {
        const code = body.code;
        if (typeof code !== 'string' || code.length < 1 || code.length > 200) {
          return invalidArgument(
            'invalid VerifyMyPhoneRequest.Code: value length must be between 1 and 200 runes, inclusive',
          );
        }
        if (!user) return userMissing();
        const check = ctx.checkCode(codeKey(user), code);
        if (check === 'none') return grpcError(5, 'COMMAND-Rsj8c', 'Code not found');
        if (check !== 'ok') return grpcError(3, 'COMMAND-sM0cs', 'Code is invalid');
        user.isVerified = true;
        phoneVerified.add(user.userId);
        return json(200, { details: details() });
      }
      if (action === '_resend_verification' && req.method === 'POST') {
        if (!user) return userMissing();
        if (!user.phone) return grpcError(5, 'COMMAND-2b7Hf', 'Phone not found');
        if (user.isVerified) return grpcError(9, 'COMMAND-2M9sf', 'Phone already verified');
        sendCode(user, PROVIDER_V1, true);
        return json(200, { details: details() });
      }
      return grpcError(12, undefined, 'Method Not Allowed');
    }

    function handle(req: FakeRequest): Response {
      const s = req.segments;
      const isV2 = s[0] === 'v2' && s[1] === 'users' && s.length >= 3 && s.length <= 5;
      const isMe = s[0] === 'auth' && s[1] === 'v1' && s[2] === 'users' && s[3] === 'me';
      const isV1 = isMe && s[4] === 'phone' && s.length <= 6;
      const isV1OtpSms = isMe && s[4] === 'auth_factors' && s[5] === 'otp_sms' && s.length === 6;
      if (!isV2 && !isV1 && !isV1OtpSms) return grpcError(5, undefined, 'Not Found');
      const grant = authenticate(req);
      if (grant instanceof Response) return grant;
      if (isV1OtpSms) {
        const body = objectBody(req);
        if (body instanceof Response) return body;
        return otpSms(req, grant.userId ? users.get(grant.userId) : undefined);
      }
      if (isV1) return v1(req, grant, s[5]);
      const userId = s[2] ?? '';
      if (s.length === 3) return v2(req, grant, userId, undefined);
      if (s[3] === 'otp_sms' && s.length === 4) return v2(req, grant, userId, 'otp_sms');
      if (s[3] !== 'phone') return grpcError(5, undefined, 'Not Found');
      return v2(req, grant, userId, s[4] ?? 'phone');
    }

    return { api, handle };
  },
};
