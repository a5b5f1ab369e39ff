/**
 * Clerk's Backend API as a declarative adapter: `GET /v1/users/{user_id}` reads the user's
 * numbers (first, on every bind: a change is known before anything is created);
 * `POST /v1/phone_numbers` creates a number (verified at once with `verified: true`); a code flow
 * runs through `POST /v1/phone_numbers/{id}/prepare_verification` and `…/attempt_verification`;
 * `PATCH /v1/phone_numbers/{id}` makes a number primary and enrols it as the SMS second factor;
 * `DELETE /v1/phone_numbers/{id}` removes one.
 *
 * A change of number (the user has a primary number other than the one bound) runs in the order
 * that never leaves the user without a verified primary number: the new number is created and
 * verified, then made primary (one PATCH, with the second factor when asked), and only then is
 * the previous primary deleted (unless `keepPrevious`). What each partial failure leaves:
 * - the create, the prepare or the attempt fails: the previous number is untouched, primary and
 *   verified; a new number that was created but got no code is deleted again
 *   (`details.leftUnverifiedPhoneNumberId` when even that fails);
 * - the PATCH fails after the code was accepted: the new number is verified but secondary, the
 *   previous one still primary. `verify()` again with the same ticket finishes it (Clerk answers
 *   `verification_already_verified`; the adapter reads the number back and does the rest);
 * - the DELETE of the previous number fails: the new number is verified and primary, the previous
 *   one stays as a secondary number (`details.previousPhoneNumberId`). `verify()` again finishes
 *   it (a previous number already gone counts as deleted); after `bind({ verified: true })`,
 *   `remove({ phoneNumber })` of the previous number does.
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
  invalidInput,
  isPhoneBindingError,
  lazy,
  type OperationTypes,
  PhoneBindingError,
  serverSecretShape,
} from '../../src/kit/index.js';
import type { BoundPhone, PendingVerification, PhoneNumber } from '../../src/types.js';
import { mapClerkError } from './errors.js';
import {
  API_VERSION,
  attemptSchema,
  type ClerkPhone,
  type ClerkUser,
  deletedSchema,
  phoneSchema,
  prepareSchema,
  userSchema,
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
 * CLERK_CAPABILITIES.change; // 'on-verify': the old number stays primary until the new one is verified
 * CLERK_CAPABILITIES.multipleNumbers; // true: bind({ keepPrevious: true }) keeps the old one as secondary
 * CLERK_CAPABILITIES.secondFactor; // true: bind({ secondFactor: true }) reserves it for MFA
 * ```
 */
export const CLERK_CAPABILITIES = defineCapabilities({
  scope: 'admin',
  change: 'on-verify',
  codeVerification: true,
  assertVerified: true,
  resend: true,
  get: true,
  remove: true,
  primary: true,
  secondFactor: true,
  multipleNumbers: true,
});

const options = lazy(() =>
  adapterOptions({
    baseUrl: z._default(baseUrlSchema, 'https://api.clerk.com'),
    secretKey: credentialSchema,
    ...serverSecretShape,
  }),
);
type Options = z.output<typeof options>;

const flag = lazy(() => z.optional(z.union([z.literal(0), z.literal(1)])));

// What a code flow needs to finish (1/0 flags: ticket data holds strings and numbers): the
// number's and the verification's ids; whether the number should become primary once verified;
// on a change, the previous primary's id and whether to keep it; whether to enrol it as the SMS
// second factor.
const ticketData = lazy(() =>
  z.object({
    phoneNumberId: idSchema,
    verificationId: idSchema,
    primary: flag,
    previousPhoneNumberId: z.optional(idSchema),
    keepPrevious: flag,
    secondFactor: flag,
  }),
);
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

/** What to do once a number is verified: the ticket's wishes, or a bind's. */
interface Finish {
  /** Make it primary (`undefined`: leave it, and say nothing of it in the result). */
  primary: boolean | undefined;
  /** Reserve it for the SMS second factor. */
  secondFactor: boolean;
  /** The previous primary to delete once the new one is primary. */
  deletePrevious: string | undefined;
}

