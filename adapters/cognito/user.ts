/**
 * Cognito user pools, user scope: the signed-in user's own access token, sent in the body
 * (`AccessToken`) of unsigned calls — `UpdateUserAttributes`, `VerifyUserAttribute`,
 * `GetUserAttributeVerificationCode`, `GetUser`, `DeleteUserAttributes`, `SetUserMFAPreference`.
 * No AWS credentials and no signer: it runs in browsers as it is.
 */
import * as z from 'zod/mini';
import {
  type Adapter,
  adapterOptions,
  baseUrlSchema,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  lazy,
  type OperationTypes,
  requireCurrentNumber,
  resolveCredential,
} from '../../src/kit/index.js';
import type { Capabilities, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapCognitoError } from './errors.js';
import {
  CODE_TTL_MS,
  COGNITO_ID,
  CONTENT_TYPE,
  call,
  type PhoneView,
  phoneOf,
  regionEndpoint,
  regionSchema,
  secondFactorData,
  secondFactorFailed,
  smsMfa,
  type TicketData,
  ticketData,
} from './shared.js';
import { emptySchema, resendSchema, updateSchema, userSchema } from './wire.js';

const FLAGS = { codeVerification: true, resend: true, get: true, remove: true, secondFactor: true } as const;

/**
 * What {@link cognito} can do in a pool WITHOUT "keep original attribute value active when an
 * update is pending" (the API's default): a new number replaces the old one at once, unverified.
 *
 * @example
 * ```ts
 * import { COGNITO_CAPABILITIES } from 'phone-binding/cognito';
 *
 * COGNITO_CAPABILITIES.scope; // 'user': the access token names the user
 * COGNITO_CAPABILITIES.change; // 'immediate': the pool holds the new number unverified until verify()
 * COGNITO_CAPABILITIES.secondFactor; // true: bind({ secondFactor: true }) enables SMS MFA
 * ```
 */
export const COGNITO_CAPABILITIES = defineCapabilities({ scope: 'user', change: 'immediate', ...FLAGS });

/**
 * What {@link cognito} can do with `keepOriginalUntilVerified: true` (the pool's
 * `AttributesRequireVerificationBeforeUpdate` holds `phone_number`): the old number stays, verified,
 * until the new one's code is right.
 *
 * @example
 * ```ts
 * import { COGNITO_KEEP_ORIGINAL_CAPABILITIES, cognito } from 'phone-binding/cognito';
 *
 * const phones = cognito({ region: 'eu-west-1', accessToken: 'eyJ…', keepOriginalUntilVerified: true });
 * phones.capabilities.change === COGNITO_KEEP_ORIGINAL_CAPABILITIES.change; // 'on-verify'
 * ```
 */
export const COGNITO_KEEP_ORIGINAL_CAPABILITIES = defineCapabilities({
  scope: 'user',
  change: 'on-verify',
  ...FLAGS,
});

const base = lazy(() =>
  adapterOptions({
    baseUrl: z.optional(baseUrlSchema),
    region: z.optional(regionSchema),
    accessToken: credentialSchema,
    keepOriginalUntilVerified: z.optional(z.boolean()),
  }),
);
type Raw = z.output<typeof base>;
const options = lazy(() =>
  base.check(
    z.refine((o: Raw) => o.region !== undefined || o.baseUrl !== undefined, {
      error: 'must have a region or a baseUrl',
    }),
    // The kit's common options need `baseUrl`: from the region when only it is given.
    z.overwrite<Raw>((o) => ({
      ...o,
      // (The kit reads the filled-in baseUrl; the schema type keeps it optional.)
      baseUrl: (o.baseUrl ?? regionEndpoint(o.region ?? 'us-east-1')) as unknown as Raw['baseUrl'],
    })),
  ),
);

type Options = z.output<typeof options>;
type Op = OperationTypes<'user', Options, TicketData>;
type Ctx = Op['ctx'];

/** Resolves the access token for one request (a function is asked every time) and masks it. */
async function accessToken(ctx: Ctx): Promise<string> {
  const value = await resolveCredential(ctx.options.accessToken, 'accessToken');
  ctx.redactor.secret(value);
  return value;
}

