import { maskKnown, maskWith } from '../phone-core.js';
import type { PhoneNumber } from '../types.js';

const MASK = '•••';
// A number in international form anywhere in a backend's text, even one the caller never sent
// (a stored number echoed back): "+" then 7–15 digits, maybe with separators.
const INTERNATIONAL_NUMBER = /\+\d(?:[\d\s().-]{5,22})\d/g;
// Keys whose string values are phone numbers or secrets whatever they hold. `code` alone is not
// among them: backends use it for their error codes.
const PHONE_KEY = /phone(number)?$|^(to|from|msisdn)$/i;
const SECRET_KEY =
  /^(verification_?code|phone_?code|pass_?code|otp|token_?value|(access_|refresh_|id_)?token|secret|password|authorization|api_?key)$/i;
// Shorter values are not searched for: replacing every "12" in a body would garble it and hide
// nothing worth hiding.
const MIN_SECRET_LENGTH = 3;

/**
 * The values one call must never show: the phone number in every spelling it may take on the
 * wire, the code, the credentials. Error details, hook URLs and messages pass through it.
 */
export class Redactor {
  private readonly pairs: Array<[string, string]> = [];
  private readonly patterns: Array<[RegExp, string]> = [];
  // Registered values wait here until something is masked: a call that succeeds without hooks
  // or logs never pays for the encodings and patterns below.
  private readonly waiting: Array<PhoneNumber | string> = [];

  /**
   * `mask` masks a number found in text (the binding's metadata tells its calling code); the
   * default, without metadata, keeps only its last two digits.
   */
  constructor(private readonly mask: (text: string) => string = (text) => maskWith(undefined, text)) {}

  /**
   * Adds a phone number: E.164, digits only, national number, their URL-encoded forms, and the
   * national digits written with separators as people and backends group them ("188 0000 8888").
   */
  phone(phone: PhoneNumber | undefined): this {
    if (phone) this.waiting.push(phone);
    return this;
  }

  /** Adds a code, token or other secret value. */
  secret(value: string | undefined): this {
    if (value) this.waiting.push(value);
    return this;
  }

  /** Turns what was registered into search pairs and patterns (once per value). */
  private settle(): void {
    if (this.waiting.length === 0) return;
    for (const item of this.waiting.splice(0)) {
      if (typeof item === 'string') {
        this.add(item, MASK);
        continue;
      }
      // Built from the number as parsed (no second parse).
      const masked = maskKnown(item);
      for (const value of [item.e164, item.e164.slice(1), item.nationalNumber]) this.add(value, masked);
      if (item.nationalNumber.length >= 6 && !this.patterns.some(([, m]) => m === masked)) {
        const grouped = item.nationalNumber.split('').join('[\\s().\\-/]*');
        // Also with the national trunk prefix people write ("079 123 45 67").
        this.patterns.push([new RegExp(`(?<!\\d)(?:0[\\s().\\-/]*)?${grouped}(?!\\d)`, 'g'), masked]);
      }
    }
    // Longest first, so "+41791234567" is replaced before its tail "791234567".
    this.pairs.sort((a, b) => b[0].length - a[0].length);
  }

  private add(value: string, replacement: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    // As typed, as a path segment, and as URLSearchParams writes a query value (it also
    // escapes ~ ! ' ( ) and writes spaces as "+").
    const query = new URLSearchParams({ v: value }).toString().slice(2);
    let path = value;
    try {
      path = encodeURIComponent(value);
    } catch {
      // Ill-formed Unicode has no percent-encoded form to search for.
    }
    for (const form of new Set([value, path, query])) {
      if (!this.pairs.some(([known]) => known === form)) this.pairs.push([form, replacement]);
    }
  }

  /** Replaces every known secret, and anything shaped like an international number, in a string. */
  text(value: string): string {
    this.settle();
    let out = value;
    for (const [secret, replacement] of this.pairs) {
      if (out.includes(secret)) out = out.split(secret).join(replacement);
    }
    for (const [pattern, replacement] of this.patterns) out = out.replace(pattern, replacement);
    return out.replace(INTERNATIONAL_NUMBER, (match) => this.mask(match));
  }

  /**
   * Deep copy of a JSON-like value (a backend's body) with every string passed through
   * {@link Redactor.text}, and the values of phone-number and secret fields masked whole.
   */
  deep(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    // A number or code sent back as a JSON number: mask it like the string it spells.
    if (typeof value === 'number' && Number.isFinite(value)) {
      const spelled = String(value);
      const masked = this.text(spelled);
      return masked === spelled ? value : masked;
    }
    if (value === null || typeof value !== 'object') return value;
    // Deeper than any real error body: drop it rather than show it unmasked.
    if (depth > 20) return '[too deep]';
    if (Array.isArray(value)) return value.map((item) => this.deep(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const safeKey = this.text(key);
      // Masked whole: any filled secret field; a phone field holding a string, or a number long
      // enough to be one. Already-masked values stay as they are, so masking twice changes nothing.
      const spelled = typeof item === 'string' ? item : typeof item === 'number' ? String(item) : '';
      const masked = spelled.includes('•');
      const phoneLike =
        typeof item === 'string' ? spelled.length > 0 : spelled.replace(/\D/g, '').length >= 6;
      if (spelled.length > 0 && !masked && SECRET_KEY.test(key)) out[safeKey] = MASK;
      else if (phoneLike && !masked && PHONE_KEY.test(key)) out[safeKey] = this.mask(spelled);
      else out[safeKey] = this.deep(item, depth + 1);
    }
    return out;
  }
}
