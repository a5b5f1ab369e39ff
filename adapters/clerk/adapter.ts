/**
 * Clerk's Backend API as a declarative adapter: `POST /v1/phone_numbers` creates a number
 * (verified at once with `verified: true`); a code flow runs through
 * `POST /v1/phone_numbers/{id}/prepare_verification` and `…/attempt_verification`;
 * `GET /v1/users/{user_id}` reads the primary number; `DELETE /v1/phone_numbers/{id}` removes one.
 */
import * as z from 'zod/mini';
import {
  adapterOptions,
  baseUrlSchema,
  bearer,
  credentialSchema,
  defineAdapter,
  defineCapabilities,
  idSchema,
  isPhoneBindingError,
  type OperationTypes,
  PhoneBindingError,
  readStoredPhoneNumber,
  serverSecretShape,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapClerkError } from './errors.js';
import {
  API_VERSION,
  type ClerkPhone,
  deletedSchema,
  phoneSchema,
  userSchema,
  verificationSchema,
} from './wire.js';

// Through the Backend API's prepare_verification / attempt_verification.
/**
 * What the Clerk adapter can do.
 *
 * @example
 * ```ts
 * import { CLERK_CAPABILITIES } from 'phone-binding/clerk';
 *
 * CLERK_CAPABILITIES.primary; // true: bind({ primary: true }) makes the number the user's primary one
 * CLERK_CAPABILITIES.assertVerified; // true: bind({ verified: true }) sends no SMS
 * ```
 */
export const CLERK_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  codeVerification: true,
  assertVerified: true,
  resend: true,
  get: true,
  remove: true,
  primary: true,
});

const options = adapterOptions({
  baseUrl: z._default(baseUrlSchema, 'https://api.clerk.com'),
  secretKey: credentialSchema,
  ...serverSecretShape,
});
type Options = z.output<typeof options>;

// What a code flow needs to finish: the number's and the verification's ids, and whether the
// number should become primary once verified (1/0: ticket data holds strings and numbers).
const ticketData = z.object({
  phoneNumberId: idSchema,
  verificationId: idSchema,
  primary: z.optional(z.union([z.literal(0), z.literal(1)])),
});
type TicketData = z.output<typeof ticketData>;
type Op = OperationTypes<'admin', Options, TicketData>;
type Ctx = Op['ctx'];

/** The Clerk adapter, declared. */
export const clerkAdapter = defineAdapter({
  provider: 'clerk',
  capabilities: CLERK_CAPABILITIES,
  options,
  serverSecret: 'secretKey',
  http: {
    credentials: (o) => [bearer(o.secretKey, 'secretKey')],
    // Clerk refuses a request whose version header holds two values: the adapter owns this one.
    fixedHeaders: () => ({ 'clerk-api-version': API_VERSION }),
    errors: mapClerkError,
  },
  ticketData,
  operations: { bind, verify, resend, get, remove },
});

function toBound(ctx: Ctx, record: ClerkPhone, primaryId: string | null | undefined): BoundPhone {
  return ctx.bound({
    phone: ctx.storedPhone(record.phone_number),
    verified: record.verification?.status === 'verified',
    id: record.id,
    primary: primaryId === undefined ? undefined : record.id === primaryId,
  });
}

function readUser(ctx: Ctx, userId: string) {
  return ctx.send({ method: 'GET', path: ['v1', 'users', userId], schema: userSchema, idempotent: true });
}

function makePrimary(ctx: Ctx, phoneNumberId: string) {
  return ctx.send({
    method: 'PATCH',
    path: ['v1', 'phone_numbers', phoneNumberId],
    json: { primary: true },
    schema: phoneSchema,
    idempotent: true,
  });
}

