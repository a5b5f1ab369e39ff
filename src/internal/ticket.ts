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
  signature: z.optional(z.string().check(z.maxLength(200))),
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
  let phone: PhoneNumber;
  try {
    phone = normalizePhoneNumber(ticket.phone);
  } catch {
    throw invalidInput('ticket.phone is not a valid E.164 number.');
  }
  if (phone.e164 !== ticket.phone) throw invalidInput('ticket.phone is not in E.164 form.');
  return { ticket, phone };
}

/** Refuses a ticket past its `expiresAt`, locally (`code_expired`). */
export function refuseExpired(ticket: VerificationTicket): void {
  if (ticket.expiresAt !== undefined && Date.parse(ticket.expiresAt) <= Date.now()) {
    throw new PhoneBindingError({
      code: 'code_expired',
      message: 'The ticket has expired; request a new code with resend().',
    });
  }
}

/** Shortest `ticketSecret` accepted: 128 bits as hex or base64 are 22–32 characters. */
export const MIN_TICKET_SECRET_LENGTH = 16;

/** The signed part of a ticket, in a fixed order, so the same ticket always signs the same. */
function canonical(ticket: VerificationTicket): string {
  const data = ticket.data
    ? Object.keys(ticket.data)
        .sort()
        .map((key) => [key, ticket.data![key]])
    : null;
  return JSON.stringify([
    ticket.provider,
    ticket.purpose,
    ticket.userId ?? null,
    ticket.phone,
    ticket.issuedAt,
    ticket.expiresAt ?? null,
    data,
  ]);
}

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a 32-byte HMAC written as 43 base64url characters; anything else is `undefined`. */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(`${text.replace(/-/g, '+').replace(/_/g, '/')}=`);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  // The last character carries 2 unused bits: only the one canonical spelling is accepted.
  return toBase64Url(bytes.buffer) === text ? bytes : undefined;
}

/**
 * Signs and checks tickets with HMAC-SHA-256 (WebCrypto: browsers, Node, edge runtimes), so a
 * ticket kept in a browser cannot be edited (another user, another number, a later expiry) or
 * forged. The key is imported once, on first use.
 */
export class TicketSigner {
  private key: Promise<CryptoKey> | undefined;

  constructor(private readonly secret: string) {}

  private cryptoKey(): Promise<CryptoKey> {
    this.key ??= crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(this.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    return this.key;
  }

  /** A copy of `ticket` with its `signature`. */
  async sign(ticket: VerificationTicket): Promise<VerificationTicket> {
    const { signature: _, ...unsigned } = ticket;
    const mac = await crypto.subtle.sign(
      'HMAC',
      await this.cryptoKey(),
      new TextEncoder().encode(canonical(unsigned)),
    );
    return { ...unsigned, signature: toBase64Url(mac) };
  }

  /** Throws `invalid_input` unless `ticket` carries this secret's signature over its fields. */
  async check(ticket: VerificationTicket): Promise<void> {
    const signature = ticket.signature === undefined ? undefined : fromBase64Url(ticket.signature);
    if (ticket.signature === undefined) {
      throw invalidInput('ticket is not signed: this adapter signs its tickets (ticketSecret).');
    }
    if (!signature) throw invalidInput('ticket signature is malformed.');
    const valid = await crypto.subtle.verify(
      'HMAC',
      await this.cryptoKey(),
      signature,
      new TextEncoder().encode(canonical(ticket)),
    );
    if (!valid)
      throw invalidInput(
        'ticket signature does not match: it was changed, or issued with another ticketSecret.',
      );
  }
}