function toBound(ctx: Ctx, record: ClerkPhone, primaryId: string | null | undefined): BoundPhone {
  return ctx.bound({
    phone: ctx.storedPhone(record.phone_number),
    verified: record.verification?.status === 'verified',
    id: record.id,
    primary: primaryId === undefined ? undefined : isPrimary(record, primaryId),
    secondFactor: record.reserved_for_second_factor,
  });
}

/** The id of the record an operation acts on; the document lets a record come without one. */
function idOf(record: { id?: string | undefined }): string {
  if (record.id === undefined) {
    throw new PhoneBindingError({
      code: 'invalid_response',
      message: 'Clerk answered a phone number record without the id this operation needs (id).',
      details: record,
    });
  }
  return record.id;
}

function isPrimary(record: ClerkPhone, primaryId: string | null | undefined): boolean {
  return record.id !== undefined && record.id === primaryId;
}

/** The record holds `phone`: Clerk stores E.164, so the plain comparison settles it (no re-parse). */
function holds(ctx: Ctx, record: ClerkPhone, phone: PhoneNumber): boolean {
  const stored = record.phone_number;
  return stored === phone.e164 || (stored !== undefined && ctx.readPhone(stored)?.e164 === phone.e164);
}

function readUser(ctx: Ctx, userId: string) {
  return ctx.send({ method: 'GET', path: ['v1', 'users', userId], schema: userSchema, idempotent: true });
}

function patchPhone(ctx: Ctx, phoneNumberId: string, json: Record<string, unknown>) {
  return ctx.send({
    method: 'PATCH',
    path: ['v1', 'phone_numbers', phoneNumberId],
    json,
    schema: phoneSchema,
    idempotent: true,
  });
}

/** The PATCH body for a finished number's wishes, or `undefined` when there is nothing to ask. */
function finishPatch(finish: Finish): Record<string, unknown> | undefined {
  const json: Record<string, unknown> = {};
  if (finish.primary) json.primary = true;
  // With the primary switch, in one request: the new factor exists before the old number goes.
  if (finish.secondFactor) json.reserved_for_second_factor = true;
  return Object.keys(json).length > 0 ? json : undefined;
}

/**
 * Deletes the number a change replaces, once the new one is primary. One already gone (a second
 * verify finishing an earlier one) counts as deleted. Any other failure says what is left: the
 * new number bound and primary, the previous one still there as a secondary number.
 */
async function deletePrevious(ctx: Ctx, previousId: string, after: 'verify' | 'bind'): Promise<void> {
  try {
    await ctx.send({
      method: 'DELETE',
      path: ['v1', 'phone_numbers', previousId],
      schema: deletedSchema,
      idempotent: true,
    });
  } catch (error) {
    if (isPhoneBindingError(error) && error.providerCode === 'resource_not_found') return;
    if (!isPhoneBindingError(error)) throw error;
    const details = error.details;
    const how =
      after === 'verify'
        ? 'verify() again with the same ticket finishes the change'
        : 'remove({ phoneNumber }) of the previous number finishes the change';
    throw new PhoneBindingError({
      code: error.code,
      message: `Clerk: the new number is verified and primary, but deleting the number it replaces failed, so that one stays as a secondary number; ${how}. ${error.message}`,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      // Repeating bind() would not delete it (the new number is then simply bound): not retryable.
      retryable: after === 'verify' ? error.retryable : false,
      details:
        typeof details === 'object' && details !== null && !Array.isArray(details)
          ? { ...details, previousPhoneNumberId: previousId }
          : { body: details, previousPhoneNumberId: previousId },
      cause: error,
    });
  }
}

/**
 * A verified number's remaining steps, in the order that never leaves the user without a verified
 * primary number: PATCH primary (and the second factor), then DELETE the previous primary.
 * Returns the record the PATCH answered, if any.
 */
