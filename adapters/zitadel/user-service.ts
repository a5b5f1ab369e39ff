/**
 * Zitadel user service v2 (REST gateway) as a declarative adapter, acting as admin on any user:
 * `POST /v2/users/{userId}/phone`, `…/phone/verify`, `…/phone/resend`, `GET /v2/users/{userId}`,
 * `DELETE /v2/users/{userId}/phone`.
 */
import * as z from 'zod/mini';
import {
  adapterOptions,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  type NoTicketData,
  type OperationTypes,
  PhoneBindingError,
  requireCurrentNumber,
  serverSecretShape,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapZitadelError } from './errors.js';
import { isNotChanged, requireSameNumber, tokenCredentials } from './shared.js';
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
 * ```
 */
export const ZITADEL_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  codeVerification: true,
  assertVerified: true,
  returnCode: true,
  resend: true,
  get: true,
  remove: true,
});

const options = adapterOptions({
  token: credentialSchema,
  delivery: z._default(z.enum(['sms', 'return-code']), 'sms'),
  ...serverSecretShape,
});

type Op = OperationTypes<'admin', z.output<typeof options>, NoTicketData>;
type Ctx = Op['ctx'];

const phonePath = (userId: string) => ['v2', 'users', userId, 'phone'];
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
  codeMaxLength: 20, // VerifyPhoneRequest.verification_code: 1–20 characters
  operations: { bind, verify, resend, get, remove },
});

function pending(
  ctx: Ctx,
  userId: string,
  phone: PhoneNumber,
  code: string | undefined,
): PendingVerification {
  // Zitadel does not say when the code expires (an instance setting, 1 h by default): no expiresAt.
  if (ctx.options.delivery === 'sms') return ctx.pending({ userId, phone });
  if (code === undefined) {
    throw new PhoneBindingError({
      code: 'invalid_response',
      message: 'Zitadel was asked to return the code but its answer holds none.',
    });
  }
  return ctx.pending({ userId, phone, code });
}

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

async function sendCode(ctx: Ctx, userId: string, phone: PhoneNumber): Promise<PendingVerification> {
  const body = await ctx.send({
    method: 'POST',
    path: [...phonePath(userId), 'resend'],
    json: codeRequest(ctx),
    schema: setPhoneSchema,
    idempotent: false,
    sendsSms: ctx.options.delivery === 'sms',
  });
  return pending(ctx, userId, phone, body.verificationCode);
}

/**
 * Zitadel refuses to set the number the user already has; the adapter does what its docs advise:
 * a verified number is bound already, an unverified one gets its code again (the one SMS asked for).
 */
async function whenUnchanged(ctx: Ctx, { userId, phone, verified }: Op['bind']) {
  const current = requireSameNumber(await read(ctx, userId), phone, 'COMMAND-Uch5e');
  if (current.state === 'verified') return current;
  if (verified) {
    throw new PhoneBindingError({
      code: 'provider_error',
      providerCode: 'COMMAND-Uch5e',
      message:
        'The user already has this number, unverified, and Zitadel will not set the same number again as verified. ' +
        'Verify it with a code (resend), or remove it first.',
    });
  }
  return sendCode(ctx, userId, phone);
}

async function bind(input: Op['bind'], ctx: Ctx) {
  const { userId, phone, verified } = input;
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
  if (verified) return ctx.bound({ phone, verified: true });
  return pending(ctx, userId, phone, body.verificationCode);
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  await ctx.send({
    method: 'POST',
    path: [...phonePath(ticket.userId), 'verify'],
    json: { verificationCode: code },
    schema: mutationSchema,
    idempotent: false,
  });
  return ctx.bound({ phone: ticket.phone, verified: true });
}

function resend({ ticket }: Op['resend'], ctx: Ctx) {
  return sendCode(ctx, ticket.userId, ticket.phone);
}

function get({ userId }: Op['get'], ctx: Ctx) {
  return read(ctx, userId);
}

async function remove({ userId, phone }: Op['remove'], ctx: Ctx) {
  // One number per user: check it is the one named, so a stale screen never removes another.
  if (phone) requireCurrentNumber(await read(ctx, userId), phone);
  await ctx.send({ method: 'DELETE', path: phonePath(userId), schema: mutationSchema, idempotent: true });
  return ctx.removed();
}