async function read(ctx: Ctx): Promise<PhoneView | null> {
  const body = await ctx.send({
    method: 'POST',
    path: [],
    ...call('GetUser', { AccessToken: await accessToken(ctx) }),
    schema: userSchema,
    idempotent: true,
  });
  return phoneOf(ctx, body);
}

function pending(ctx: Ctx, phone: PhoneNumber, secondFactor: boolean, replaces?: PhoneNumber) {
  return ctx.pending({
    phone,
    replaces,
    expiresAt: new Date(Date.now() + CODE_TTL_MS),
    data: secondFactorData(secondFactor),
  });
}

/**
 * GetUserAttributeVerificationCode: a new code for the phone. It sends an SMS: never repeated.
 * Decide 4 (U3 side): its `CodeDeliveryDetails` is not read — U3 is only called for a number
 * the pool already sent a code to (or holds unverified), and an answer without one is taken
 * as sent, as U3's model allows.
 */
async function sendCode(
  ctx: Ctx,
  phone: PhoneNumber,
  secondFactor: boolean,
  replaces?: PhoneNumber,
): Promise<PendingVerification> {
  await ctx.send({
    method: 'POST',
    path: [],
    ...call('GetUserAttributeVerificationCode', {
      AccessToken: await accessToken(ctx),
      AttributeName: 'phone_number',
    }),
    schema: resendSchema,
    idempotent: false,
    sendsSms: true,
  });
  return pending(ctx, phone, secondFactor, replaces);
}

/** SetUserMFAPreference: SMS as the enabled, preferred second factor (or off). A write: not repeated. */
async function setMfa(ctx: Ctx, enabled: boolean): Promise<void> {
  await ctx.send({
    method: 'POST',
    path: [],
    ...call('SetUserMFAPreference', {
      SMSMfaSettings: smsMfa(enabled),
      AccessToken: await accessToken(ctx),
    }),
    schema: emptySchema,
    idempotent: false,
  });
}

/** `enrolled`: what a read told of SMS MFA (undefined: not read). */
async function verifiedResult(ctx: Ctx, phone: PhoneNumber, secondFactor: boolean, enrolled?: boolean) {
  if (!secondFactor || enrolled === true) return ctx.bound({ phone, verified: true, secondFactor: enrolled });
  await setMfa(ctx, true).catch(secondFactorFailed);
  return ctx.bound({ phone, verified: true, secondFactor: true });
}

/**
 * Reads the user first: the pending result names the number a change replaces, and the number
 * the user already has is never sent again through UpdateUserAttributes (Cognito sends no code
 * for an unchanged value): verified, it is bound and nothing is sent; unverified, its code is
 * re-sent with GetUserAttributeVerificationCode.
 *
 * UpdateUserAttributes sends the SMS, so it is never repeated (the AWS SDK retries it 3 times on
 * throttling and 5xx; this adapter does not). Decide 4: an answer without a
 * `CodeDeliveryDetailsList` entry means the pool does not auto-verify phone numbers and sent no
 * code: the number is stored, unverified, and bind() answers that (a `BoundPhone`), without a
 * second request. Decide 2: a first number in a keep-original pool is stored at once, unverified
 * (there is no original value to keep) — the same answer either way: a pending verification.
 */
async function bind({ phone, secondFactor }: Op['bind'], ctx: Ctx) {
  const current = await read(ctx);
  if (current?.phone.e164 === phone.e164) {
    return current.verified
      ? verifiedResult(ctx, current.phone, secondFactor, current.secondFactor)
      : sendCode(ctx, current.phone, secondFactor);
  }
  const answer = await ctx.send({
    method: 'POST',
    path: [],
    ...call('UpdateUserAttributes', {
      UserAttributes: [{ Name: 'phone_number', Value: phone.e164 }],
      AccessToken: await accessToken(ctx),
    }),
    schema: updateSchema,
    idempotent: false,
    sendsSms: true,
  });
  const sent = (answer.CodeDeliveryDetailsList ?? []).some(
    (d) => d.AttributeName === undefined || d.AttributeName === 'phone_number',
  );
  if (!sent) return ctx.bound({ phone, verified: false });
  return pending(ctx, phone, secondFactor, current?.phone);
}

