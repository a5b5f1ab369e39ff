/**
 * The results adapters build, and the checks they share: one way to read a stored number, to
 * build a pending verification with its ticket, a bound number and a removal.
 */
import { PhoneBindingError } from '../errors.js';
import type { Redactor } from '../internal/redact.js';
import { createTicket } from '../internal/ticket.js';
import type {
  BoundPhone,
  Capabilities,
  PendingVerification,
  PhoneNumber,
  ProviderId,
  RemovedPhone,
} from '../types.js';
import type { BoundFields, PendingFields } from './contract.js';

/** What the result helpers need of an operation's context. */
interface ResultContext {
  provider: ProviderId;
  redactor: Redactor;
}

/**
 * Reads a number the backend stored, and registers it for masking. A number that is not a
 * possible international one is the backend's fault: `invalid_response` naming the provider.
 * `fallback` stands in where the caller already knows the number (the one it just verified).
 */
export function storedPhone(
  ctx: ResultContext & { title: string; readPhone(value: string): PhoneNumber | undefined },
  value: string,
  fallback?: PhoneNumber,
): PhoneNumber {
  // The backend echoing the very number the caller knows (in E.164) needs no second parse.
  const phone =
    (fallback !== undefined && value === fallback.e164 ? fallback : ctx.readPhone(value)) ?? fallback;
  if (!phone) {
    throw new PhoneBindingError({
      code: 'invalid_response',
      message: `${ctx.title} returned a stored phone number that is not a possible international number.`,
    });
  }
  ctx.redactor.phone(phone);
  return phone;
}

/** A pending verification and its ticket. */
export function pendingResult(ctx: ResultContext, fields: PendingFields): PendingVerification {
  const purpose = fields.purpose ?? 'bind';
  const pending: PendingVerification = {
    state: 'pending',
    purpose,
    provider: ctx.provider,
    phone: fields.phone,
    ticket: createTicket({
      provider: ctx.provider,
      purpose,
      phone: fields.phone,
      userId: fields.userId,
      expiresAt: fields.expiresAt,
      data: fields.data,
    }),
  };
  if (fields.code !== undefined) {
    ctx.redactor.secret(fields.code);
    pending.code = fields.code;
  }
  if (fields.replaces !== undefined) {
    ctx.redactor.phone(fields.replaces);
    pending.replaces = fields.replaces;
  }
  if (fields.needsCurrentCode) pending.needsCurrentCode = true;
  return pending;
}

/** A bound number. */
export function boundResult(ctx: ResultContext, fields: BoundFields): BoundPhone {
  const bound: BoundPhone = {
    state: fields.verified ? 'verified' : 'unverified',
    provider: ctx.provider,
    phone: fields.phone,
  };
  if (fields.id !== undefined) bound.id = fields.id;
  if (fields.primary !== undefined) bound.primary = fields.primary;
  if (fields.secondFactor !== undefined) bound.secondFactor = fields.secondFactor;
  return bound;
}

/** A removal. */
export function removedResult(ctx: ResultContext): RemovedPhone {
  return { state: 'removed', provider: ctx.provider };
}

/**
 * `remove({ phoneNumber })` goes ahead only when the user's current number is that one, so a
 * stale screen never removes a different number. Returns the current number. `title` names the
 * backend in the message (`Zitadel holds another phone number for this user.`).
 */
export function requireCurrentNumber(
  current: BoundPhone | null,
  phone: PhoneNumber | undefined,
  title = 'The backend',
): BoundPhone {
  if (!current || (phone !== undefined && current.phone.e164 !== phone.e164)) {
    throw new PhoneBindingError({
      code: 'not_found',
      message: current
        ? `${title} holds another phone number for this user.`
        : `${title} holds no phone number for this user.`,
    });
  }
  return current;
}

/** The capability flags; those an adapter does not name are `false`. */
const NO_CAPABILITIES = {
  codeVerification: false,
  assertVerified: false,
  returnCode: false,
  resend: false,
  get: false,
  remove: false,
  primary: false,
  removeNeedsCode: false,
  secondFactor: false,
  multipleNumbers: false,
} as const;

/**
 * An adapter's capabilities: its scope, what a pending change holds, and the flags it has
 * (every other flag is `false`).
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineCapabilities<S extends Capabilities['scope']>(
  flags: { scope: S; change: Capabilities['change'] } & Partial<Omit<Capabilities, 'scope' | 'change'>>,
): Readonly<Capabilities & { scope: S }> {
  return Object.freeze({ ...NO_CAPABILITIES, ...flags });
}
