/**
 * Cognito user pools, admin scope: IAM credentials, SigV4-signed (`cognito-idp`, the pool's region)
 * `AdminUpdateUserAttributes`, `AdminGetUser`, `AdminDeleteUserAttributes`,
 * `AdminSetUserMFAPreference`. It holds a server secret: it refuses browsers unless allowed.
 *
 * Signing: SigV4 covers the method, URL, headers and body together, so it runs in the kit's
 * `http.prepare` step, the last one of every attempt: a retry (reads and deletes only) is signed
 * anew, with credentials asked again (session credentials rotate), and the secret key and session
 * token are registered as secrets of the call. Only aws4fetch's `AwsV4Signer` is used, never its
 * retrying `AwsClient.fetch`.
 */
import { AwsV4Signer } from 'aws4fetch';
import * as z from 'zod/mini';
import {
  adapterOptions,
  askCredential,
  baseUrlSchema,
  defineAdapter,
  defineCapabilities,
  invalidInput,
  lazy,
  type OperationTypes,
  type PrepareRequest,
  requireCurrentNumber,
  serverSecretShape,
} from '../../src/kit/index.js';
import type { PhoneNumber } from '../../src/types.js';
import { mapCognitoError } from './errors.js';
import {
  COGNITO_ADMIN_ID,
  CONTENT_TYPE,
  call,
  type PhoneView,
  phoneOf,
  REGION,
  regionEndpoint,
  regionSchema,
  secondFactorFailed,
  smsMfa,
} from './shared.js';
import { adminUserSchema, emptySchema } from './wire.js';

/**
 * What {@link cognitoAdmin} can do: bind as verified (no code: nothing can check one with IAM
 * credentials), read, remove, and SMS MFA. A change replaces the number at once, verified.
 *
 * @example
 * ```ts
 * import { COGNITO_ADMIN_CAPABILITIES } from 'phone-binding/cognito';
 *
 * COGNITO_ADMIN_CAPABILITIES.scope; // 'admin': any user of the pool, by username
 * COGNITO_ADMIN_CAPABILITIES.codeVerification; // false: bind() needs verified: true
 * COGNITO_ADMIN_CAPABILITIES.assertVerified; // true
 * ```
 */
export const COGNITO_ADMIN_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  // Only verified binds exist here, so nothing is ever pending; the new number holds at once.
  change: 'immediate',
  assertVerified: true,
  get: true,
  remove: true,
  secondFactor: true,
});

/**
 * AWS credentials: long-term keys, or session keys with their token.
 *
 * @example
 * ```ts
 * import type { AwsCredentials } from 'phone-binding/cognito';
 *
 * const session: AwsCredentials = { accessKeyId: 'ASIA…', secretAccessKey: '…', sessionToken: '…' };
 * ```
 */
export interface AwsCredentials {
  /** The access key id (`AKIA…` long-term, `ASIA…` session). */
  accessKeyId: string;
  /** The secret access key; it signs, it is never sent. */
  secretAccessKey: string;
  /** The session token of temporary credentials, sent as `x-amz-security-token`. */
  sessionToken?: string | undefined;
}

const nonEmpty = lazy(() => z.string().check(z.minLength(1, { error: 'must not be empty' })));
const credentialsObject = lazy(() =>
  z.strictObject({
    accessKeyId: nonEmpty,
    secretAccessKey: nonEmpty,
    sessionToken: z.optional(nonEmpty),
  }),
);
type CredentialsOption = AwsCredentials | (() => AwsCredentials | Promise<AwsCredentials>);
const credentialsSchema = lazy(
  () =>
    z.union([
      credentialsObject,
      z.custom<() => AwsCredentials | Promise<AwsCredentials>>((v) => typeof v === 'function'),
    ]) as unknown as z.ZodMiniType<CredentialsOption>,
);