async function prepare(
  ctx: Ctx,
  userId: string,
  phone: PhoneNumber,
  phoneNumberId: string,
  primary: boolean | undefined,
): Promise<PendingVerification> {
  const verification = await ctx.send({
    method: 'POST',
    path: ['v1', 'phone_numbers', phoneNumberId, 'prepare_verification'],
    schema: verificationSchema,
    idempotent: false,
    sendsSms: true,
  });
  const data: TicketData = { phoneNumberId, verificationId: verification.id };
  // Making a number primary waits for its verification; the wish travels in the ticket.
  if (primary !== undefined) data.primary = primary ? 1 : 0;
  const expiresAt = typeof verification.expire_at === 'number' ? new Date(verification.expire_at) : undefined;
  return ctx.pending({ userId, phone, expiresAt, data });
}

/** The same number again: Clerk answers form_identifier_exists; find out whose it is. */
async function existing(ctx: Ctx, userId: string, phone: PhoneNumber): Promise<BoundPhone | undefined> {
  const user = await readUser(ctx, userId);
  const own = user.phone_numbers.find(
    (record) => readStoredPhoneNumber(record.phone_number)?.e164 === phone.e164,
  );
  return own ? toBound(ctx, own, user.primary_phone_number_id) : undefined;
}

/** Already this user's: assert it verified (and primary) instead of creating it again. */
async function assertVerified(ctx: Ctx, id: string, primary: boolean | undefined): Promise<BoundPhone> {
  const patch: Record<string, unknown> = { verified: true };
  if (primary !== undefined) patch.primary = primary;
  const updated = await ctx.send({
    method: 'PATCH',
    path: ['v1', 'phone_numbers', id],
    json: patch,
    schema: phoneSchema,
    idempotent: true,
  });
  return { ...toBound(ctx, updated, undefined), ...(primary === undefined ? {} : { primary }) };
}

async function rebind(ctx: Ctx, input: Op['bind'], own: BoundPhone & { id: string }) {
  const { userId, phone, verified, primary } = input;
  if (own.state === 'verified' && !verified) {
    if (primary && !own.primary) {
      await makePrimary(ctx, own.id);
      return { ...own, primary: true };
    }
    return own;
  }
  if (verified) return assertVerified(ctx, own.id, primary);
  return prepare(ctx, userId, phone, own.id, primary);
}

/** Never leaves an unverified number behind that the caller does not know about. */
async function deleteCreated(ctx: Ctx, id: string, error: unknown): Promise<never> {
  try {
    // Outside the operation's deadline and the caller's signal: those may be why we are here,
    // and the clean-up must still go out (bounded by the per-attempt timeout).
    await ctx.send(
      { method: 'DELETE', path: ['v1', 'phone_numbers', id], idempotent: true },
      { detached: true },
    );
  } catch {
    if (isPhoneBindingError(error)) {
      const details = error.details;
      (error as { details?: unknown }).details =
        typeof details === 'object' && details !== null && !Array.isArray(details)
          ? { ...details, leftUnverifiedPhoneNumberId: id }
          : { body: details, leftUnverifiedPhoneNumberId: id };
    }
  }
  throw error;
}

async function bind(input: Op['bind'], ctx: Ctx) {
  const { userId, phone, verified, primary } = input;
  const json: Record<string, unknown> = { user_id: userId, phone_number: phone.e164, verified };
  if (verified && primary !== undefined) json.primary = primary;
  let created: ClerkPhone;
  try {
    created = await ctx.send({
      method: 'POST',
      path: ['v1', 'phone_numbers'],
      json,
      schema: phoneSchema,
      idempotent: false,
    });
  } catch (error) {
    if (!isPhoneBindingError(error) || error.providerCode !== 'form_identifier_exists') throw error;
    const own = await existing(ctx, userId, phone);
    // Someone else's number: phone_in_use stands.
    if (own?.id === undefined) throw error;
    return rebind(ctx, input, { ...own, id: own.id });
  }
  if (verified) return { ...toBound(ctx, created, undefined), ...(primary === undefined ? {} : { primary }) };
  try {
    return await prepare(ctx, userId, phone, created.id, primary);
  } catch (error) {
    return deleteCreated(ctx, created.id, error);
  }
}

