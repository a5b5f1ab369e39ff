import type { VerificationTicket } from '../types.js';

/** The signed part of a ticket, in a fixed order, so the same ticket always signs the same. */
function canonical(ticket: VerificationTicket): string {
  const fields = ticket.data;
  const data = fields
    ? Object.keys(fields)
        .sort()
        .map((key) => [key, fields[key]])
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

  /**
   * Why `ticket` does not carry this secret's signature over its fields, or `undefined` when it
   * does. A reason rather than an error, so this module (loaded on demand) imports nothing.
   */
  async problem(ticket: VerificationTicket): Promise<string | undefined> {
    if (ticket.signature === undefined) return 'is not signed: this adapter signs its tickets (ticketSecret)';
    const signature = fromBase64Url(ticket.signature);
    if (!signature) return 'signature is malformed';
    const valid = await crypto.subtle.verify(
      'HMAC',
      await this.cryptoKey(),
      signature,
      new TextEncoder().encode(canonical(ticket)),
    );
    return valid
      ? undefined
      : 'signature does not match: it was changed, or issued with another ticketSecret';
  }
}
