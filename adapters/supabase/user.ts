/**
 * Supabase Auth (GoTrue) acting on the signed-in user's own number (`scope: 'user'`), with the
 * project's publishable (anon) key and the user's access token: `GET /user`, `PUT /user
 * {phone}`, `POST /verify {type: 'phone_change'}`, `DELETE /user/identities/{identity_id}`.
 * It holds no server secret, so it runs in browsers as it is.
 */
import * as z from 'zod/mini';
import {
  adapterOptions,
  bearer,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  isPhoneBindingError,
  lazy,
  type OperationTypes,
  PhoneBindingError,
  requireCurrentNumber,
} from '../../src/kit/index.js';
import type { PhoneNumber } from '../../src/types.js';
import { mapSupabaseError } from './errors.js';
import { authPath, currentPhone, fixedHeaders, pendingPhone, phoneIdentityId, toBound } from './shared.js';
import { anySchema, type SupabaseUser, sessionSchema, userSchema } from './wire.js';

/**
 * What the Supabase (user scope) adapter can do.
 *
 * @example
 * ```ts
 * import { SUPABASE_CAPABILITIES } from 'phone-binding/supabase';
 *
 * SUPABASE_CAPABILITIES.scope; // 'user': the access token names the user
 * SUPABASE_CAPABILITIES.change; // 'on-verify': GoTrue keeps the old number until the code is right
 * SUPABASE_CAPABILITIES.remove; // true: unlinks the phone identity (needs "Allow manual linking")
 * SUPABASE_CAPABILITIES.secondFactor; // false: MFA phone factors are a separate API
 * ```
 */
export const SUPABASE_CAPABILITIES = defineCapabilities({
  scope: 'user',
  // GET /user while a phone_change is pending: `phone` unchanged (and still confirmed),
  // the new number only in `new_phone` until POST /verify (reference U1, U4, "States").
  change: 'on-verify',
  codeVerification: true,
  resend: true,
  get: true,
  remove: true,
  // Decision: the reference covers no MFA phone factor (`/factors` is a separate thing), so
  // bind({ secondFactor: true }) is unsupported.
  secondFactor: false,
});

/** GoTrue's `GOTRUE_SMS_OTP_EXP` default: 60 s. */
export const DEFAULT_OTP_EXPIRY_SECONDS = 60;

const options = lazy(() =>
  adapterOptions({
    apiKey: credentialSchema,
    accessToken: credentialSchema,
    otpExpiry: z._default(z.number().check(z.int(), z.positive(), z.lte(86_400)), DEFAULT_OTP_EXPIRY_SECONDS),
  }),
);

type Op = OperationTypes<'user', z.output<typeof options>, undefined>;
type Ctx = Op['ctx'];

/** The Supabase (user scope) adapter, declared. */
export const supabaseAdapter = defineAdapter({
  provider: 'supabase',
  capabilities: SUPABASE_CAPABILITIES,
  options,
  http: {
    // `apikey` for the platform gateway, the user's token for GoTrue. The kit sends both on
    // every request; `/verify` has no auth middleware and ignores the Bearer (reference S10).
    credentials: (o) => [
      { header: 'apikey', credential: o.apiKey, field: 'apiKey' },
      bearer(o.accessToken, 'accessToken'),
    ],
    fixedHeaders,
    errors: mapSupabaseError,
  },
  codeMaxLength: 10, // GOTRUE_SMS_OTP_LENGTH: 6–10 digits
  operations: { bind, verify, resend, get, remove },
});

function readUser(ctx: Ctx): Promise<SupabaseUser> {
  return ctx.send({ method: 'GET', path: authPath(ctx, 'user'), schema: userSchema, idempotent: true });
}

/**
 * Decision (ticket): the ticket holds the E.164 number only; `expiresAt` = now + `otpExpiry`
 * (no GoTrue answer tells the lifetime).
 */
function pending(ctx: Ctx, phone: PhoneNumber, replaces: PhoneNumber | undefined) {
  return ctx.pending({ phone, replaces, expiresAt: new Date(Date.now() + ctx.options.otpExpiry * 1000) });
}

/** `PUT /user {phone}`: sends the phone_change code (never repeated: it sends an SMS). */
function putPhone(ctx: Ctx, phone: PhoneNumber): Promise<SupabaseUser> {
  return ctx.send({
    method: 'PUT',
    path: authPath(ctx, 'user'),
    json: { phone: phone.e164 },
    schema: userSchema,
    idempotent: false,
    sendsSms: true,
  });
}

/**
 * Reads the user first: the same number again needs no `PUT` (GoTrue would answer 200 and send
 * nothing), and a change names the number it replaces. A verified same number is bound; an
 * unverified one (a phone sign-up never confirmed) is answered as it is, unverified — decision:
 * GoTrue cannot send a phone_change code for the number it already holds, and confirming it is
 * the sign-up flow (`/resend` + `/verify` type `sms`), which this adapter does not cover.
 * After the `PUT`: with SMS autoconfirm on, `phone` is the new number, confirmed (bound at once);
 * otherwise `new_phone` is it (pending).
 */
async function bind({ phone }: Op['bind'], ctx: Ctx) {
  const before = await readUser(ctx);
  const current = toBound(ctx, before, phone);
  if (current?.phone.e164 === phone.e164) return current;
  const after = await putPhone(ctx, phone);
  return afterPut(ctx, after, phone, current?.phone);
}

