import * as z from 'zod/mini';
import { PhoneBindingError } from '../errors.js';
import { normalizePhoneNumber } from '../phone.js';
import type { PhoneNumber, ProviderId, VerificationPurpose, VerificationTicket } from '../types.js';
import { checkId, invalidInput } from './input.js';

const isoDate = z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value))));

// Strict on purpose: a ticket is our own format, so an unknown field means it was edited or
// comes from somewhere else.
const ticketSchema = z.strictObject({
  provider: z.enum(['etna', 'authing', 'zitadel', 'zitadel-self', 'clerk']),
  purpose: z.enum(['bind', 'remove']),
  userId: z.optional(z.string()),
  phone: z.string().check(z.maxLength(20)),
  issuedAt: isoDate,
  expiresAt: z.optional(isoDate),
  data: z.optional(
    z.record(z.string().check(z.maxLength(64)), z.union([z.string().check(z.maxLength(1024)), z.number()])),
  ),
});

/** A ticket that passed every check, with its number parsed. */
export interface CheckedTicket {
  ticket: VerificationTicket;
  phone: PhoneNumber;
}

/** Fields an adapter puts into a new ticket. */
export interface TicketFields {
  provider: ProviderId;
  purpose: VerificationPurpose;
  phone: PhoneNumber;
  userId?: string | undefined;
  expiresAt?: Date | undefined;
  data?: Record<string, string | number> | undefined;
}

/** Creates a ticket stamped with the current time. */
export function createTicket(fields: TicketFields): VerificationTicket {
  const ticket: VerificationTicket = {
    provider: fields.provider,
    purpose: fields.purpose,
    phone: fields.phone.e164,
    issuedAt: new Date().toISOString(),
  };
  if (fields.userId !== undefined) ticket.userId = fields.userId;
  if (fields.expiresAt !== undefined) ticket.expiresAt = fields.expiresAt.toISOString();
  if (fields.data !== undefined) ticket.data = { ...fields.data };
  return ticket;
}

/** What a method expects of the ticket it is given. */
export interface TicketExpectation {
  provider: ProviderId;
  purposes: readonly VerificationPurpose[];
  scope: 'admin' | 'user';
  method: string;
  /** Refuse a ticket past its `expiresAt` (not for `resend`, whose job is to replace an expired code). */
  refuseExpired: boolean;
}

/**
 * Checks a ticket that came back from a caller (maybe through JSON, a session store or a
 * browser): shape, provider, purpose, user scope and number. Returns a clean copy.
 */
export function checkTicket(value: unknown, expect: TicketExpectation): CheckedTicket {
  const parsed = ticketSchema.safeParse(value);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'ticket'))];
    throw invalidInput(`ticket is malformed (check ${fields.slice(0, 5).join(', ')}).`);
  }
  const ticket = parsed.data as VerificationTicket;
  if (ticket.provider !== expect.provider) {
    throw invalidInput(`ticket was issued by the "${ticket.provider}" adapter, not "${expect.provider}".`);
  }
  if (!expect.purposes.includes(ticket.purpose)) {
    throw invalidInput(`ticket is for "${ticket.purpose}" and cannot be used with ${expect.method}().`);
  }
  if (expect.scope === 'admin') {
    if (ticket.userId === undefined) throw invalidInput('ticket has no userId.');
    checkId(ticket.userId, 'ticket.userId');
  } else if (ticket.userId !== undefined) {
    throw invalidInput('ticket has a userId, which this adapter never issues.');
  }
  if (expect.refuseExpired && ticket.expiresAt !== undefined && Date.parse(ticket.expiresAt) <= Date.now()) {
    throw new PhoneBindingError({
      code: 'code_expired',
      message: 'The ticket has expired; request a new code with resend().',
    });
  }
  let phone: PhoneNumber;
  try {
    phone = normalizePhoneNumber(ticket.phone);
  } catch {
    throw invalidInput('ticket.phone is not a valid E.164 number.');
  }
  if (phone.e164 !== ticket.phone) throw invalidInput('ticket.phone is not in E.164 form.');
  return { ticket, phone };
}
