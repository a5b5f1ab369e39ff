/**
 * Zitadel auth API v1 as a declarative adapter, acting on the token's own user:
 * `PUT /auth/v1/users/me/phone`, `POST …/_verify`, `POST …/_resend_verification`, `GET` and `DELETE`,
 * and `POST /auth/v1/users/me/auth_factors/otp_sms` for the SMS second factor.
 * It holds only the user's own token, so it runs in browsers as it is.
 */
import type * as z from 'zod/mini';
import {
  adapterOptions,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  lazy,
  type OperationTypes,
  requireCurrentNumber,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapZitadelError } from './errors.js';
import {
  enrolSecondFactor,
  isNotChanged,
  requireSameNumber,
  secondFactorData,
  type TicketData,
  ticketData,
  tokenCredentials,
} from './shared.js';
import { mutationSchema, myPhoneSchema } from './wire.js';

// SetMyPhone always creates a code and sends it; marking verified or returning the code needs user.write.
/**
 * What the Zitadel auth API v1 (self-service) adapter can do.
 *
 * @example
 * ```ts
 * import { ZITADEL_SELF_CAPABILITIES } from 'phone-binding/zitadel';
 *
 * ZITADEL_SELF_CAPABILITIES.scope; // 'user': the access token names the user
 * ZITADEL_SELF_CAPABILITIES.assertVerified; // false: only a code proves the number
 * ZITADEL_SELF_CAPABILITIES.change; // 'immediate': a new number replaces the old one at once, unverified
 * ZITADEL_SELF_CAPABILITIES.secondFactor; // true: bind({ secondFactor: true }) enrols OTP SMS
 * ```
 */
export const ZITADEL_SELF_CAPABILITIES = defineCapabilities({
  scope: 'user',
  change: 'immediate',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
  secondFactor: true,
});

const options = lazy(() => adapterOptions({ token: credentialSchema }));

type Op = OperationTypes<'user', z.output<typeof options>, TicketData>;
type Ctx = Op['ctx'];

const PATH = ['auth', 'v1', 'users', 'me', 'phone'];
/**
 * AddMyAuthFactorOTPSMS / RemoveMyAuthFactorOTPSMS of the auth API: `POST` and `DELETE
 * /auth/v1/users/me/auth_factors/otp_sms` (zitadel.com/docs/apis/resources/auth/
 * auth-service-add-my-auth-factor-otpsms: "POST /users/me/auth_factors/otp_sms", base path
 * `/auth/v1`; the request message is empty, sent as `{}`). Not `…/users/me/otp_sms`.
 */
const OTP_SMS_PATH = ['auth', 'v1', 'users', 'me', 'auth_factors', 'otp_sms'];

/** The Zitadel auth API v1 (self-service) adapter, declared. */
export const zitadelSelfAdapter = defineAdapter({
  provider: 'zitadel-self',
  capabilities: ZITADEL_SELF_CAPABILITIES,
  options,
  http: {
    credentials: tokenCredentials,
    errors: mapZitadelError,
  },
  ticketData,
  codeMaxLength: 200, // VerifyMyPhoneRequest.code: 1–200 characters
  operations: { bind, verify, resend, get, remove },
});

/** The user's number. GetMyPhone does not tell the second factor, so `secondFactor` stays undefined. */
async function read(ctx: Ctx): Promise<BoundPhone | null> {
  const body = await ctx.send({ method: 'GET', path: PATH, schema: myPhoneSchema, idempotent: true });
  if (!body.phone?.phone) return null;
  return ctx.bound({
    phone: ctx.storedPhone(body.phone.phone),
    verified: body.phone.isPhoneVerified === true,
  });
}

async function sendCode(ctx: Ctx, phone: PhoneNumber, secondFactor: boolean): Promise<PendingVerification> {
  await ctx.send({
    method: 'POST',
    path: [...PATH, '_resend_verification'],
    json: {},
    schema: mutationSchema,
    idempotent: false,
    sendsSms: true,
  });
  return ctx.pending({ phone, data: secondFactorData(secondFactor) });
}

/** The number is bound and verified: enrol it as the second factor where asked. */
async function verifiedResult(ctx: Ctx, phone: PhoneNumber, secondFactor: boolean) {
  if (!secondFactor) return ctx.bound({ phone, verified: true });
  await enrolSecondFactor(ctx, OTP_SMS_PATH);
  return ctx.bound({ phone, verified: true, secondFactor: true });
}

/** The same number again: a verified one is bound (nothing sent but the factor), an unverified one gets its code again. */
function sameNumber(ctx: Ctx, current: BoundPhone, secondFactor: boolean) {
  return current.state === 'verified'
    ? verifiedResult(ctx, current.phone, secondFactor)
    : sendCode(ctx, current.phone, secondFactor);
}

/**
 * Reads the user's number first: the pending result of a change names the number it replaces
 * (SetMyPhone's answer does not), and the same number again needs no SetMyPhone. SetMyPhone then
 * replaces the number at once, unverified, and sends the code (`change: 'immediate'`).
 */
async function bind({ phone, secondFactor }: Op['bind'], ctx: Ctx) {
  const current = await read(ctx);
  if (current?.phone.e164 === phone.e164) return sameNumber(ctx, current, secondFactor);
  try {
    await ctx.send({
      method: 'PUT',
      path: PATH,
      json: { phone: phone.e164 },
      schema: mutationSchema,
      idempotent: false,
      sendsSms: true,
    });
  } catch (error) {
    if (!isNotChanged(error)) throw error;
    // The number changed to this one since it was read: answer as for the same number.
    const now = requireSameNumber(await read(ctx), phone, 'COMMAND-wF94r');
    return sameNumber(ctx, now, secondFactor);
  }
  return ctx.pending({ phone, replaces: current?.phone, data: secondFactorData(secondFactor) });
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  await ctx.send({
    method: 'POST',
    path: [...PATH, '_verify'],
    json: { code },
    schema: mutationSchema,
    idempotent: false,
  });
  return verifiedResult(ctx, ticket.phone, ticket.data?.secondFactor === 1);
}

/** A new code; the pending result names no `replaces` (Zitadel no longer knows the replaced number). */
function resend({ ticket }: Op['resend'], ctx: Ctx) {
  return sendCode(ctx, ticket.phone, ticket.data?.secondFactor === 1);
}

function get(_input: Op['get'], ctx: Ctx) {
  return read(ctx);
}

/**
 * RemoveMyPhone removes the SMS second factor with the phone (the same HumanPhoneRemovedEvent
 * resets Zitadel's OTP SMS state; see the user service adapter), so no RemoveMyAuthFactorOTPSMS is sent.
 */
async function remove({ phone }: Op['remove'], ctx: Ctx) {
  // One number per user: check it is the one named, so a stale screen never removes another.
  if (phone) requireCurrentNumber(await read(ctx), phone, ctx.title);
  await ctx.send({ method: 'DELETE', path: PATH, schema: mutationSchema, idempotent: true });
  return ctx.removed();
}