/** VerifyUserAttribute checks the code: never repeated. Then SMS MFA where the ticket asks. */
async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  await ctx.send({
    method: 'POST',
    path: [],
    ...call('VerifyUserAttribute', {
      AccessToken: await accessToken(ctx),
      AttributeName: 'phone_number',
      Code: code,
    }),
    schema: emptySchema,
    idempotent: false,
  });
  return verifiedResult(ctx, ticket.phone, ticket.data?.secondFactor === 1);
}

/**
 * Decide 3: in a keep-original pool, Cognito's docs do not say whether U3's code goes to the
 * pending or the original number; the adapter names the ticket's (pending) number, the one
 * verify() checks. It reads the user first (a read, safe): the original number a keep-original
 * pool still shows is the one the change `replaces`, as bind() said.
 */
async function resend({ ticket }: Op['resend'], ctx: Ctx) {
  const current = await read(ctx);
  const replaces = current?.verified && current.phone.e164 !== ticket.phone.e164 ? current.phone : undefined;
  return sendCode(ctx, ticket.phone, ticket.data?.secondFactor === 1, replaces);
}

async function get(_input: Op['get'], ctx: Ctx) {
  const view = await read(ctx);
  return view && ctx.bound(view);
}

/**
 * Decide 8: reads first (a named number must be the current one); SMS MFA, if on, is switched off
 * first (Cognito would otherwise keep a second factor without a number); then DeleteUserAttributes
 * of `phone_number` only (`phone_number_verified` goes with it). A delete is safe to repeat.
 */
async function remove({ phone }: Op['remove'], ctx: Ctx) {
  const current = await read(ctx);
  requireCurrentNumber(current && ctx.bound(current), phone, ctx.title);
  if (current?.secondFactor) await setMfa(ctx, false);
  await ctx.send({
    method: 'POST',
    path: [],
    ...call('DeleteUserAttributes', {
      UserAttributeNames: ['phone_number'],
      AccessToken: await accessToken(ctx),
    }),
    schema: emptySchema,
    idempotent: true,
  });
  return ctx.removed();
}

function spec<C extends Readonly<Capabilities & { scope: 'user' }>>(capabilities: C) {
  return defineAdapter({
    provider: COGNITO_ID,
    capabilities,
    options,
    http: {
      // The token travels in the body (AccessToken), not in a header. Decide 9: Cognito's CORS
      // policy for extra request headers is not documented, so nothing beyond content-type and
      // x-amz-target is added from a browser; headers the caller passes (`headers`, per-call
      // `headers`) are sent as given — a preflight the endpoint refuses is then a `network`
      // error the caller's own choice caused (README says so).
      credentials: () => [],
      fixedHeaders: () => ({ 'content-type': CONTENT_TYPE }),
      errors: mapCognitoError,
    },
    ticketData,
    // Decide 13: the model allows 1–2048 non-space characters; the code's format is not documented.
    codeMaxLength: 2048,
    operations: { bind, verify, resend, get, remove },
  });
}

const immediate = spec(COGNITO_CAPABILITIES);
const keepOriginal = spec(COGNITO_KEEP_ORIGINAL_CAPABILITIES);

/**
 * The Cognito user-scope adapter, declared. Its capabilities depend on a pool setting the adapter
 * cannot read with the user's token (DescribeUserPool needs IAM credentials), so the app tells it:
 * `keepOriginalUntilVerified` picks one of two specs. The registry's spec (capability table) is the
 * API's default, `change: 'immediate'`.
 */
export const cognitoAdapter: Adapter<typeof COGNITO_ID, 'user', Options, TicketData> = {
  spec: immediate.spec,
  codeMaxLength: immediate.codeMaxLength,
  create(raw) {
    const keep =
      typeof raw === 'object' &&
      raw !== null &&
      (raw as { keepOriginalUntilVerified?: unknown }).keepOriginalUntilVerified === true;
    return (keep ? keepOriginal : immediate).create(raw);
  },
};
