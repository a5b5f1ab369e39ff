import type { PhoneBindingErrorCode, ProviderId, VerificationTicket } from '../../src/index.js';

/** A ticket of `provider` for `phone`: a bind ticket issued now, unless `fields` say otherwise. */
export function newTicket(
  provider: ProviderId,
  phone: string,
  fields: Partial<VerificationTicket> = {},
): VerificationTicket {
  return { provider, purpose: 'bind', phone, issuedAt: new Date().toISOString(), ...fields };
}

/**
 * The tickets verify must refuse before any request, each made from the adapter's good one: what is
 * wrong with it, the ticket, and the error code it is refused with.
 */
export function badTickets(
  good: (fields?: Partial<VerificationTicket>) => VerificationTicket,
  wrong: { provider: ProviderId; phone: string },
): Array<[what: string, ticket: () => VerificationTicket, code: PhoneBindingErrorCode]> {
  const withoutUserId = () => {
    const { userId: _userId, ...ticket } = good();
    return ticket;
  };
  return [
    ['another provider', () => good({ provider: wrong.provider }), 'invalid_input'],
    ['a removal ticket', () => good({ purpose: 'remove' }), 'invalid_input'],
    ['no userId', withoutUserId, 'invalid_input'],
    ['a non-E.164 phone', () => good({ phone: wrong.phone }), 'invalid_input'],
    ['an expired ticket', () => good({ expiresAt: '2000-01-01T00:00:00.000Z' }), 'code_expired'],
  ];
}

/** Codes verify refuses before any request: empty, blank, and with inner white space. */
export const BAD_CODES = ['', '   ', '12 34'];
