/**
 * Authing (and GenAuth, its international brand) as a declarative adapter, on the signed-in
 * user's own number through the v3 Authentication API: `POST /api/v3/send-sms` sends the code,
 * `POST /api/v3/bind-phone` binds with it, `GET /api/v3/get-profile` reads it, and `remove()`
 * takes two steps (a code on `CHANNEL_UNBIND_PHONE`, then `POST /api/v3/unbind-phone`).
 */
import * as z from 'zod/mini';
import {
  adapterOptions,
  bearer,
  type CredentialHeader,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  idSchema,
  type NoTicketData,
  type OperationTypes,
  PhoneBindingError,
  requireCurrentNumber,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber, VerificationPurpose } from '../../src/types.js';
import { authingBodyError, mapAuthingError } from './errors.js';
import { CHANNEL, envelopeSchema, profileSchema, SMS_INTERVAL_MS } from './wire.js';

// unbind-phone needs a code sent to the current number on CHANNEL_UNBIND_PHONE.
/**
 * What the Authing adapter can do.
 *
 * @example
 * ```ts
 * import { AUTHING_CAPABILITIES } from 'phone-binding/authing';
 *
 * AUTHING_CAPABILITIES.scope; // 'user': the access token names the user
 * AUTHING_CAPABILITIES.removeNeedsCode; // true: remove() sends a code first, then remove({ ticket, code })
 * ```
 */
export const AUTHING_CAPABILITIES = defineCapabilities({
  scope: 'user',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
  removeNeedsCode: true,
});

const options = adapterOptions({
  accessToken: credentialSchema,
  appId: idSchema,
  userPoolId: z.optional(idSchema),
  authorization: z._default(z.enum(['raw', 'bearer']), 'raw'),
  brand: z._default(z.enum(['authing', 'genauth']), 'authing'),
  lang: z.optional(z.enum(['zh-CN', 'en-US'])),
});
type Options = z.output<typeof options>;

// The token names the user and the flows need nothing else: tickets carry no data.
type Op = OperationTypes<'user', Options, NoTicketData>;
type Ctx = Op['ctx'];

/** The Authing adapter, declared. */
export const authingAdapter = defineAdapter({
  provider: 'authing',
  capabilities: AUTHING_CAPABILITIES,
  options,
  http: {
    credentials,
    fixedHeaders,
    errors: mapAuthingError,
    bodyError: authingBodyError,
  },
  operations: { bind, verify, resend, get, remove },
});

/** `raw` is what the official Node SDK sends, `bearer` what the web SDK sends. */
function credentials(o: Options): CredentialHeader[] {
  return [
    o.authorization === 'bearer'
      ? bearer(o.accessToken, 'accessToken')
      : { header: 'authorization', credential: o.accessToken, field: 'accessToken' },
  ];
}

/** The app id, and the pool id and language when given, under the brand's header prefix. */
function fixedHeaders(o: Options): Record<string, string> {
  const prefix = `x-${o.brand}`;
  const headers: Record<string, string> = { [`${prefix}-app-id`]: o.appId };
  if (o.userPoolId !== undefined) headers[`${prefix}-userpool-id`] = o.userPoolId;
  if (o.lang !== undefined) headers[`${prefix}-lang`] = o.lang;
  return headers;
}

/** Authing's split: the national number, and the country calling code as `+NN`. */
function split(phone: PhoneNumber) {
  return { phoneNumber: phone.nationalNumber, phoneCountryCode: `+${phone.countryCallingCode}` };
}

async function sendSms(
  ctx: Ctx,
  phone: PhoneNumber,
  purpose: VerificationPurpose,
): Promise<PendingVerification> {
  await ctx.send({
    method: 'POST',
    path: ['api', 'v3', 'send-sms'],
    json: { ...split(phone), channel: CHANNEL[purpose] },
    schema: envelopeSchema,
    idempotent: false,
    sendsSms: true,
  });
  // Authing does not say how long a code lives: no expiresAt.
  return ctx.pending({ phone, purpose });
}

async function profile(ctx: Ctx): Promise<BoundPhone | null> {
  const body = await ctx.send({
    method: 'GET',
    path: ['api', 'v3', 'get-profile'],
    schema: profileSchema,
    idempotent: true,
  });
  const { phone, phoneCountryCode, phoneVerified } = body.data;
  if (!phone) return null;
  return ctx.bound({
    // Without a country code Authing means mainland China (its SDKs fill in +86).
    phone: ctx.storedPhone(`${phoneCountryCode || '+86'}${phone}`),
    // Self-service binding always verifies; unverified numbers only come from admin writes.
    verified: phoneVerified === true,
  });
}

async function bind({ phone }: Op['bind'], ctx: Ctx) {
  // bind-phone only binds a first number: look before sending an SMS that could never be used.
  const current = await profile(ctx);
  if (current?.phone.e164 === phone.e164 && current.state === 'verified') return current;
  if (current) {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: 'The user already has a phone number; Authing binds only a first number. Remove it first.',
    });
  }
  return sendSms(ctx, phone, 'bind');
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  await ctx.send({
    method: 'POST',
    path: ['api', 'v3', 'bind-phone'],
    json: {
      phoneNumber: ticket.phone.nationalNumber,
      passCode: code,
      phoneCountryCode: `+${ticket.phone.countryCallingCode}`,
    },
    schema: envelopeSchema,
    idempotent: false,
  });
  return ctx.bound({ phone: ticket.phone, verified: true });
}

function resend({ ticket }: Op['resend'], ctx: Ctx) {
  // Inside Authing's one-minute window: refused locally, without sending anything.
  const wait = Date.parse(ticket.issuedAt) + SMS_INTERVAL_MS - Date.now();
  if (wait > 0) {
    throw new PhoneBindingError({
      code: 'rate_limited',
      message: `Authing sends one SMS per minute per number; try again in ${Math.ceil(wait / 1000)} s.`,
      retryAfterMs: wait,
    });
  }
  return sendSms(ctx, ticket.phone, ticket.purpose);
}

function get(_input: unknown, ctx: Ctx) {
  return profile(ctx);
}

async function remove({ phone, confirm }: Op['remove'], ctx: Ctx) {
  if (confirm) {
    await ctx.send({
      method: 'POST',
      path: ['api', 'v3', 'unbind-phone'],
      json: { passCode: confirm.code },
      schema: envelopeSchema,
      idempotent: false,
    });
    return ctx.removed();
  }
  const current = requireCurrentNumber(await profile(ctx), phone);
  return sendSms(ctx, current.phone, 'remove');
}
