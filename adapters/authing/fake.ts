import { normalizePhoneNumber, readStoredPhoneNumber } from '../../src/phone.js';
import { type FakeContext, type FakeRequest, type IssuedCode, json } from '../../src/testing/context.js';
import type { FakeBackend, FakeTargetSpec } from '../../src/testing/fake-backend.js';

/**
 * An Authing user as the fake holds it (phone split as Authing stores it).
 *
 * @example
 * ```ts
 * import { type AuthingFakeUser, createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.authing.createUser({ phone: '+86 188 0000 8888' });
 * const user: Readonly<AuthingFakeUser> | undefined = fakes.authing.user(userId);
 * // { userId, phone: '18800008888', phoneCountryCode: '+86', phoneVerified: true }
 * ```
 */
export interface AuthingFakeUser {
  /** Authing's user id. */
  userId: string;
  /** National number without country code, or `null` for none. */
  phone: string | null;
  /** Country calling code as `+NN`, or `null`. */
  phoneCountryCode: string | null;
  /** Whether the number is verified. */
  phoneVerified: boolean;
}

/**
 * Control of the fake Authing Authentication API (v3).
 *
 * @example
 * ```ts
 * import { authing } from 'phone-binding/authing';
 * import { createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId, token } = fakes.authing.createUser();
 * const phones = authing({ baseUrl: fakes.urls.authing, appId: fakes.authing.appId, accessToken: token, fetch: fakes.fetch });
 * const result = await phones.bind({ phoneNumber: '+86 188 0000 8888' });
 * if (result.state === 'pending') {
 *   const code = fakes.authing.pendingCode('+8618800008888', 'CHANNEL_BIND_PHONE')!.value;
 *   await phones.verify({ ticket: result.ticket, code });
 * }
 * fakes.authing.user(userId)?.phoneVerified; // true
 * ```
 */
export interface AuthingFake {
  /**
   * The application id requests must carry as `x-authing-app-id` (or `x-genauth-app-id`). Its
   * user pool does not verify the old number on a change (`changePhoneStrategy.verifyOldPhone` off).
   */
  readonly appId: string;
  /**
   * Another application id, of a user pool whose `changePhoneStrategy.verifyOldPhone` is on: a
   * change through it also needs the current number's code (`CHANNEL_UNBIND_PHONE`).
   */
  readonly verifyOldPhoneAppId: string;
  /** Creates a user (optionally with a number, E.164); returns its id and an access token. */
  createUser(init?: { phone?: string; phoneVerified?: boolean }): { userId: string; token: string };
  /** A user's current state, or `undefined`. */
  user(userId: string): Readonly<AuthingFakeUser> | undefined;
  /** The pending code sent to `e164` on `channel`, or `undefined`. */
  pendingCode(e164: string, channel: string): Readonly<IssuedCode> | undefined;
}

const PROVIDER = 'authing' as const;
const CHANNELS = [
  'CHANNEL_LOGIN',
  'CHANNEL_REGISTER',
  'CHANNEL_RESET_PASSWORD',
  'CHANNEL_BIND_PHONE',
  'CHANNEL_UNBIND_PHONE',
  'CHANNEL_BIND_MFA',
  'CHANNEL_VERIFY_MFA',
  'CHANNEL_UNBIND_MFA',
  'CHANNEL_COMPLETE_PHONE',
  'CHANNEL_IDENTITY_VERIFICATION',
  'CHANNEL_DELETE_ACCOUNT',
];
// Not documented for v3: the fake uses 6 digits, 5 minutes and 5 wrong tries per code.
const CODE_FORMAT = { length: 6, alphabet: '0123456789', ttlMs: 5 * 60 * 1000 };
const MAX_ATTEMPTS = 5;
// Documented: one SMS per number per channel per minute.
const SMS_INTERVAL_MS = 60_000;
// Not documented (tokenExpiresIn is answered, its usual value is not): the fake's update-phone
// token lives 5 minutes and is single use.
const UPDATE_TOKEN_TTL_S = 300;
// The channels the fake accepts on a change: the adapter's choice (adapters/authing/wire.ts
// CHANGE_CHANNEL, from Authing's own SDK test): the new number's code was sent on
// CHANNEL_BIND_PHONE, the current number's on CHANNEL_UNBIND_PHONE. A code sent on another
// channel is not found (2300), as Authing keys codes by channel.
const NEW_PHONE_CHANNEL = 'CHANNEL_BIND_PHONE';
const OLD_PHONE_CHANNEL = 'CHANNEL_UNBIND_PHONE';

/**
 * The adapter configurations the fake serves, both on the user's own access token: Authing's
 * defaults, and the GenAuth brand (`x-genauth-*` headers, a Bearer token asked per request).
 */
