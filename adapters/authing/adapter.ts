/**
 * Authing (and GenAuth, its international brand) as a declarative adapter, on the signed-in
 * user's own number through the v3 Authentication API: `POST /api/v3/send-sms` sends the code,
 * `POST /api/v3/bind-phone` binds a first number with it, a change of number goes through
 * `POST /api/v3/verify-update-phone-request` + `POST /api/v3/update-phone`, `GET /api/v3/get-profile`
 * reads it, and `remove()` takes two steps (a code on `CHANNEL_UNBIND_PHONE`, then
 * `POST /api/v3/unbind-phone`).
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
  invalidInput,
  lazy,
  type OperationTypes,
  PhoneBindingError,
  requireCurrentNumber,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber, VerificationPurpose } from '../../src/types.js';
import { authingBodyError, mapAuthingError } from './errors.js';
import {
  CHANGE_CHANNEL,
  CHANNEL,
  changeTicketSchema,
  envelopeSchema,
  profileSchema,
  SMS_INTERVAL_MS,
  updatePhoneRequestSchema,
  updatePhoneSchema,
} from './wire.js';

// unbind-phone needs a code sent to the current number on CHANNEL_UNBIND_PHONE. No SMS second
// factor: the wire reference documents no enrolment of the user's bound number as an MFA factor
// (CHANNEL_BIND_MFA exists, but no operation that makes the bound phone a factor).
/**
 * What the Authing adapter can do.
 *
 * @example
 * ```ts
 * import { AUTHING_CAPABILITIES } from 'phone-binding/authing';
 *
 * AUTHING_CAPABILITIES.scope; // 'user': the access token names the user
 * AUTHING_CAPABILITIES.removeNeedsCode; // true: remove() sends a code first, then remove({ ticket, code })
 * AUTHING_CAPABILITIES.change; // 'on-verify': the old number stays bound until the new one's code is right
 * ```
 */
export const AUTHING_CAPABILITIES = defineCapabilities({
  scope: 'user',
  change: 'on-verify',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
  removeNeedsCode: true,
});

const options = lazy(() =>
  adapterOptions({
    accessToken: credentialSchema,
    appId: idSchema,
    userPoolId: z.optional(idSchema),
    authorization: z._default(z.enum(['raw', 'bearer']), 'raw'),
    brand: z._default(z.enum(['authing', 'genauth']), 'authing'),
    lang: z.optional(z.enum(['zh-CN', 'en-US'])),
    verifyCurrentPhone: z._default(z.boolean(), false),
  }),
);
type Options = z.output<typeof options>;

// The token names the user; a first bind needs nothing else, a change carries the replaced number.
type TicketData = z.output<typeof changeTicketSchema>;
type Op = OperationTypes<'user', Options, TicketData>;
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
  ticketData: changeTicketSchema,
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

/** One `POST /api/v3/send-sms` (never repeated: it sends an SMS). */
async function sendSms(ctx: Ctx, phone: PhoneNumber, channel: string): Promise<void> {
  await ctx.send({
    method: 'POST',
    path: ['api', 'v3', 'send-sms'],
    json: { ...split(phone), channel },
    schema: envelopeSchema,
    idempotent: false,
    sendsSms: true,
  });
}

/** A change in progress: the replaced number and whether it was sent a code too. */
interface Change {
  current: PhoneNumber;
  needsCurrentCode: boolean;
}

/**
 * Sends the code(s) of a first bind, a change or a removal, and answers the pending result.
 * A change sends to the new number first: it is the one likely to be refused (a number Authing's
 * SMS service cannot reach, the throttle), and then the current number's owner is never bothered.
 */
async function sendCodes(
  ctx: Ctx,
  phone: PhoneNumber,
  purpose: VerificationPurpose,
  change?: Change,
): Promise<PendingVerification> {
  if (!change) {
    await sendSms(ctx, phone, CHANNEL[purpose]);
    // Authing does not say how long a code lives: no expiresAt.
    return ctx.pending({ phone, purpose });
  }
  await sendSms(ctx, phone, CHANGE_CHANNEL.new);
  if (change.needsCurrentCode) {
    try {
      await sendSms(ctx, change.current, CHANGE_CHANNEL.current);
    } catch (error) {
      throw withNote(
        error,
        'The code to the new number was already sent; nothing changed on the account. Ask again after Authing’s one-minute limit.',
      );
    }
  }
  return ctx.pending({
    phone,
    purpose,
    data: { change: 1, needsCurrentCode: change.needsCurrentCode ? 1 : 0, current: change.current.e164 },
    replaces: change.current,
    needsCurrentCode: change.needsCurrentCode,
  });
}