function afterPut(ctx: Ctx, after: SupabaseUser, phone: PhoneNumber, replaces: PhoneNumber | undefined) {
  const now = currentPhone(ctx, after, phone);
  if (now?.e164 === phone.e164 && after.phone_confirmed_at) {
    return ctx.bound({ phone: now, verified: true, id: phoneIdentityId(after) });
  }
  if (pendingPhone(ctx, after, phone)?.e164 === phone.e164) return pending(ctx, phone, replaces);
  throw new PhoneBindingError({
    code: 'invalid_response',
    message: 'Supabase accepted the number but its answer holds it neither as phone nor as new_phone.',
  });
}

/**
 * `POST /verify {type: 'phone_change', phone, token}`. Decision (the session `/verify` hands
 * back): **dropped**. Its access and refresh tokens are registered as secrets before anything
 * reads the body (an answer of the wrong shape would otherwise show them in `details`), and the
 * body is never returned, logged or put in a hook event. It is not revoked: `POST /logout`
 * acts on the session of the Bearer it is sent with, and the kit sends the adapter's own
 * credential — the app's access token — on every request, so `/logout?scope=local` would end the
 * app's own session (and without `scope` GoTrue signs the user out everywhere). The dropped
 * session ends when its access token expires (`expires_in`, 1 h by default) unless its refresh
 * token, which never leaves this function, is used.
 */
async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  let body: unknown;
  try {
    body = await ctx.send({
      method: 'POST',
      path: authPath(ctx, 'verify'),
      json: { type: 'phone_change', phone: ticket.phone.e164, token: code },
      schema: anySchema,
      idempotent: false,
    });
  } catch (error) {
    throw expiredByClock(error, ticket.issuedAt, ctx.options.otpExpiry);
  }
  const tokens = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  for (const key of ['access_token', 'refresh_token', 'provider_token', 'provider_refresh_token']) {
    const value = tokens[key];
    if (typeof value === 'string') ctx.redactor.secret(value);
  }
  const parsed = sessionSchema.safeParse(body);
  if (!parsed.success) {
    // No details: the body holds a session.
    throw new PhoneBindingError({
      code: 'invalid_response',
      message: "Supabase's /verify answer does not have the expected shape.",
    });
  }
  const user = parsed.data.user;
  const id = user ? phoneIdentityId(user) : undefined;
  return ctx.bound({ phone: ticket.phone, verified: true, id });
}

/**
 * Decision (`otp_expired` split): GoTrue answers wrong and expired codes alike. An `otp_expired`
 * that arrives after the ticket's issue time + `otpExpiry` (the local clock, the configured
 * lifetime) is `code_expired`; before that it is `invalid_code` (the error table's row). A
 * ticket whose `expiresAt` has passed never gets this far (`code_expired` before any request).
 */
function expiredByClock(error: unknown, issuedAt: string, otpExpiry: number): unknown {
  if (!isPhoneBindingError(error) || error.providerCode !== 'otp_expired') return error;
  const issued = Date.parse(issuedAt);
  if (Number.isNaN(issued) || Date.now() < issued + otpExpiry * 1000) return error;
  return new PhoneBindingError({
    code: 'code_expired',
    message: `Supabase: the code has expired (it lives ${otpExpiry} s; GoTrue answers otp_expired for wrong and expired codes alike).`,
    ...(error.status === undefined ? {} : { status: error.status }),
    providerCode: 'otp_expired',
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.details === undefined ? {} : { details: error.details }),
    retryable: false,
    cause: error,
  });
}

/**
 * Decision (resend strategy): repeat `PUT /user` with the ticket's number — not `/resend`, which
 * looks the user up by the *current* phone/email, answers `{}` when it finds nobody and is
 * CAPTCHA-gated. A new code replaces the old one; within 60 s GoTrue answers 429 with the
 * seconds left (→ `retryAfterMs`).
 */
async function resend({ ticket }: Op['resend'], ctx: Ctx) {
  const before = await readUser(ctx);
  const current = toBound(ctx, before);
  if (current?.phone.e164 === ticket.phone.e164) {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: 'Supabase holds this number already; no verification is pending.',
    });
  }
  const after = await putPhone(ctx, ticket.phone);
  const result = afterPut(ctx, after, ticket.phone, current?.phone);
  if (result.state !== 'pending') {
    throw new PhoneBindingError({
      code: 'invalid_input',
      message: 'Supabase bound the number at once (SMS autoconfirm); no verification is pending.',
    });
  }
  return result;
}

async function get(_input: Op['get'], ctx: Ctx) {
  return toBound(ctx, await readUser(ctx));
}

/**
 * Removal unlinks the phone identity (`DELETE /user/identities/{identity_id}`): GoTrue then clears
 * `phone` and `phone_confirmed_at`. It needs "Allow manual linking" and another identity left.
 */
async function remove({ phone }: Op['remove'], ctx: Ctx) {
  const user = await readUser(ctx);
  requireCurrentNumber(toBound(ctx, user), phone, ctx.title);
  const identityId = phoneIdentityId(user);
  if (identityId === undefined) {
    throw new PhoneBindingError({
      code: 'unsupported',
      message: 'Supabase holds the number without a phone identity; only a phone identity can be unlinked.',
    });
  }
  await ctx.send({
    method: 'DELETE',
    path: authPath(ctx, 'user', 'identities', identityId),
    schema: anySchema,
    idempotent: true,
  });
  return ctx.removed();
}
