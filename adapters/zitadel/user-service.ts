/**
 * Zitadel user service v2 (REST gateway) as a declarative adapter, acting as admin on any user:
 * `POST /v2/users/{userId}/phone`, `…/phone/verify`, `…/phone/resend`, `GET /v2/users/{userId}`,
 * `DELETE /v2/users/{userId}/phone`, and `POST /v2/users/{userId}/otp_sms` for the SMS second factor.
 */
import * as z from 'zod/mini';
import {
  adapterOptions,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  lazy,
  type OperationTypes,
  PhoneBindingError,
  requireCurrentNumber,
  serverSecretShape,
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
import { mutationSchema, setPhoneSchema, userSchema } from './wire.js';

/**
 * What the Zitadel user service v2 adapter can do.
 *
 * @example
 * ```ts
 * import { ZITADEL_CAPABILITIES } from 'phone-binding/zitadel';
 *
 * ZITADEL_CAPABILITIES.scope; // 'admin': any userId, with a service user's token
 * ZITADEL_CAPABILITIES.returnCode; // true: delivery 'return-code' hands the code back
 * ZITADEL_CAPABILITIES.assertVerified; // true: bind({ verified: true }) sends no SMS
 * ZITADEL_CAPABILITIES.change; // 'immediate': a new number replaces the old one at once, unverified
 * ZITADEL_CAPABILITIES.secondFactor; // true: bind({ secondFactor: true }) enrols OTP SMS
 * ```
 */
export const ZITADEL_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  change: 'immediate',
  codeVerification: true,
  assertVerified: true,
  returnCode: true,
  resend: true,
  get: true,
  remove: true,
  secondFactor: true,
});

const options = lazy(() =>
  adapterOptions({
    token: credentialSchema,
    delivery: z._default(z.enum(['sms', 'return-code']), 'sms'),
    ...serverSecretShape,
  }),
);

type Op = OperationTypes<'admin', z.output<typeof options>, TicketData>;
type Ctx = Op['ctx'];

const phonePath = (userId: string) => ['v2', 'users', userId, 'phone'];
const otpSmsPath = (userId: string) => ['v2', 'users', userId, 'otp_sms'];
const codeRequest = (ctx: Ctx) => (ctx.options.delivery === 'sms' ? { sendCode: {} } : { returnCode: {} });

/** The Zitadel user service v2 adapter, declared. */
export const zitadelAdapter = defineAdapter({
  provider: 'zitadel',
  capabilities: ZITADEL_CAPABILITIES,
  options,
  serverSecret: 'token',
  http: {
    credentials: tokenCredentials,
    errors: mapZitadelError,
  },
  ticketData,
  codeMaxLength: 20, // VerifyPhoneRequest.verification_code: 1–20 characters
  operations: { bind, verify, resend, get, remove },
});

/** What a pending verification carries besides the number and the code. */
interface PendingExtras {
  /** A change: the number being replaced. */
  replaces?: PhoneNumber | undefined;
  /** Enrol the SMS second factor once verified. */
  secondFactor: boolean;
}

function pending(
  ctx: Ctx,
  userId: string,
  phone: PhoneNumber,
  code: string | null | undefined,
  { replaces, secondFactor }: PendingExtras,
): PendingVerification {
  // Zitadel does not say when the code expires (an instance setting, 1 h by default): no expiresAt.
  const fields = { userId, phone, replaces, data: secondFactorData(secondFactor) };
  if (ctx.options.delivery === 'sms') return ctx.pending(fields);
  // The document allows the code to be absent or null; this operation needs it (an empty one
  // could never be verified).
  if (!code) {
    throw new PhoneBindingError({
      code: 'invalid_response',
      message: 'Zitadel was asked to return the code but its answer holds none (verificationCode).',
    });
  }
  return ctx.pending({ ...fields, code });
}

/**
 * The user's number. GetUserByID does not tell the second factor (its HumanUser holds no auth
 * methods; ListAuthenticationMethodTypes would), so `secondFactor` stays undefined here.
 */
async function read(ctx: Ctx, userId: string): Promise<BoundPhone | null> {
  const body = await ctx.send({
    method: 'GET',
    path: ['v2', 'users', userId],
    schema: userSchema,
    idempotent: true,
  });
  const stored = body.user.human?.phone;
  if (!stored?.phone) return null;
  return ctx.bound({ phone: ctx.storedPhone(stored.phone), verified: stored.isVerified === true });
}

async function sendCode(
  ctx: Ctx,
  userId: string,
  phone: PhoneNumber,
  secondFactor: boolean,
): Promise<PendingVerification> {
  const body = await ctx.send({
    method: 'POST',
    path: [...phonePath(userId), 'resend'],
    json: codeRequest(ctx),
    schema: setPhoneSchema,
    idempotent: false,
    sendsSms: ctx.options.delivery === 'sms',
  });
  return pending(ctx, userId, phone, body.verificationCode, { secondFactor });
}