/** The same error with a sentence about what the flow left behind appended to its message. */
function withNote(error: unknown, note: string): unknown {
  if (!(error instanceof PhoneBindingError)) return error;
  return new PhoneBindingError({
    code: error.code,
    message: `${error.message} ${note}`,
    status: error.status,
    providerCode: error.providerCode,
    requestId: error.requestId,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    details: error.details,
    cause: error,
  });
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
  // bind-phone only binds a first number, a change needs the current one: read it first.
  const current = await profile(ctx);
  if (!current) return sendCodes(ctx, phone, 'bind');
  if (current.phone.e164 === phone.e164) {
    if (current.state === 'verified') return current;
    // Decision: the same number held unverified (only an admin write makes one) cannot be verified
    // in place — bind-phone refuses a user with a number, and update-phone to the same number is
    // Authing's 2230 "new phone equals old" — so say so before any SMS.
    throw new PhoneBindingError({
      code: 'unsupported',
      message:
        'Authing cannot verify the number the user already holds unverified; remove() it, then bind() it again.',
    });
  }
  // A change. Whether the pool also wants the current number's code is a pool setting the user's
  // token cannot read (changePhoneStrategy.verifyOldPhone): the verifyCurrentPhone option says it.
  return sendCodes(ctx, phone, 'bind', {
    current: current.phone,
    needsCurrentCode: ctx.options.verifyCurrentPhone,
  });
}

/** The change a ticket records, or `undefined` for a first bind (or a removal). */
function changeOf(ticket: Op['ticket'], ctx: Ctx): Change | undefined {
  const data = ticket.data;
  if (data === undefined) return undefined;
  const current = ctx.readPhone(data.current);
  if (ticket.purpose !== 'bind' || !current || current.e164 !== data.current) {
    throw invalidInput('ticket.data is not a change this adapter issued.');
  }
  ctx.redactor.phone(current);
  return { current, needsCurrentCode: data.needsCurrentCode === 1 };
}

async function verify({ ticket, code, currentCode }: Op['verify'], ctx: Ctx) {
  const change = changeOf(ticket, ctx);
  // Decision: a currentCode where none was sent is a caller mistake, refused like a missing one.
  if (currentCode !== undefined && !change?.needsCurrentCode) {
    throw invalidInput('verify() got currentCode, but this ticket sent no code to the current number.');
  }
  if (change) return verifyChange(ticket.phone, code, currentCode, change, ctx);
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

/**
 * A change in two calls: verify-update-phone-request checks the code(s) and answers a one-time
 * token, update-phone swaps the number with it. Neither is ever repeated. When update-phone fails
 * after the codes were accepted, the codes are spent and the token is lost (it is never handed
 * out): the current number stays bound and verified, and the change starts again with bind().
 */
async function verifyChange(
  phone: PhoneNumber,
  code: string,
  currentCode: string | undefined,
  change: Change,
  ctx: Ctx,
) {
  if (change.needsCurrentCode && currentCode === undefined) {
    throw invalidInput(
      'This change also needs the code sent to the current number: verify({ ticket, code, currentCode }).',
    );
  }
  const payload: Record<string, string> = {
    newPhoneNumber: phone.nationalNumber,
    newPhonePassCode: code,
    newPhoneCountryCode: `+${phone.countryCallingCode}`,
  };
  if (change.needsCurrentCode && currentCode !== undefined) {
    payload.oldPhoneNumber = change.current.nationalNumber;
    payload.oldPhonePassCode = currentCode;
    payload.oldPhoneCountryCode = `+${change.current.countryCallingCode}`;
  }
  const request = await ctx.send({
    method: 'POST',
    path: ['api', 'v3', 'verify-update-phone-request'],
    json: { verifyMethod: 'PHONE_PASSCODE', phonePassCodePayload: payload },
    schema: updatePhoneRequestSchema,
    idempotent: false,
  });
  const token = request.data.updatePhoneToken;
  ctx.redactor.secret(token);
  const LEFT =
    'The codes were accepted but the number was not changed: the current number is still bound; start again with bind().';
  let done: z.output<typeof updatePhoneSchema>;
  try {
    done = await ctx.send({
      method: 'POST',
      path: ['api', 'v3', 'update-phone'],
      json: { updatePhoneToken: token },
      schema: updatePhoneSchema,
      idempotent: false,
    });
  } catch (error) {
    throw withNote(error, LEFT);
  }
  if (!done.data.success) {
    throw new PhoneBindingError({
      code: 'provider_error',
      message: `Authing answered update-phone with success: false. ${LEFT}`,
    });
  }
  return ctx.bound({ phone, verified: true });
}

function resend({ ticket }: Op['resend'], ctx: Ctx) {
  const change = changeOf(ticket, ctx);
  // Inside Authing's one-minute window: refused locally, without sending anything (a change's
  // codes were sent together, so the ticket's issuedAt holds for both numbers).
  const wait = Date.parse(ticket.issuedAt) + SMS_INTERVAL_MS - Date.now();
  if (wait > 0) {
    throw new PhoneBindingError({
      code: 'rate_limited',
      message: `Authing sends one SMS per minute per number; try again in ${Math.ceil(wait / 1000)} s.`,
      retryAfterMs: wait,
    });
  }
  return sendCodes(ctx, ticket.phone, ticket.purpose, change);
}

function get(_input: unknown, ctx: Ctx) {
  return profile(ctx);
}

async function remove({ phone, confirm }: Op['remove'], ctx: Ctx) {
  if (confirm) {
    if (confirm.ticket.data !== undefined)
      throw invalidInput('ticket.data is not a removal this adapter issued.');
    await ctx.send({
      method: 'POST',
      path: ['api', 'v3', 'unbind-phone'],
      json: { passCode: confirm.code },
      schema: envelopeSchema,
      idempotent: false,
    });
    return ctx.removed();
  }
  const current = requireCurrentNumber(await profile(ctx), phone, ctx.title);
  return sendCodes(ctx, current.phone, 'remove');
}