async function finishVerified(
  ctx: Ctx,
  phoneNumberId: string,
  finish: Finish,
  after: 'verify' | 'bind',
): Promise<ClerkPhone | undefined> {
  const patch = finishPatch(finish);
  const record = patch ? await patchPhone(ctx, phoneNumberId, patch) : undefined;
  if (finish.deletePrevious !== undefined) await deletePrevious(ctx, finish.deletePrevious, after);
  return record;
}

/** A bound result after the finishing steps: the wishes applied, whatever the record said. */
function finished(
  bound: BoundPhone,
  finish: Finish,
  record: ClerkPhone | undefined,
  known: boolean | undefined,
): BoundPhone {
  const out: BoundPhone = { ...bound };
  if (finish.primary !== undefined) out.primary = finish.primary;
  // The record tells; else what was asked, or what was known before (a number that was unverified
  // cannot have been reserved: Clerk requires a verified number for it).
  const secondFactor = finish.secondFactor || (record?.reserved_for_second_factor ?? known);
  if (secondFactor !== undefined) out.secondFactor = secondFactor;
  return out;
}

async function prepare(
  ctx: Ctx,
  ticket: { userId: string; phone: PhoneNumber; replaces?: PhoneNumber | undefined },
  data: Omit<TicketData, 'verificationId'>,
): Promise<PendingVerification> {
  const verification = await ctx.send({
    method: 'POST',
    path: ['v1', 'phone_numbers', data.phoneNumberId, 'prepare_verification'],
    schema: prepareSchema,
    idempotent: false,
    sendsSms: true,
  });
  // A time no Date can hold (the document bounds it only as int64) says nothing usable: ignored.
  const expiry = typeof verification.expire_at === 'number' ? new Date(verification.expire_at) : undefined;
  const expiresAt = expiry && Number.isFinite(expiry.getTime()) ? expiry : undefined;
  return ctx.pending({
    userId: ticket.userId,
    phone: ticket.phone,
    expiresAt,
    replaces: ticket.replaces,
    data: { ...data, verificationId: verification.id },
  });
}

/** What a bind changes: the user's current primary number, when it is another one. */
interface Change {
  previous: ClerkPhone;
  /** Its number, when it is a readable one (`pending.replaces`). */
  replaces: PhoneNumber | undefined;
}

/**
 * The change a bind makes. A user whose primary number is another one changes it: the new number
 * becomes primary once verified, and the previous one is deleted unless `keepPrevious`.
 * `primary: false` with `keepPrevious` adds a secondary number instead (no change).
 */
function changeOf(input: Op['bind'], ctx: Ctx, user: ClerkUser): Change | undefined {
  const previous = user.phone_numbers.find((record) => isPrimary(record, user.primary_phone_number_id));
  if (!previous || holds(ctx, previous, input.phone)) return undefined;
  if (input.primary === false) {
    if (input.keepPrevious) return undefined;
    // Decision: a change deletes the previous primary, so the new number must become primary;
    // a secondary number beside it is what keepPrevious is for.
    throw invalidInput(
      'On Clerk, bind() for a user with another primary number is a change: the new number becomes primary. Pass keepPrevious: true with primary: false to add a secondary number.',
    );
  }
  const replaces = ctx.readPhone(previous.phone_number);
  ctx.redactor.phone(replaces);
  return { previous, replaces };
}

function finishOf(input: Op['bind'], change: Change | undefined): Finish {
  return {
    primary: change ? true : input.primary,
    secondFactor: input.secondFactor,
    deletePrevious: change && !input.keepPrevious ? idOf(change.previous) : undefined,
  };
}

/** The ticket data a code flow carries for {@link finishVerified}. */
function dataOf(phoneNumberId: string, input: Op['bind'], change: Change | undefined, finish: Finish) {
  const data: Omit<TicketData, 'verificationId'> = { phoneNumberId };
  // Making a number primary waits for its verification; the wish travels in the ticket.
  if (finish.primary !== undefined) data.primary = finish.primary ? 1 : 0;
  if (change?.previous.id !== undefined) data.previousPhoneNumberId = change.previous.id;
  if (change && input.keepPrevious) data.keepPrevious = 1;
  if (input.secondFactor) data.secondFactor = 1;
  return data;
}

