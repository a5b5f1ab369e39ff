import { maskPhoneNumber } from '../phone.js';
import type { PhoneNumber } from '../types.js';

const MASK = '•••';
// Shorter values are not searched for: replacing every "12" in a body would garble it and hide
// nothing worth hiding.
const MIN_SECRET_LENGTH = 3;

/**
 * The values one call must never show: the phone number in every spelling it may take on the
 * wire, the code, the credentials. Error details, hook URLs and messages pass through it.
 */
export class Redactor {
  private readonly pairs: Array<[string, string]> = [];

  /** Adds a phone number: E.164, digits only, national number, and their URL-encoded forms. */
  phone(phone: PhoneNumber | undefined): this {
    if (!phone) return this;
    const masked = maskPhoneNumber(phone.e164);
    for (const value of [phone.e164, phone.e164.slice(1), phone.nationalNumber]) this.add(value, masked);
    return this;
  }

  /** Adds a code, token or other secret value. */
  secret(value: string | undefined): this {
    if (value) this.add(value, MASK);
    return this;
  }

  private add(value: string, replacement: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    for (const form of new Set([value, encodeURIComponent(value)])) {
      if (!this.pairs.some(([known]) => known === form)) this.pairs.push([form, replacement]);
    }
    // Longest first, so "+41791234567" is replaced before its tail "791234567".
    this.pairs.sort((a, b) => b[0].length - a[0].length);
  }

  /** Replaces every known secret in a string. */
  text(value: string): string {
    let out = value;
    for (const [secret, replacement] of this.pairs) {
      if (out.includes(secret)) out = out.split(secret).join(replacement);
    }
    return out;
  }

  /** Deep copy of a JSON-like value with every string passed through {@link Redactor.text}. */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 20 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.deep(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[this.text(key)] = this.deep(item, depth + 1);
    return out;
  }
}