/** `<region>_<id>` (model pattern `^[\w-]+_[0-9a-zA-Z]+$`, 1–55 characters). */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const userPoolIdSchema = lazy(() =>
  z
    .string()
    .check(
      z.maxLength(55, { error: 'must be a user pool id such as eu-west-1_AbC123' }),
      z.regex(USER_POOL_ID, { error: 'must be a user pool id such as eu-west-1_AbC123' }),
    ),
);

/** The region a pool id names (`eu-west-1_AbC123` → `eu-west-1`), as Amplify derives it. */
export function poolRegion(userPoolId: string): string | undefined {
  const region = userPoolId.slice(0, userPoolId.lastIndexOf('_'));
  return REGION.test(region) ? region : undefined;
}

/** Resolves the credentials for one attempt and checks them. */
async function resolveAws(option: CredentialsOption): Promise<AwsCredentials> {
  const value = await askCredential(option, 'credentials');
  const parsed = credentialsObject.safeParse(value);
  if (!parsed.success) {
    throw invalidInput(
      'credentials must resolve to { accessKeyId, secretAccessKey, sessionToken? } (non-empty strings).',
    );
  }
  return parsed.data;
}

/** Signing keys one adapter keeps (one per credentials and day). */
const SIGNING_KEYS = 8;

/**
 * Signs one attempt (decide 11: aws4fetch's default header set — host, x-amz-date, x-amz-target,
 * x-amz-security-token — a valid SigV4 set that leaves content-type/length unsigned, so a fetch or
 * proxy that rewrites them cannot break the signature; decide 12: the signing time is this
 * machine's clock, no offset correction — a skewed clock is reported as unauthenticated).
 * `service` and `region` are passed explicitly: aws4fetch would guess them from the host, which
 * fails behind a custom `baseUrl`.
 */
function signer(option: CredentialsOption, region: string): PrepareRequest {
  // The SigV4 signing key (four HMACs away from the secret), kept as aws4fetch's own AwsClient
  // keeps it: aws4fetch keys it on exactly what derives it (secret key, day, region, service),
  // so an entry can never answer for other credentials or another day. Bounded: rotating
  // credentials (a function answering new ones) add an entry each; past the bound it starts over.
  const keys = new Map<string, ArrayBuffer>();
  return async (request, secret) => {
    const credentials = await resolveAws(option);
    secret(credentials.secretAccessKey);
    if (credentials.sessionToken !== undefined) secret(credentials.sessionToken);
    const body = await request.text();
    if (keys.size >= SIGNING_KEYS) keys.clear();
    // Only the protocol's own header is handed to the signer, so the signed set stays the minimal
    // one whatever else the request carries (accept, the caller's headers, a fetch's defaults).
    const toSign = new Headers();
    const target = request.headers.get('x-amz-target');
    if (target !== null) toSign.set('x-amz-target', target);
    const signed = await new AwsV4Signer({
      method: request.method,
      url: request.url,
      headers: toSign,
      body,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      service: 'cognito-idp',
      region,
      cache: keys,
    }).sign();
    const headers = new Headers(request.headers);
    for (const [name, value] of signed.headers) if (name !== 'host') headers.set(name, value);
    return new Request(signed.url, {
      method: signed.method,
      headers,
      body,
      signal: request.signal,
    });
  };
}

const base = lazy(() =>
  adapterOptions({
    baseUrl: z.optional(baseUrlSchema),
    region: z.optional(regionSchema),
    userPoolId: userPoolIdSchema,
    credentials: credentialsSchema,
    ...serverSecretShape,
  }),
);
type Raw = z.output<typeof base>;
const options = lazy(() =>
  base.check(
    z.refine((o: Raw) => o.region !== undefined || poolRegion(o.userPoolId) !== undefined, {
      error: 'must have a region (the userPoolId does not start with one)',
    }),
    z.overwrite<Raw>((o) => {
      const region = o.region ?? poolRegion(o.userPoolId) ?? 'us-east-1';
      return {
        ...o,
        baseUrl: (o.baseUrl ?? regionEndpoint(region)) as unknown as Raw['baseUrl'],
        region,
      };
    }),
  ),
);

type Options = z.output<typeof options>;
type Op = OperationTypes<'admin', Options, undefined>;
type Ctx = Op['ctx'];