/**
 * The user already holds this number. Verified: it is bound; nothing is sent but what the caller
 * asks on top (primary, the second factor), and no other number is touched — this is not a change.
 * Unverified: a code on it (or, with `verified: true`, asserted verified), as a change if it is one.
 */
async function rebind(
  ctx: Ctx,
  input: Op['bind'],
  own: ClerkPhone,
  user: ClerkUser,
): Promise<PendingVerification | BoundPhone> {
  const ownId = idOf(own);
  const bound = toBound(ctx, own, user.primary_phone_number_id);
  if (bound.state === 'verified') {
    const finish: Finish = {
      primary: input.primary && !bound.primary ? true : undefined,
      secondFactor: input.secondFactor && !bound.secondFactor,
      deletePrevious: undefined,
    };
    if (input.verified) {
      // Asserting verified again is harmless and keeps verified: true meaning "Clerk says so".
      const json: Record<string, unknown> = { verified: true, ...finishPatch(finish) };
      if (input.primary !== undefined) json.primary = input.primary;
      const record = await patchPhone(ctx, ownId, json);
      return finished(
        toBound(ctx, record, undefined),
        { ...finish, primary: input.primary },
        record,
        undefined,
      );
    }
    const record = await finishVerified(ctx, ownId, finish, 'bind');
    const primary = finish.primary ? true : bound.primary;
    return finished(bound, { ...finish, primary }, record, bound.secondFactor);
  }
  const change = changeOf(input, ctx, user);
  const finish = finishOf(input, change);
  if (input.verified) {
    const json: Record<string, unknown> = { verified: true, ...finishPatch(finish) };
    if (finish.primary !== undefined) json.primary = finish.primary;
    const record = await patchPhone(ctx, ownId, json);
    if (finish.deletePrevious !== undefined) await deletePrevious(ctx, finish.deletePrevious, 'bind');
    return finished(toBound(ctx, record, undefined), finish, record, undefined);
  }
  return prepare(
    ctx,
    { userId: input.userId, phone: input.phone, replaces: change?.replaces },
    dataOf(ownId, input, change, finish),
  );
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
  const { userId, phone, verified } = input;
  // Read first: the current primary is what a change replaces, and a number the user already
  // holds is answered from here without creating anything.
  const user = await readUser(ctx, userId);
  const own = user.phone_numbers.find((record) => holds(ctx, record, phone));
  if (own) return rebind(ctx, input, own, user);
  const change = changeOf(input, ctx, user);
  const finish = finishOf(input, change);
  const json: Record<string, unknown> = { user_id: userId, phone_number: phone.e164, verified };
  if (verified) {
    // The document lets a number be created verified, primary and reserved for MFA at once.
    if (finish.primary !== undefined) json.primary = finish.primary;
    if (input.secondFactor) json.reserved_for_second_factor = true;
  }
  // Decision: form_identifier_exists here is someone else's number (the user was just read and
  // does not hold it): phone_in_use, without reading again.
  const created = await ctx.send({
    method: 'POST',
    path: ['v1', 'phone_numbers'],
    json,
    schema: phoneSchema,
    idempotent: false,
  });
  if (verified) {
    if (finish.deletePrevious !== undefined) await deletePrevious(ctx, finish.deletePrevious, 'bind');
    return finished(toBound(ctx, created, undefined), finish, created, undefined);
  }
  const createdId = idOf(created);
  try {
    return await prepare(
      ctx,
      { userId, phone, replaces: change?.replaces },
      dataOf(createdId, input, change, finish),
    );
  } catch (error) {
    return deleteCreated(ctx, createdId, error);
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

function ticketFinish(data: TicketData): Finish {
  return {
    primary: data.primary === undefined ? undefined : data.primary === 1,
    secondFactor: data.secondFactor === 1,
    deletePrevious: data.keepPrevious === 1 ? undefined : data.previousPhoneNumberId,
  };
}

async function verify({ ticket, code }: Op['verify'], ctx: Ctx) {
  const { phoneNumberId, verificationId } = ticket.data;
  const finish = ticketFinish(ticket.data);
  let status: string;
  try {
    const verification = await ctx.send({
      method: 'POST',
      path: ['v1', 'phone_numbers', phoneNumberId, 'attempt_verification'],
      json: { verification_id: verificationId, code },
      schema: attemptSchema,
      idempotent: false,
    });
    status = verification.status;
  } catch (error) {
    if (!isPhoneBindingError(error) || error.providerCode !== 'verification_already_verified') throw error;
    // A second submit of an accepted code: read the number back; verified, an earlier verify
    // may have stopped before its PATCH or its DELETE — do the remaining steps now.
    const record = await ctx.send({
      method: 'GET',
      path: ['v1', 'phone_numbers', phoneNumberId],
      schema: phoneSchema,
      idempotent: true,
    });
    const bound = toBound(ctx, record, undefined);
    if (bound.state !== 'verified') throw error;
    const patched = await finishVerified(ctx, phoneNumberId, finish, 'verify');
    return finished(bound, finish, patched ?? record, undefined);
  }
  if (status !== 'verified') {
    const [errorCode, message] = ATTEMPT_OUTCOME[status] ?? [
      'invalid_response',
      `Clerk answered the attempt with an unknown status "${status.slice(0, 40)}".`,
    ];
    throw new PhoneBindingError({ code: errorCode, message, providerCode: status });
  }
  const patched = await finishVerified(ctx, phoneNumberId, finish, 'verify');
  // The number was unverified until now, so it was not reserved for MFA before.
  return finished(
    ctx.bound({ phone: ticket.phone, verified: true, id: phoneNumberId }),
    finish,
    patched,
    false,
  );
}

/**
 * A new code on the same number, with the same wishes. Decision: the pending result has no
 * `replaces` — the ticket carries the previous number's id, not the number (bind() told it), and
 * a resend reads nothing but sends the code.
 */
function resend({ ticket }: Op['resend'], ctx: Ctx) {
  const { verificationId: _sent, ...data } = ticket.data;
  return prepare(ctx, { userId: ticket.userId, phone: ticket.phone }, data);
}

async function get({ userId }: Op['get'], ctx: Ctx) {
  const user = await readUser(ctx, userId);
  const record =
    user.phone_numbers.find((candidate) => isPrimary(candidate, user.primary_phone_number_id)) ??
    user.phone_numbers.find((candidate) => candidate.verification?.status === 'verified') ??
    user.phone_numbers[0];
  return record ? toBound(ctx, record, user.primary_phone_number_id) : null;
}

/**
 * Decision (second factor): the factor is a flag of the phone number record
 * (`reserved_for_second_factor`), not a record of its own, and the document lists no refusal to
 * delete such a number (ReplaceUserPhoneNumber says replacing one disables the user's MFA, i.e.
 * the factor goes with the number). So `remove()` deletes the number alone: nothing dangles, and
 * no PATCH turns the factor off first (which, if the DELETE then failed, would leave the number
 * without its factor).
 */
async function remove({ userId, phone }: Op['remove'], ctx: Ctx) {
  const user = await readUser(ctx, userId);
  const record = phone
    ? user.phone_numbers.find((candidate) => holds(ctx, candidate, phone))
    : user.phone_numbers.find((candidate) => isPrimary(candidate, user.primary_phone_number_id));
  if (!record) {
    throw new PhoneBindingError({
      code: 'not_found',
      message: phone
        ? 'Clerk: the user does not have this phone number.'
        : 'Clerk: the user has no primary phone number.',
    });
  }
  ctx.redactor.phone(ctx.readPhone(record.phone_number));
  const deleted = await ctx.send({
    method: 'DELETE',
    path: ['v1', 'phone_numbers', idOf(record)],
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
