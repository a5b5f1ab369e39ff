import { type FakeContext, type FakeRequest, type IssuedCode, json } from '../../src/testing/context.js';
import type { FakeBackend, FakeTargetSpec } from '../../src/testing/fake-backend.js';
import { COGNITO_ADMIN_ID, COGNITO_ID } from './shared.js';

/**
 * A Cognito user as the fake holds it.
 *
 * @example
 * ```ts
 * import { type CognitoFakeUser, createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.cognito.createUser({ phoneNumber: '+41791234567' });
 * const user: Readonly<CognitoFakeUser> | undefined = fakes.cognito.user(userId);
 * // { username: userId, phone: '+41791234567', verified: true, pendingPhone: undefined, smsMfa: false, keepOriginal: false, … }
 * ```
 */
export interface CognitoFakeUser {
  /** Username (the fake's are `sub`-like UUIDs). */
  username: string;
  /** The user's access token (user-scope calls carry it in the body). */
  accessToken: string;
  /** `phone_number`, E.164, or `undefined`. */
  phone: string | undefined;
  /** `phone_number_verified`. */
  verified: boolean;
  /** The new number held back until verified, in a keep-original pool. */
  pendingPhone: string | undefined;
  /** SMS MFA enabled (and preferred). */
  smsMfa: boolean;
  /** The pool keeps the original value until an update is verified (AttributesRequireVerificationBeforeUpdate). */
  keepOriginal: boolean;
}

/**
 * Control of the fake Cognito user pool.
 *
 * @example
 * ```ts
 * import { cognito } from 'phone-binding/cognito';
 * import { createFakeBackends } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { accessToken } = fakes.cognito.createUser();
 * const phones = cognito({ baseUrl: fakes.urls.cognito, accessToken, fetch: fakes.fetch });
 * const result = await phones.bind({ phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') await phones.verify({ ticket: result.ticket, code: fakes.lastCode()! });
 * ```
 */
export interface CognitoFake {
  /** The one user pool the fake serves. */
  readonly userPoolId: string;
  /** AWS credentials the fake accepts on admin calls (it checks the access key id and the SigV4 shape). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Creates a user, optionally with a verified number or in a keep-original pool. */
  createUser(init?: { phoneNumber?: string; keepOriginal?: boolean }): {
    userId: string;
    accessToken: string;
  };
  /** Turns the keep-original setting on or off for a user's pool. */
  setKeepOriginal(userId: string, on: boolean): void;
  /** A user's current state, or `undefined`. */
  user(userId: string): Readonly<CognitoFakeUser> | undefined;
  /** The user's pending attribute code, or `undefined`. */
  pendingCode(userId: string): Readonly<IssuedCode> | undefined;
}

const PROVIDER = COGNITO_ID;
/** Not documented: the fake sends 6 digits. Documented: valid 24 hours. */
const CODE_FORMAT = { length: 6, alphabet: '0123456789', ttlMs: 24 * 60 * 60 * 1000 };
/** Documented per user and hour: 15 VerifyUserAttribute, 5 GetUserAttributeVerificationCode. */
const VERIFY_PER_HOUR = 15;
const RESEND_PER_HOUR = 5;
const HOUR = 60 * 60 * 1000;
const PREFIX = 'AWSCognitoIdentityProviderService.';
const PHONE = /^\+[1-9]\d{1,14}$/;

const targets: FakeTargetSpec<CognitoFake>[] = [
  {
    name: 'cognito (user, change immediate)',
    provider: COGNITO_ID,
    revoked: { accessToken: 'cognito-revoked-access-token-Q2c0' },
    options: (_api, user) => ({ accessToken: user.accessToken }),
    secrets: (_api, user) => [user.accessToken],
  },
  {
    name: 'cognito (user, keep original until verified)',
    provider: COGNITO_ID,
    revoked: { accessToken: 'cognito-revoked-access-token-Q2c0' },
    options: (api, user) => {
      api.setKeepOriginal(user.userId, true);
      return { accessToken: user.accessToken, keepOriginalUntilVerified: true };
    },
    secrets: (_api, user) => [user.accessToken],
  },
  {
    name: 'cognito-admin (IAM credentials, SigV4)',
    provider: COGNITO_ADMIN_ID,
    revoked: {
      credentials: { accessKeyId: 'AKIAREVOKEDCOGNITO01', secretAccessKey: 'cognito-revoked-secret-Kq71' },
    },
    revokedSecret: 'cognito-revoked-secret-Kq71',
    options: (api) => ({ userPoolId: api.userPoolId, credentials: api.credentials }),
    secrets: (api) => [api.credentials.secretAccessKey],
  },
];

