import * as z from 'zod/mini';
import { PhoneBindingError } from '../errors.js';
import type { CheckedTicket, Scope, UserIdOf } from '../kit/contract.js';
import type { PhoneNumber, ProviderId, VerificationPurpose, VerificationTicket } from '../types.js';
import { checkId, invalidInput } from './input.js';
import { lazy } from './lazy.js';

const isoDate = lazy(() => z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)))));

// Strict on purpose: a ticket is our own format, so an unknown field means it was edited or
// comes from somewhere else.
const ticketSchema = lazy(() =>
  z.strictObject({
    // Any id here: the adapter compares it with its own below, so the core names no backend.
    provider: z.string().check(z.maxLength(40)),
    purpose: z.enum(['bind', 'remove']),
    userId: z.optional(z.string()),
    phone: z.string().check(z.maxLength(20)),
    issuedAt: isoDate,
    expiresAt: z.optional(isoDate),
    signature: z.optional(z.string().check(z.maxLength(200))),
    data: z.optional(
      z.record(z.string().check(z.maxLength(64)), z.union([z.string().check(z.maxLength(1024)), z.number()])),
    ),
  }),
);

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
export interface TicketExpectation<D> {
  provider: ProviderId;
  purposes: readonly VerificationPurpose[];
  scope: Scope;
  method: string;
  /** The adapter's schema of `data`. */
  data: z.ZodMiniType<D>;
  /** Reads the ticket's number (the binding's metadata). */
  normalize: (e164: string) => PhoneNumber;
}

/**
 * Checks a ticket that came back from a caller (maybe through JSON, a session store or a
 * browser): shape, provider, purpose, user scope, number and the adapter's `data`. Returns the
 * ticket as given (for its signature) and its flat checked form.
 */
export function checkTicket<S extends Scope, D>(
  value: unknown,
  expect: TicketExpectation<D> & { scope: S },
): { ticket: VerificationTicket; checked: CheckedTicket<S, D> } {
  const parsed = ticketSchema.safeParse(value);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'ticket'))];
    throw invalidInput(`ticket is malformed (check ${fields.slice(0, 5).join(', ')}).`);
  }
  const ticket = parsed.data as VerificationTicket;
  if (ticket.provider !== expect.provider) {
    const issuer = /^[a-z][a-z-]*$/.test(ticket.provider)
      ? `the "${ticket.provider}" adapter`
      : 'another adapter';
    throw invalidInput(`ticket was issued by ${issuer}, not "${expect.provider}".`);
  }
  if (!expect.purposes.includes(ticket.purpose)) {
    throw invalidInput(`ticket is for "${ticket.purpose}" and cannot be used with ${expect.method}().`);
  }
  let userId: string | undefined;
  if (expect.scope === 'admin') {
    if (ticket.userId === undefined) throw invalidInput('ticket has no userId.');
    userId = checkId(ticket.userId, 'ticket.userId');
  } else if (ticket.userId !== undefined) {
    throw invalidInput('ticket has a userId, which this adapter never issues.');
  }
  let phone: PhoneNumber;
  try {
    phone = expect.normalize(ticket.phone);
  } catch {
    throw invalidInput('ticket.phone is not a valid E.164 number.');
  }
  if (phone.e164 !== ticket.phone) throw invalidInput('ticket.phone is not in E.164 form.');
  const data = expect.data.safeParse(ticket.data);
  if (!data.success) {
    const fields = [...new Set(data.error.issues.map((issue) => ['ticket.data', ...issue.path].join('.')))];
    throw invalidInput(
      `${fields.slice(0, 3).join(', ')} must hold what the ${expect.provider} backend returned.`,
    );
  }
  return {
    ticket,
    checked: {
      purpose: ticket.purpose,
      userId: userId as UserIdOf<S>,
      phone,
      issuedAt: ticket.issuedAt,
      expiresAt: ticket.expiresAt,
      data: data.data,
    },
  };
}

/** Refuses a ticket past its `expiresAt`, locally (`code_expired`). */
export function refuseExpired(expiresAt: string | undefined): void {
  if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now()) {
    throw new PhoneBindingError({
      code: 'code_expired',
      message: 'The ticket has expired; request a new code with resend().',
    });
  }
}