/** The number is bound and verified: enrol it as the second factor where asked. */
async function verifiedResult(ctx: Ctx, userId: string, phone: PhoneNumber, secondFactor: boolean) {
  if (!secondFactor) return ctx.bound({ phone, verified: true });
  await enrolSecondFactor(ctx, otpSmsPath(userId));
  return ctx.bound({ phone, verified: true, secondFactor: true });
}

/**
 * The user holds the number asked for already (Zitadel refuses to set it again, "not changed");
 * the adapter does what its docs advise: a verified number is bound already (nothing is sent but
 * the second factor, where asked), an unverified one gets its code again (the one SMS asked for).
 */
function sameNumber(ctx: Ctx, { userId, phone, verified, secondFactor }: Op['bind'], current: BoundPhone) {
  if (current.state === 'verified') return verifiedResult(ctx, userId, current.phone, secondFactor);
  if (verified) {
    throw new PhoneBindingError({
      code: 'provider_error',
      providerCode: 'COMMAND-Uch5e',
      message:
        'The user already has this number, unverified, and Zitadel will not set the same number again as verified. ' +
        'Verify it with a code (resend), or remove it first.',
    });
  }
  return sendCode(ctx, userId, phone, secondFactor);
}

/** Zitadel answered "not changed" after all (the number changed since it was read, or no read was made). */
async function whenUnchanged(ctx: Ctx, input: Op['bind']) {
  const current = requireSameNumber(await read(ctx, input.userId), input.phone, 'COMMAND-Uch5e');
  return sameNumber(ctx, input, current);
}

/**
 * A code flow first reads the user's number: the pending result of a change names the number it
 * replaces (SetPhone's answer does not), and the same number again needs no SetPhone. SetPhone
 * then replaces the number at once and holds the new one unverified (`change: 'immediate'`).
 * `bind({ verified: true })` returns no pending result, so it reads nothing first: SetPhone with
 * `isVerified` replaces the number verified, and "not changed" is read and answered as before.
 */
async function bind(input: Op['bind'], ctx: Ctx) {
  const { userId, phone, verified, secondFactor } = input;
  const current = verified ? null : await read(ctx, userId);
  if (current?.phone.e164 === phone.e164) return sameNumber(ctx, input, current);
  let body: z.output<typeof setPhoneSchema>;
  try {
    body = await ctx.send({
      method: 'POST',
      path: phonePath(userId),
      json: { phone: phone.e164, ...(verified ? { isVerified: true } : codeRequest(ctx)) },
      schema: setPhoneSchema,
      idempotent: false,
      sendsSms: !verified && ctx.options.delivery === 'sms',
    });
  } catch (error) {
    if (isNotChanged(error)) return whenUnchanged(ctx, input);
    throw error;
  }
  if (verified) return verifiedResult(ctx, userId, phone, secondFactor);
  return pending(ctx, userId, phone, body.verificationCode, { replaces: current?.phone, secondFactor });
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  await ctx.send({
    method: 'POST',
    path: [...phonePath(ticket.userId), 'verify'],
    json: { verificationCode: code },
    schema: mutationSchema,
    idempotent: false,
  });
  return verifiedResult(ctx, ticket.userId, ticket.phone, ticket.data?.secondFactor === 1);
}

/**
 * A new code for the number of the ticket. The resent pending result names no `replaces`: Zitadel
 * holds the new number already, and the one it replaced is no longer known.
 */
function resend({ ticket }: Op['resend'], ctx: Ctx) {
  return sendCode(ctx, ticket.userId, ticket.phone, ticket.data?.secondFactor === 1);
}

function get({ userId }: Op['get'], ctx: Ctx) {
  return read(ctx, userId);
}

/**
 * Removing the phone removes the SMS second factor with it: Zitadel's OTP SMS write model resets
 * on the phone's removal (internal/command/user_human_otp_model.go, HumanOTPSMSWriteModel.Reduce
 * on HumanPhoneRemovedEvent) and the auth-method projection deletes OTP_SMS on it
 * (internal/query/projection/user_auth_method.go). Nothing dangles, so no RemoveOTPSMS is sent.
 */
async function remove({ userId, phone }: Op['remove'], ctx: Ctx) {
  // One number per user: check it is the one named, so a stale screen never removes another.
  if (phone) requireCurrentNumber(await read(ctx, userId), phone, ctx.title);
  await ctx.send({ method: 'DELETE', path: phonePath(userId), schema: mutationSchema, idempotent: true });
  return ctx.removed();
}