function who(ctx: Ctx, userId: string) {
  return { UserPoolId: ctx.options.userPoolId, Username: userId };
}

async function read(ctx: Ctx, userId: string): Promise<PhoneView | null> {
  const body = await ctx.send({
    method: 'POST',
    path: [],
    ...call('AdminGetUser', who(ctx, userId)),
    schema: adminUserSchema,
    idempotent: true,
  });
  return phoneOf(ctx, body);
}

/** AdminSetUserMFAPreference. A write: not repeated. */
async function setMfa(ctx: Ctx, userId: string, enabled: boolean): Promise<void> {
  await ctx.send({
    method: 'POST',
    path: [],
    ...call('AdminSetUserMFAPreference', { SMSMfaSettings: smsMfa(enabled), ...who(ctx, userId) }),
    schema: emptySchema,
    idempotent: false,
  });
}

/**
 * Decide 1: only `bind({ verified: true })` — without it the core answers `unsupported` before any
 * request (`codeVerification: false`): Cognito would send a code nobody holding IAM credentials
 * can check. AdminUpdateUserAttributes sets `phone_number` and `phone_number_verified: "true"` in
 * one call (no SMS then); it is a write, never repeated. The number the user has, verified, is
 * not written again.
 */
async function bind({ userId, phone, secondFactor }: Op['bind'], ctx: Ctx) {
  const current = await read(ctx, userId);
  if (!(current?.phone.e164 === phone.e164 && current.verified)) {
    await ctx.send({
      method: 'POST',
      path: [],
      ...call('AdminUpdateUserAttributes', {
        UserPoolId: ctx.options.userPoolId,
        Username: userId,
        UserAttributes: [
          { Name: 'phone_number', Value: phone.e164 },
          { Name: 'phone_number_verified', Value: 'true' },
        ],
      }),
      schema: emptySchema,
      idempotent: false,
    });
  }
  return finish(
    ctx,
    userId,
    phone,
    secondFactor,
    current?.phone.e164 === phone.e164 ? current.secondFactor : undefined,
  );
}

async function finish(
  ctx: Ctx,
  userId: string,
  phone: PhoneNumber,
  secondFactor: boolean,
  enrolled?: boolean,
) {
  if (!secondFactor || enrolled === true) return ctx.bound({ phone, verified: true, secondFactor: enrolled });
  await setMfa(ctx, userId, true).catch(secondFactorFailed);
  return ctx.bound({ phone, verified: true, secondFactor: true });
}

async function get({ userId }: Op['get'], ctx: Ctx) {
  const view = await read(ctx, userId);
  return view && ctx.bound(view);
}

/** As the user adapter: read, SMS MFA off if on, then AdminDeleteUserAttributes (safe to repeat). */
async function remove({ userId, phone }: Op['remove'], ctx: Ctx) {
  const current = await read(ctx, userId);
  requireCurrentNumber(current && ctx.bound(current), phone, ctx.title);
  if (current?.secondFactor) await setMfa(ctx, userId, false);
  await ctx.send({
    method: 'POST',
    path: [],
    ...call('AdminDeleteUserAttributes', {
      UserPoolId: ctx.options.userPoolId,
      Username: userId,
      UserAttributeNames: ['phone_number'],
    }),
    schema: emptySchema,
    idempotent: true,
  });
  return ctx.removed();
}

/** The Cognito admin adapter, declared. */
export const cognitoAdminAdapter = defineAdapter({
  provider: COGNITO_ADMIN_ID,
  capabilities: COGNITO_ADMIN_CAPABILITIES,
  options,
  serverSecret: 'credentials',
  http: {
    // Signed as a whole in `prepare` (see above), not a header credential.
    credentials: () => [],
    fixedHeaders: () => ({ 'content-type': CONTENT_TYPE }),
    errors: mapCognitoError,
    prepare: (o) => signer(o.credentials, o.region ?? 'us-east-1'),
  },
  operations: { bind, get, remove },
});