const targets: FakeTargetSpec<AuthingFake>[] = [
  {
    name: 'authing',
    provider: 'authing',
    revoked: { accessToken: 'authing-expired-token-Kp27' },
    options: (api, user) => ({ accessToken: user.token, appId: api.appId }),
    secrets: (_, user) => [user.token],
  },
  {
    name: 'genauth (x-genauth-* headers, Bearer token)',
    provider: 'authing',
    revoked: { accessToken: 'genauth-expired-token-Gb38' },
    options: (api, user) => ({
      accessToken: () => user.token,
      appId: api.appId,
      brand: 'genauth',
      authorization: 'bearer',
    }),
    secrets: (_, user) => [user.token],
  },
  {
    name: 'authing (pool verifies the current number on a change)',
    provider: 'authing',
    revoked: { accessToken: 'authing-expired-token-Vo41' },
    options: (api, user) => ({
      accessToken: user.token,
      appId: api.verifyOldPhoneAppId,
      verifyCurrentPhone: true,
    }),
    secrets: (_, user) => [user.token],
  },
];

/**
 * The fake Authing Authentication API, mounted at `/authing` (the app host): `/api/v3/send-sms`,
 * `/api/v3/bind-phone`, `/api/v3/unbind-phone`, `/api/v3/get-profile`, and the change of number
 * `/api/v3/verify-update-phone-request` (checks the new number's code, and the current number's
 * where the app's pool verifies the old phone; answers a single-use `updatePhoneToken`) +
 * `/api/v3/update-phone` (swaps the number, verified). Like Authing it answers HTTP 200 with
 * `{statusCode, message, apiCode?, requestId}` for every failure. Its choices where v3 documents
 * nothing: wrong code apiCode 2001, expired (or locked after 5 tries, or never sent) 2300 (the
 * legacy codes), for bind-phone and both codes of a change alike; a number bound to someone else
 * 409/2035 (409/1320004 when it is taken between the two calls of a change); the new number
 * equal to the current one 400/2230; an oldPhoneNumber that is not the user's 400/2038; an
 * expired update-phone token 400/2300, an unknown one 400; a user who already has a number 422
 * on bind-phone; a missing app id 403.
 */
