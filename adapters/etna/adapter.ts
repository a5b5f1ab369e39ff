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
  lazy,
  type OperationTypes,
  PhoneBindingError,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapEtnaError } from './errors.js';
import { bindSchema, type EtnaPhone, INT32_MAX, phoneModel } from './wire.js';

// The paths need ETNA's numeric user id, even when the token is the user's own.
// No resend endpoint: resend() binds the same number again (a new token id).
// change 'immediate': ETNA's PUT replaces the number at once and holds the new one NotVerified
// until its token is verified (wire reference, Operation 1 and States); the old one is gone.
// secondFactor false: ETNA's SMS 2FA delivery is chosen in the web terminal's Security settings
// (user guide, "How to Enable Two-Factor Authentication"); the Web API documents no call for it.
/**
 * What the ETNA adapter can do.
 *
 * @example
 * ```ts
 * import { ETNA_CAPABILITIES } from 'phone-binding/etna';
 *
 * ETNA_CAPABILITIES.scope; // 'admin': every call names ETNA's numeric userId
 * ETNA_CAPABILITIES.assertVerified; // false: bind() sends an SMS (unless the number is bound and verified already)
 * ETNA_CAPABILITIES.change; // 'immediate': a change holds the new number unverified until verify()
 * ETNA_CAPABILITIES.secondFactor; // false: no Web API call enrols an SMS second factor
 * ```
 */
export const ETNA_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  change: 'immediate',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
});

const options = lazy(() =>
  adapterOptions({
    token: credentialSchema,
    appKey: credentialSchema,
    // It becomes a path segment (`v1.0`): nothing but digits and one dot may get there.
    apiVersion: z._default(
      z
        .string()
        .check(z.regex(/^\d+(\.\d+)?$/, { error: 'must look like "1.0" (digits, one optional dot)' })),
      '1.0',
    ),
  }),
);
type Options = z.output<typeof options>;

// What verify needs: the int32 token id ETNA answered the bind with.
const ticketData = lazy(() => z.object({ tokenId: z.int().check(z.gte(0), z.lte(INT32_MAX)) }));
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
  replaces?: PhoneNumber,
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
    return ctx.pending({ userId, phone, data, replaces });
  }
  if (state === 'Active') return ctx.bound({ phone, verified: true });
  throw new PhoneBindingError({
    code: 'provider_error',
    providerCode: state,
    message: `ETNA answered the bind with state ${state} instead of NotVerified.`,
  });
}

/**
 * A bind reads the user's current number first (GET, idempotent and cheap), because ETNA's PUT
 * answers only the new number and would replace the old one unseen:
 * - the same number, `Active`: answered as bound and verified, and nothing is sent (no PUT, no SMS);
 * - another number (in any state: `Active`, `NotVerified` or `Suspended`): a change, and the
 *   pending result names it in `replaces`. ETNA swaps at once (`change: 'immediate'`): from the
 *   PUT on, it holds the new number `NotVerified` and the old one is gone;
 * - the same number not yet `Active` (`NotVerified`, `Suspended`): the PUT sends a new code, with
 *   no `replaces` (nothing else is replaced).
 * A failing read fails the bind before anything is sent (reads are retried by the HTTP layer).
 * A PUT that fails after the read may still have taken effect (a 5xx, a timeout): ETNA may then
 * hold the new number `NotVerified` in place of the old one, and an SMS may be on its way; the
 * error says so and is not retryable, and `get()` tells which number ETNA holds.
 */
async function bind({ userId, phone }: Op['bind'], ctx: Ctx) {
  const current = await read(ctx, userId);
  if (current?.phone.e164 === phone.e164 && current.state === 'verified') return current;
  const replaces = current && current.phone.e164 !== phone.e164 ? current.phone : undefined;
  return sendCode(ctx, userId, phone, replaces);
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

// No read here: the first PUT of a change already replaced the old number on ETNA, so a resend
// replaces nothing (its pending result has no `replaces`).
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
  if (phone) {
    // Like the kit's requireCurrentNumber, with messages that name the backend.
    const current = await read(ctx, userId);
    if (current?.phone.e164 !== phone.e164) {
      throw new PhoneBindingError({
        code: 'not_found',
        message: current
          ? 'ETNA holds another phone number for this user.'
          : 'ETNA holds no phone number for this user.',
      });
    }
  }
  await ctx.send({ method: 'DELETE', path: phonePath(ctx, userId), idempotent: true });
  return ctx.removed();
}