function mask(phone: string): string {
  return `+${'*'.repeat(Math.max(0, phone.length - 5))}${phone.slice(-4)}`;
}

/**
 * The fake Cognito Identity Provider API, mounted at `/cognito` (the
 * `https://cognito-idp.<region>.amazonaws.com` root): `POST /` with `X-Amz-Target`, awsJson1_1
 * bodies, errors as `{ __type, message }` with `x-amzn-errortype` and `x-amzn-requestid` — all
 * client errors with HTTP 400, as the real service answers (not the model's 403/404/429).
 */
export const cognitoBackend: FakeBackend<CognitoFake> = {
  id: 'cognito',
  targets,
  codeIn: (request) => (request.body as { Code?: unknown } | undefined)?.Code,
  // Documented: 15 VerifyUserAttribute calls per user and hour, then LimitExceededException
  // (the quota counts calls, right or wrong; verify() reports it as too_many_attempts).
  wrongCodes: { lockAfter: VERIFY_PER_HOUR, lockedAs: 'too_many_attempts' },
  errorBody: ({ code, message, extra }) => ({ __type: code, message, ...(extra ?? {}) }),
  create(ctx: FakeContext) {
    const users = new Map<string, CognitoFakeUser>();
    const byToken = new Map<string, CognitoFakeUser>();
    const verifyLog = new Map<string, number[]>();
    const resendLog = new Map<string, number[]>();
    const userPoolId = 'us-east-1_FakePool1';
    const credentials = {
      accessKeyId: 'AKIAFAKECOGNITO00001',
      secretAccessKey: 'fake-cognito-secret-access-key-0001',
    };
    let counter = 0;
    const requestId = () => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, '0')}`;
    const ok = (body: unknown) =>
      json(200, body, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
    const error = (name: string, message: string, status = 400) =>
      json(
        status,
        { __type: name, message },
        {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': requestId(),
          'x-amzn-errortype': `${name}:`,
          'x-amzn-errormessage': message,
        },
      );
    const key = (user: CognitoFakeUser) => `cognito:${user.username}`;

    const api: CognitoFake = {
      userPoolId,
      credentials,
      createUser(init = {}) {
        counter += 1;
        const username = `0f5c${counter.toString(16).padStart(4, '0')}-7d1e-4a6b-9c2f-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
        const accessToken = `eyJraWQiOiJmYWtlIn0.eyJzdWIiOiJ${counter}fake.c2lnbmF0dXJl${Math.random().toString(36).slice(2, 10)}`;
        const user: CognitoFakeUser = {
          username,
          accessToken,
          phone: init.phoneNumber,
          verified: init.phoneNumber !== undefined,
          pendingPhone: undefined,
          smsMfa: false,
          keepOriginal: init.keepOriginal ?? false,
        };
        users.set(username, user);
        byToken.set(accessToken, user);
        return { userId: username, accessToken };
      },
      setKeepOriginal(userId, on) {
        const user = users.get(userId);
        if (user) user.keepOriginal = on;
      },
      user: (userId) => users.get(userId),
      pendingCode: (userId) => ctx.pendingCode(`cognito:${userId}`),
    };

    /** Counts a call against an hourly per-user quota; `true` when it is used up. */
    function overQuota(log: Map<string, number[]>, user: CognitoFakeUser, limit: number): boolean {
      const now = ctx.now();
      const recent = (log.get(user.username) ?? []).filter((t) => t > now - HOUR);
      if (recent.length >= limit) {
        log.set(user.username, recent);
        return true;
      }
      recent.push(now);
      log.set(user.username, recent);
      return false;
    }

    function sendCode(user: CognitoFakeUser, to: string) {
      ctx.issueCode({ key: key(user), provider: PROVIDER, to, format: CODE_FORMAT, send: true });
      return { Destination: mask(to), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
    }

    function attributes(user: CognitoFakeUser) {
      const list = [{ Name: 'sub', Value: user.username }];
      if (user.phone !== undefined) {
        list.push({ Name: 'phone_number_verified', Value: String(user.verified) });
        list.push({ Name: 'phone_number', Value: user.phone });
      }
      return list;
    }

    function userView(user: CognitoFakeUser) {
      return {
        Username: user.username,
        UserAttributes: attributes(user),
        ...(user.smsMfa ? { UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: 'SMS_MFA' } : {}),
      };
    }

    /**
     * Sets `phone_number` (and, admin only, `phone_number_verified`). A new unverified value gets a
     * code (the pool auto-verifies phone numbers); in a keep-original pool a user who holds a
     * verified number keeps it until the new one is verified; the first number is stored at once.
     */
    function update(user: CognitoFakeUser, list: unknown, admin: boolean): Response | { sent?: object } {
      if (!Array.isArray(list)) return error('InvalidParameterException', 'UserAttributes is required.');
      let phone: string | undefined;
      let verifiedFlag: string | undefined;
      for (const entry of list as Array<{ Name?: unknown; Value?: unknown }>) {
        if (entry.Name === 'phone_number' && typeof entry.Value === 'string') phone = entry.Value;
        else if (entry.Name === 'phone_number_verified' && typeof entry.Value === 'string') {
          if (!admin)
            return error('NotAuthorizedException', 'A client attempted to write unauthorized attribute');
          verifiedFlag = entry.Value;
        } else return error('InvalidParameterException', 'Unsupported attribute in this fake.');
      }
      if (phone === undefined) return {};
      if (phone === '') {
        user.phone = undefined;
        user.verified = false;
        user.pendingPhone = undefined;
        ctx.dropCode(key(user));
        return {};
      }
      if (!PHONE.test(phone)) return error('InvalidParameterException', 'Invalid phone number format.');
      if (verifiedFlag === 'true') {
        user.phone = phone;
        user.verified = true;
        user.pendingPhone = undefined;
        ctx.dropCode(key(user));
        return {};
      }
      // The value the user already has: no new code.
      if (phone === user.phone && user.pendingPhone === undefined) return {};
      if (user.keepOriginal && user.phone !== undefined && user.verified) {
        user.pendingPhone = phone;
      } else {
        user.phone = phone;
        user.verified = false;
        user.pendingPhone = undefined;
      }
      return { sent: sendCode(user, phone) };
    }

    function remove(user: CognitoFakeUser, names: unknown): Response {
      if (!Array.isArray(names)) return error('InvalidParameterException', 'UserAttributeNames is required.');
      if (names.includes('phone_number')) {
        // Assumption (not documented): SMS MFA cannot stay without a number.
        if (user.smsMfa) {
          return error('InvalidParameterException', 'Cannot delete phone_number while SMS MFA is enabled.');
        }
        user.phone = undefined;
        user.verified = false;
        user.pendingPhone = undefined;
        ctx.dropCode(key(user));
      }
      return ok({});
    }

    function setMfa(user: CognitoFakeUser, settings: unknown): Response {
      const enabled = (settings as { Enabled?: unknown } | undefined)?.Enabled === true;
      if (enabled && !(user.phone !== undefined && user.verified)) {
        return error(
          'InvalidParameterException',
          'User does not have delivery config set to turn on SMS_MFA',
        );
      }
      user.smsMfa = enabled;
      return ok({});
    }

    function userOp(op: string, body: Record<string, unknown>): Response {
      const user = typeof body.AccessToken === 'string' ? byToken.get(body.AccessToken) : undefined;
      if (!user) return error('NotAuthorizedException', 'Invalid Access Token');
      switch (op) {
        case 'GetUser':
          return ok(userView(user));
        case 'UpdateUserAttributes': {
          const result = update(user, body.UserAttributes, false);
          if (result instanceof Response) return result;
          return ok(result.sent ? { CodeDeliveryDetailsList: [result.sent] } : {});
        }
        case 'VerifyUserAttribute': {
          if (body.AttributeName !== 'phone_number')
            return error('InvalidParameterException', 'Invalid attribute.');
          if (overQuota(verifyLog, user, VERIFY_PER_HOUR)) {
            return error('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
          }
          const check = ctx.checkCode(key(user), typeof body.Code === 'string' ? body.Code : '');
          if (check === 'expired') {
            return error('ExpiredCodeException', 'Invalid code provided, please request a code again.');
          }
          if (check !== 'ok') {
            return error('CodeMismatchException', 'Invalid verification code provided, please try again.');
          }
          if (user.pendingPhone !== undefined) {
            user.phone = user.pendingPhone;
            user.pendingPhone = undefined;
          }
          user.verified = true;
          return ok({});
        }
        case 'GetUserAttributeVerificationCode': {
          if (body.AttributeName !== 'phone_number')
            return error('InvalidParameterException', 'Invalid attribute.');
          const to = user.pendingPhone ?? user.phone;
          if (to === undefined) return error('InvalidParameterException', 'User has no phone_number.');
          if (overQuota(resendLog, user, RESEND_PER_HOUR)) {
            return error('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
          }
          return ok({ CodeDeliveryDetails: sendCode(user, to) });
        }
        case 'DeleteUserAttributes':
          return remove(user, body.UserAttributeNames);
        case 'SetUserMFAPreference':
          return setMfa(user, body.SMSMfaSettings);
        default:
          return error('UnknownOperationException', 'Unknown operation.');
      }
    }

    /** The SigV4 shape: access key id, service `cognito-idp`, a date, the target signed. */
    function signed(request: FakeRequest): boolean {
      const auth = request.headers.get('authorization') ?? '';
      const match =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[a-z0-9-]+\/cognito-idp\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
          auth,
        );
      return (
        match !== null &&
        match[1] === credentials.accessKeyId &&
        (match[2] ?? '').split(';').includes('x-amz-target') &&
        /^\d{8}T\d{6}Z$/.test(request.headers.get('x-amz-date') ?? '')
      );
    }

    function adminOp(op: string, body: Record<string, unknown>, request: FakeRequest): Response {
      if (!signed(request)) {
        return error('UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      if (body.UserPoolId !== userPoolId)
        return error('ResourceNotFoundException', 'User pool does not exist.');
      const user = typeof body.Username === 'string' ? users.get(body.Username) : undefined;
      if (!user) return error('UserNotFoundException', 'User does not exist.');
      switch (op) {
        case 'AdminGetUser':
          return ok({
            ...userView(user),
            Enabled: true,
            UserStatus: 'CONFIRMED',
            UserCreateDate: 1735689600.123,
          });
        case 'AdminUpdateUserAttributes': {
          const result = update(user, body.UserAttributes, true);
          return result instanceof Response ? result : ok({});
        }
        case 'AdminDeleteUserAttributes':
          return remove(user, body.UserAttributeNames);
        case 'AdminSetUserMFAPreference':
          return setMfa(user, body.SMSMfaSettings);
        default:
          return error('UnknownOperationException', 'Unknown operation.');
      }
    }

    function handle(request: FakeRequest): Response {
      if (request.method !== 'POST' || request.segments.length > 0) {
        return error('UnknownOperationException', 'Only POST / is served.');
      }
      if (request.headers.get('content-type') !== 'application/x-amz-json-1.1') {
        return error('SerializationException', 'Wrong content type.');
      }
      const target = request.headers.get('x-amz-target') ?? '';
      if (
        !target.startsWith(PREFIX) ||
        request.badJson ||
        typeof request.body !== 'object' ||
        request.body === null
      ) {
        return error('SerializationException', 'Missing target or malformed body.');
      }
      const op = target.slice(PREFIX.length);
      const body = request.body as Record<string, unknown>;
      return op.startsWith('Admin') ? adminOp(op, body, request) : userOp(op, body);
    }

    return { api, handle };
  },
};