export const authingBackend: FakeBackend<AuthingFake> = {
  id: 'authing',
  targets,
  // bind-phone / unbind-phone carry `passCode`; a change carries the new number's code in its payload.
  codeIn: (request) => {
    const body = request.body as
      | { passCode?: unknown; phonePassCodePayload?: { newPhonePassCode?: unknown } }
      | undefined;
    return body?.passCode ?? body?.phonePassCodePayload?.newPhonePassCode;
  },
  // The reference is silent on wrong codes: the fake refuses a code after MAX_ATTEMPTS wrong tries
  // with the legacy "expired" apiCode 2300, which the adapter reports as code_expired.
  wrongCodes: { lockAfter: MAX_ATTEMPTS, lockedAs: 'code_expired' },
  // Authing's codes are numbers (apiCode); a code that is not one is left out.
  errorBody: ({ status, code, requestId, message, extra }) => ({
    statusCode: status,
    message,
    ...(/^\d+$/.test(code) ? { apiCode: Number(code) } : {}),
    requestId,
    ...(extra ? { data: extra } : {}),
  }),
  create(ctx: FakeContext) {
    const users = new Map<string, AuthingFakeUser>();
    const tokens = new Map<string, string>();
    const lastSms = new Map<string, number>();
    const updateTokens = new Map<string, { userId: string; e164: string; expiresAt: number }>();
    const appId = 'authing-app-id';
    const verifyOldPhoneAppId = 'authing-app-verify-old-phone';
    let counter = 0;

    const codeKey = (e164: string, channel: string) => `authing:${e164}:${channel}`;
    const e164Of = (user: AuthingFakeUser) =>
      user.phone ? `${user.phoneCountryCode ?? '+86'}${user.phone}` : undefined;
    const requestId = () => `req-${(++counter).toString(16).padStart(8, '0')}`;
    const reply = (statusCode: number, message: string, extra: Record<string, unknown> = {}) =>
      json(200, { statusCode, message, ...extra, requestId: requestId() });

    const api: AuthingFake = {
      appId,
      verifyOldPhoneAppId,
      createUser(init = {}) {
        const userId = `60${String(++counter).padStart(22, '0')}`;
        const parsed = init.phone ? normalizePhoneNumber(init.phone) : undefined;
        users.set(userId, {
          userId,
          phone: parsed?.nationalNumber ?? null,
          phoneCountryCode: parsed ? `+${parsed.countryCallingCode}` : null,
          phoneVerified: parsed ? (init.phoneVerified ?? true) : false,
        });
        const token = `authing-token-${counter}-${Math.random().toString(36).slice(2, 10)}`;
        tokens.set(token, userId);
        return { userId, token };
      },
      user(userId) {
        const user = users.get(userId);
        return user ? { ...user } : undefined;
      },
      pendingCode(e164, channel) {
        const code = ctx.pendingCode(codeKey(e164, channel));
        return code ? { ...code } : undefined;
      },
    };

    function userOf(req: FakeRequest): AuthingFakeUser | undefined {
      const header = req.headers.get('authorization') ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : header;
      const userId = tokens.get(token);
      return userId ? users.get(userId) : undefined;
    }

    function parsePhone(body: Record<string, unknown>): string | undefined {
      if (typeof body.phoneNumber !== 'string' || body.phoneNumber.length === 0) return undefined;
      const cc =
        typeof body.phoneCountryCode === 'string' && body.phoneCountryCode ? body.phoneCountryCode : '+86';
      if (!/^\+\d{1,3}$/.test(cc) || !/^\d{4,15}$/.test(body.phoneNumber)) return undefined;
      try {
        return normalizePhoneNumber(`${cc}${body.phoneNumber}`).e164;
      } catch {
        return undefined;
      }
    }

    function checkCode(e164: string, channel: string, passCode: unknown): Response | undefined {
      if (typeof passCode !== 'string' || passCode.length === 0) return reply(400, 'passCode is required');
      const check = ctx.checkCode(codeKey(e164, channel), passCode, MAX_ATTEMPTS);
      if (check === 'ok') return undefined;
      if (check === 'wrong') return reply(400, 'Verification code is incorrect', { apiCode: 2001 });
      ctx.dropCode(codeKey(e164, channel));
      return reply(400, 'Verification code has expired', { apiCode: 2300 });
    }

    /** The pending code under `key` is `value` and still usable (peeked: nothing counted or spent). */
    function wouldPass(e164: string, channel: string, value: unknown): boolean {
      const issued = ctx.pendingCode(codeKey(e164, channel));
      return (
        issued !== undefined &&
        issued.attempts < MAX_ATTEMPTS &&
        issued.expiresAt > ctx.now() &&
        issued.value === value
      );
    }

    const takenBy = (user: AuthingFakeUser, e164: string) =>
      [...users.values()].some((other) => other !== user && e164Of(other) === e164);

    function verifyUpdatePhoneRequest(
      user: AuthingFakeUser,
      body: Record<string, unknown>,
      verifyOld: boolean,
    ): Response {
      if (body.verifyMethod !== 'PHONE_PASSCODE') return reply(400, 'verifyMethod is invalid');
      const payload = body.phonePassCodePayload;
      if (typeof payload !== 'object' || payload === null)
        return reply(400, 'phonePassCodePayload is required');
      const p = payload as Record<string, unknown>;
      const e164 = parsePhone({ phoneNumber: p.newPhoneNumber, phoneCountryCode: p.newPhoneCountryCode });
      if (!e164) return reply(400, 'newPhoneNumber is invalid');
      const current = e164Of(user);
      if (!current) return reply(400, 'The user has no phone number; use bind-phone');
      if (current === e164) return reply(400, 'The new phone number equals the old one', { apiCode: 2230 });
      if (takenBy(user, e164))
        return reply(409, 'Phone number is already bound by another user', { apiCode: 2035 });
      if (verifyOld) {
        if (p.oldPhoneNumber === undefined || p.oldPhonePassCode === undefined) {
          return reply(400, 'oldPhoneNumber and oldPhonePassCode are required by this user pool');
        }
        const old = parsePhone({ phoneNumber: p.oldPhoneNumber, phoneCountryCode: p.oldPhoneCountryCode });
        if (old !== current) return reply(400, 'The old phone number does not match', { apiCode: 2038 });
      }
      // Both codes are checked before either is spent: a wrong current-number code leaves the
      // new number's code usable (and the other way round).
      if (!wouldPass(e164, NEW_PHONE_CHANNEL, p.newPhonePassCode)) {
        return checkCode(e164, NEW_PHONE_CHANNEL, p.newPhonePassCode) ?? reply(400, 'passCode is invalid');
      }
      if (verifyOld) {
        const failed = checkCode(current, OLD_PHONE_CHANNEL, p.oldPhonePassCode);
        if (failed) return failed;
      }
      checkCode(e164, NEW_PHONE_CHANNEL, p.newPhonePassCode);
      const token = `upt-${ctx.nextSequence()}-${Math.random().toString(36).slice(2, 12)}`;
      updateTokens.set(token, {
        userId: user.userId,
        e164,
        expiresAt: ctx.now() + UPDATE_TOKEN_TTL_S * 1000,
      });
      return reply(200, '', { data: { updatePhoneToken: token, tokenExpiresIn: UPDATE_TOKEN_TTL_S } });
    }

    function updatePhone(user: AuthingFakeUser, body: Record<string, unknown>): Response {
      const token = body.updatePhoneToken;
      if (typeof token !== 'string' || token.length === 0) return reply(400, 'updatePhoneToken is required');
      const held = updateTokens.get(token);
      if (!held || held.userId !== user.userId) return reply(400, 'updatePhoneToken is invalid');
      updateTokens.delete(token);
      if (held.expiresAt <= ctx.now()) return reply(400, 'updatePhoneToken has expired', { apiCode: 2300 });
      if (takenBy(user, held.e164)) return reply(409, 'phone already bind', { apiCode: 1320004 });
      const parsed = readStoredPhoneNumber(held.e164);
      if (!parsed) return reply(400, 'invalid phone number');
      user.phone = parsed.nationalNumber;
      user.phoneCountryCode = `+${parsed.countryCallingCode}`;
      user.phoneVerified = true;
      return reply(200, '', { data: { success: true } });
    }

    function handle(req: FakeRequest): Response {
      const path = `/${req.segments.join('/')}`;
      const app = req.headers.get('x-authing-app-id') ?? req.headers.get('x-genauth-app-id');
      if (app !== appId && app !== verifyOldPhoneAppId) {
        return reply(403, 'Application not found: x-authing-app-id is missing or unknown');
      }
      // The app's user pool decides changePhoneStrategy.verifyOldPhone.
      const verifyOldPhone = app === verifyOldPhoneAppId;
      if (req.badJson) return reply(400, 'Request body is not valid JSON');
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >;

      if (path === '/api/v3/send-sms' && req.method === 'POST') {
        if (typeof body.channel !== 'string' || !CHANNELS.includes(body.channel))
          return reply(400, 'channel is invalid');
        const e164 = parsePhone(body);
        if (!e164) return reply(400, 'phoneNumber is invalid');
        const throttleKey = `${e164}:${body.channel}`;
        const last = lastSms.get(throttleKey);
        if (last !== undefined && ctx.now() - last < SMS_INTERVAL_MS) {
          return reply(429, 'SMS can be sent once a minute for the same number and channel');
        }
        lastSms.set(throttleKey, ctx.now());
        ctx.issueCode({
          key: codeKey(e164, body.channel),
          provider: PROVIDER,
          to: e164,
          format: CODE_FORMAT,
          send: true,
        });
        return reply(200, '');
      }

      const user = userOf(req);
      if (!user) return reply(401, 'Not logged in', { apiCode: 2020 });

      if (path === '/api/v3/get-profile' && req.method === 'GET') {
        return json(200, {
          statusCode: 200,
          message: '',
          data: { ...user, email: `${user.userId}@example.test`, emailVerified: true, status: 'Activated' },
        });
      }
      if (path === '/api/v3/bind-phone' && req.method === 'POST') {
        const e164 = parsePhone(body);
        if (!e164) return reply(400, 'phoneNumber is invalid');
        if (user.phone) return reply(422, 'The user already has a phone number');
        const taken = [...users.values()].some((other) => other !== user && e164Of(other) === e164);
        if (taken) return reply(409, 'Phone number is already bound by another user', { apiCode: 2035 });
        const failed = checkCode(e164, 'CHANNEL_BIND_PHONE', body.passCode);
        if (failed) return failed;
        const parsed = readStoredPhoneNumber(e164);
        if (!parsed) return reply(400, 'invalid phone number');
        user.phone = parsed.nationalNumber;
        user.phoneCountryCode = `+${parsed.countryCallingCode}`;
        user.phoneVerified = true;
        return reply(200, '');
      }
      if (path === '/api/v3/unbind-phone' && req.method === 'POST') {
        const e164 = e164Of(user);
        if (!e164) return reply(400, 'The user has no phone number');
        const failed = checkCode(e164, 'CHANNEL_UNBIND_PHONE', body.passCode);
        if (failed) return failed;
        user.phone = null;
        user.phoneCountryCode = null;
        user.phoneVerified = false;
        return reply(200, '');
      }
      if (path === '/api/v3/verify-update-phone-request' && req.method === 'POST') {
        return verifyUpdatePhoneRequest(user, body, verifyOldPhone);
      }
      if (path === '/api/v3/update-phone' && req.method === 'POST') return updatePhone(user, body);
      return json(404, { statusCode: 404, message: `Cannot ${req.method} ${path}`, requestId: requestId() });
    }

    return { api, handle };
  },
};
