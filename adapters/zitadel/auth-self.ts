/**
 * Zitadel auth API v1 as a declarative adapter, acting on the token's own user:
 * `PUT /auth/v1/users/me/phone`, `POST …/_verify`, `POST …/_resend_verification`, `GET` and `DELETE`.
 * It holds only the user's own token, so it runs in browsers as it is.
 */
import type * as z from 'zod/mini';
import {
  adapterOptions,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  type NoTicketData,
  type OperationTypes,
  requireCurrentNumber,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapZitadelError } from './errors.js';
import { isNotChanged, requireSameNumber, tokenCredentials } from './shared.js';
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
 * ```
 */
export const ZITADEL_SELF_CAPABILITIES = defineCapabilities({
  scope: 'user',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
});

const options = adapterOptions({ token: credentialSchema });

type Op = OperationTypes<'user', z.output<typeof options>, NoTicketData>;
type Ctx = Op['ctx'];

const PATH = ['auth', 'v1', 'users', 'me', 'phone'];

/** The Zitadel auth API v1 (self-service) adapter, declared. */
export const zitadelSelfAdapter = defineAdapter({
  provider: 'zitadel-self',
  capabilities: ZITADEL_SELF_CAPABILITIES,
  options,
  http: {
    credentials: tokenCredentials,
    errors: mapZitadelError,
  },
  codeMaxLength: 200, // VerifyMyPhoneRequest.code: 1–200 characters
  operations: { bind, verify, resend, get, remove },
});

async function read(ctx: Ctx): Promise<BoundPhone | null> {
  const body = await ctx.send({ method: 'GET', path: PATH, schema: myPhoneSchema, idempotent: true });
  if (!body.phone?.phone) return null;
  return ctx.bound({
    phone: ctx.storedPhone(body.phone.phone),
    verified: body.phone.isPhoneVerified === true,
  });
}

async function sendCode(ctx: Ctx, phone: PhoneNumber): Promise<PendingVerification> {
  await ctx.send({
    method: 'POST',
    path: [...PATH, '_resend_verification'],
    json: {},
    schema: mutationSchema,
    idempotent: false,
    sendsSms: true,
  });
  return ctx.pending({ phone });
}

async function bind({ phone }: Op['bind'], ctx: Ctx) {
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
    // Same number again: Zitadel advises resending instead; a verified number needs nothing.
    const current = requireSameNumber(await read(ctx), phone, 'COMMAND-wF94r');
    return current.state === 'verified' ? current : sendCode(ctx, phone);
  }
  return ctx.pending({ phone });
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  await ctx.send({
    method: 'POST',
    path: [...PATH, '_verify'],
    json: { code },
    schema: mutationSchema,
    idempotent: false,
  });
  return ctx.bound({ phone: ticket.phone, verified: true });
}

function resend({ ticket }: Op['resend'], ctx: Ctx) {
  return sendCode(ctx, ticket.phone);
}

function get(_input: Op['get'], ctx: Ctx) {
  return read(ctx);
}

async function remove({ phone }: Op['remove'], ctx: Ctx) {
  // One number per user: check it is the one named, so a stale screen never removes another.
  if (phone) requireCurrentNumber(await read(ctx), phone);
  await ctx.send({ method: 'DELETE', path: PATH, schema: mutationSchema, idempotent: true });
  return ctx.removed();
}
