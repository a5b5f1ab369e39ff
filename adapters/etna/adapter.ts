/**
 * ETNA Trader (Trading API) as a declarative adapter, on a user's phone number:
 * `PUT …/users/{userId}/subscriptions/settings/phonenumber` sends the SMS,
 * `PUT …/phonenumber/token/{tokenId}?tokenValue=<code>` verifies it, `GET` reads it and `DELETE`
 * unbinds it. Every call carries `Authorization: Bearer <token>` and `Et-App-Key`.
 */
import * as z from 'zod/mini';
import {
  adapterOptions,
  bearer,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  invalidInput,
  isPhoneBindingError,
  type OperationTypes,
  PhoneBindingError,
  requireCurrentNumber,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapEtnaError } from './errors.js';
import { bindSchema, type EtnaPhone, INT32_MAX, phoneModel } from './wire.js';

// The paths need ETNA's numeric user id, even when the token is the user's own.
// No resend endpoint: resend() binds the same number again (a new token id).
/**
 * What the ETNA adapter can do.
 *
 * @example
 * ```ts
 * import { ETNA_CAPABILITIES } from 'phone-binding/etna';
 *
 * ETNA_CAPABILITIES.scope; // 'admin': every call names ETNA's numeric userId
 * ETNA_CAPABILITIES.assertVerified; // false: bind() always sends an SMS
 * ```
 */
export const ETNA_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
});

const options = adapterOptions({
  token: credentialSchema,
  appKey: credentialSchema,
  // It becomes a path segment (`v1.0`): nothing but digits and one dot may get there.
  apiVersion: z._default(
    z.string().check(z.regex(/^\d+(\.\d+)?$/, { error: 'must look like "1.0" (digits, one optional dot)' })),
    '1.0',
  ),
});
type Options = z.output<typeof options>;

// What verify needs: the int32 token id ETNA answered the bind with.
const ticketData = z.object({ tokenId: z.int().check(z.gte(0), z.lte(INT32_MAX)) });
type TicketData = z.output<typeof ticketData>;
type Op = OperationTypes<'admin', Options, TicketData>;
type Ctx = Op['ctx'];

/** The ETNA adapter, declared. */
export const etnaAdapter = defineAdapter({
  provider: 'etna',
  capabilities: ETNA_CAPABILITIES,
  options,
  http: {
    credentials: (o) => [
      bearer(o.token, 'token'),
      { header: 'et-app-key', credential: o.appKey, field: 'appKey' },
    ],
    errors: mapEtnaError,
  },
  ticketData,
  checkUserId,
  operations: { bind, verify, resend, get, remove },
});

/** ETNA user ids are int32 integers (wire reference: `userId` integer). */
function checkUserId(userId: string): void {
  if (!/^\d{1,10}$/.test(userId) || Number(userId) > INT32_MAX) {
    throw invalidInput('userId must be ETNA’s numeric user id (a whole number).');
  }
}

const phonePath = (ctx: Ctx, userId: string) => [
  `v${ctx.options.apiVersion}`,
  'users',
  userId,
  'subscriptions',
  'settings',
  'phonenumber',
];

function toBound(ctx: Ctx, model: EtnaPhone, fallback?: PhoneNumber): BoundPhone | null {
  if (model.PhoneNumberState === 'NotLinked' || !model.PhoneNumber) return null;
  return ctx.bound({
    phone: ctx.storedPhone(model.PhoneNumber, fallback),
    // Suspended: bound but disabled (no trigger documented). It cannot be relied on to receive
    // codes, so it reads as unverified rather than verified.
    verified: model.PhoneNumberState === 'Active',
  });
}

async function read(ctx: Ctx, userId: string): Promise<BoundPhone | null> {
  try {
    const body = await ctx.send({
      method: 'GET',
      path: phonePath(ctx, userId),
      schema: phoneModel,
      idempotent: true,
    });
    return toBound(ctx, body);
  } catch (error) {
    // A 404 on the phone resource means "no phone" (DESIGN: get() answers null).
    if (isPhoneBindingError(error) && error.status === 404 && error.providerCode === undefined) return null;
    throw error;
  }
}

async function sendCode(
  ctx: Ctx,
  userId: string,
  phone: PhoneNumber,
): Promise<PendingVerification | BoundPhone> {
  const body = await ctx.send({
    method: 'PUT',
    path: phonePath(ctx, userId),
    // The "+" must be %2B: ASP.NET-style servers read a bare "+" in a query as a space.
    query: { phoneNumber: phone.e164 },
    schema: bindSchema,
    // A PUT, but it sends an SMS: never repeated by the SDK.
    idempotent: false,
    sendsSms: true,
  });
  const state = body.m_Item1.PhoneNumberState;
  if (state === 'NotVerified') {
    const data: TicketData = { tokenId: body.m_Item2 };
    return ctx.pending({ userId, phone, data });
  }
  if (state === 'Active') return ctx.bound({ phone, verified: true });
  throw new PhoneBindingError({
    code: 'provider_error',
    providerCode: state,
    message: `ETNA answered the bind with state ${state} instead of NotVerified.`,
  });
}

function bind({ userId, phone }: Op['bind'], ctx: Ctx) {
  return sendCode(ctx, userId, phone);
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  const body = await ctx.send({
    method: 'PUT',
    path: [...phonePath(ctx, ticket.userId), 'token', String(ticket.data.tokenId)],
    query: { tokenValue: code },
    schema: phoneModel,
    idempotent: false,
  });
  if (body.PhoneNumberState !== 'Active') {
    // A 200 that does not say Active has not verified anything; never report success.
    throw new PhoneBindingError({
      code: 'invalid_code',
      providerCode: body.PhoneNumberState,
      message: `ETNA did not activate the number (state ${body.PhoneNumberState}).`,
    });
  }
  return toBound(ctx, body, ticket.phone) ?? ctx.bound({ phone: ticket.phone, verified: true });
}

async function resend({ ticket }: Op['resend'], ctx: Ctx) {
  const result = await sendCode(ctx, ticket.userId, ticket.phone);
  if (result.state !== 'pending') {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: 'No verification is pending for this number: ETNA reports it active already.',
    });
  }
  return result;
}

function get({ userId }: Op['get'], ctx: Ctx) {
  return read(ctx, userId);
}

async function remove({ userId, phone }: Op['remove'], ctx: Ctx) {
  if (phone) requireCurrentNumber(await read(ctx, userId), phone);
  await ctx.send({ method: 'DELETE', path: phonePath(ctx, userId), idempotent: true });
  return ctx.removed();
}