// Clerk reports wrong, expired and exhausted codes as HTTP 200 with a status: never a success.
const ATTEMPT_OUTCOME: Record<string, [PhoneBindingError['code'], string]> = {
  unverified: ['invalid_code', 'Clerk: The verification code is wrong.'],
  expired: ['code_expired', 'Clerk: The verification code has expired; request a new one.'],
  failed: [
    'too_many_attempts',
    'Clerk: Too many wrong codes: Clerk locked this verification. Request a new code.',
  ],
};

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  const { phoneNumberId, verificationId } = ticket.data;
  const primary = ticket.data.primary === undefined ? undefined : ticket.data.primary === 1;
  let status: string;
  try {
    const verification = await ctx.send({
      method: 'POST',
      path: ['v1', 'phone_numbers', phoneNumberId, 'attempt_verification'],
      json: { verification_id: verificationId, code },
      schema: verificationSchema,
      idempotent: false,
    });
    status = verification.status;
  } catch (error) {
    if (!isPhoneBindingError(error) || error.providerCode !== 'verification_already_verified') throw error;
    // A second submit of an accepted code: report the number's real state, read back.
    const record = await ctx.send({
      method: 'GET',
      path: ['v1', 'phone_numbers', phoneNumberId],
      schema: phoneSchema,
      idempotent: true,
    });
    const bound = toBound(ctx, record, undefined);
    if (bound.state !== 'verified') throw error;
    // An earlier verify may have succeeded without its primary PATCH: apply the wish now.
    if (primary) await makePrimary(ctx, phoneNumberId);
    return primary === undefined ? bound : { ...bound, primary };
  }
  if (status !== 'verified') {
    const [errorCode, message] = ATTEMPT_OUTCOME[status] ?? [
      'invalid_response',
      `Clerk answered the attempt with an unknown status "${status.slice(0, 40)}".`,
    ];
    throw new PhoneBindingError({ code: errorCode, message, providerCode: status });
  }
  if (primary) await makePrimary(ctx, phoneNumberId);
  return ctx.bound({ phone: ticket.phone, verified: true, id: phoneNumberId, primary });
}

function resend({ ticket }: Op['resend'], ctx: Ctx) {
  const primary = ticket.data.primary === undefined ? undefined : ticket.data.primary === 1;
  return prepare(ctx, ticket.userId, ticket.phone, ticket.data.phoneNumberId, primary);
}

async function get({ userId }: Op['get'], ctx: Ctx) {
  const user = await readUser(ctx, userId);
  const record =
    user.phone_numbers.find((candidate) => candidate.id === user.primary_phone_number_id) ??
    user.phone_numbers.find((candidate) => candidate.verification?.status === 'verified') ??
    user.phone_numbers[0];
  return record ? toBound(ctx, record, user.primary_phone_number_id) : null;
}

async function remove({ userId, phone }: Op['remove'], ctx: Ctx) {
  const user = await readUser(ctx, userId);
  const record = phone
    ? user.phone_numbers.find(
        (candidate) => readStoredPhoneNumber(candidate.phone_number)?.e164 === phone.e164,
      )
    : user.phone_numbers.find((candidate) => candidate.id === user.primary_phone_number_id);
  if (!record) {
    throw new PhoneBindingError({
      code: 'not_found',
      message: phone ? 'The user does not have this phone number.' : 'The user has no primary phone number.',
    });
  }
  ctx.redactor.phone(readStoredPhoneNumber(record.phone_number));
  const deleted = await ctx.send({
    method: 'DELETE',
    path: ['v1', 'phone_numbers', record.id],
    schema: deletedSchema,
    idempotent: true,
  });
  if (!deleted.deleted) {
    throw new PhoneBindingError({
      code: 'provider_error',
      message: 'Clerk answered the delete with deleted: false.',
    });
  }
  return ctx.removed();
}
