import type { ProviderId } from '../types.js';

/**
 * An SMS a fake backend "sent".
 *
 * @example
 * ```ts
 * import { createFakeBackends, type SentSms } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.zitadel.createUser();
 * const phones = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakes.fetch });
 * await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 * const sms: SentSms | undefined = fakes.outbox.at(-1);
 * // { provider: 'zitadel', to: '+41791234567', code: 'AGM7UZ', text: 'Your verification code is AGM7UZ', sentAt: '…' }
 * ```
 */
export interface SentSms {
  /** Backend that sent it. */
  provider: ProviderId;
  /** Recipient, E.164. */
  to: string;
  /** The code in it. */
  code: string;
  /** The message text. */
  text: string;
  /** When it was sent, ISO 8601. */
  sentAt: string;
}

/**
 * A request a fake backend received, as it arrived.
 *
 * @example
 * ```ts
 * import { clerk } from 'phone-binding/clerk';
 * import { createFakeBackends, type RecordedRequest } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.clerk.createUser();
 * const phones = clerk({ secretKey: fakes.clerk.secretKey, baseUrl: fakes.urls.clerk, fetch: fakes.fetch });
 * await phones.bind({ userId, phoneNumber: '+1 213 373 4253', verified: true });
 * const request: RecordedRequest | undefined = fakes.requests.at(-1);
 * // { backend: 'clerk', method: 'POST', path: '/v1/phone_numbers',
 * //   body: { user_id: userId, phone_number: '+12133734253', verified: true }, … }
 * ```
 */
export interface RecordedRequest {
  /** Backend id (`zitadel`, …). */
  backend: string;
  /** HTTP method. */
  method: string;
  /** Path below the backend's mount point, still percent-encoded, e.g. `/v2/users/42/phone`. */
  path: string;
  /** Query parameters. */
  query: Record<string, string>;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
}

/**
 * A fault to serve instead of the backend's answer.
 *
 * @example
 * ```ts
 * import { isPhoneBindingError } from 'phone-binding';
 * import { createFakeBackends, type Fault } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.zitadel.createUser();
 * const phones = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakes.fetch });
 *
 * const throttled: Fault = {
 *   backend: 'zitadel',
 *   method: 'POST',
 *   path: /\/phone$/,
 *   status: 429,
 *   headers: { 'retry-after': '30' },
 *   body: { code: 8, message: 'quota exceeded' },
 * };
 * fakes.injectFault(throttled);
 * try {
 *   await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 * } catch (e) {
 *   if (isPhoneBindingError(e)) console.log(e.code, e.retryAfterMs); // 'rate_limited' 30000
 * }
 * ```
 */
export interface Fault {
  /** Only requests to this backend (default: any). */
  backend?: string;
  /** Only this method (default: any). */
  method?: string;
  /** Only paths (below the mount point) that equal this string or match this pattern. */
  path?: string | RegExp;
  /**
   * Only requests this accepts, for what method and path cannot tell apart (Cognito sends every
   * operation as `POST /`, named by its `x-amz-target` header).
   */
  when?: (request: RecordedRequest) => boolean;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Wait this long before answering (fake timers advance it). */
  delayMs?: number;
  /** Fail at the network level instead of answering. */
  networkError?: boolean;
  /** Status of the answer (default 500). */
  status?: number;
  /** Headers of the answer. */
  headers?: Record<string, string>;
  /** Body of the answer: an object is sent as JSON, a string as it is. */
  body?: unknown;
}

/**
 * An issued verification code.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type IssuedCode } from 'phone-binding/testing';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * const { userId } = fakes.zitadel.createUser();
 * const phones = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, fetch: fakes.fetch });
 * const result = await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') await phones.verify({ ticket: result.ticket, code: 'AAAAAA' }).catch(() => {});
 * const issued: IssuedCode | undefined = fakes.zitadel.pendingCode(userId);
 * // { value: 'AGM7UZ', to: '+41791234567', expiresAt: 1795304022692, attempts: 1 }
 * ```
 */
export interface IssuedCode {
  /** The code. */
  value: string;
  /** Where it was sent (or would have been), E.164. */
  to: string;
  /** Expiry, in ms since the epoch. */
  expiresAt: number;
  /** Wrong codes tried so far. */
  attempts: number;
}

/** Result of checking a code. */
export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'none' | 'locked';

/** A request as a fake backend sees it. */
export interface FakeRequest {
  method: string;
  /** Path segments below the mount point, percent-decoded. */
  segments: string[];
  query: URLSearchParams;
  headers: Headers;
  /** Parsed JSON body; `undefined` when empty. */
  body: unknown;
  /** `true` when the body was present but not JSON. */
  badJson: boolean;
}

/**
 * Settings of {@link createFakeBackends}.
 *
 * @example
 * ```ts
 * import { createFakeBackends, type FakeBackendsOptions } from 'phone-binding/testing';
 *
 * const options: FakeBackendsOptions = {
 *   origin: 'https://fakes.example.test',
 *   codeTtlMs: 60_000,
 *   // Zitadel codes are letters and digits; the others are digits.
 *   generateCode: (provider) => (provider === 'zitadel' || provider === 'zitadel-self' ? 'K7Q2ZD' : '482913'),
 * };
 * const fakes = createFakeBackends(options);
 * fakes.urls.clerk; // 'https://fakes.example.test/clerk'
 * ```
 */
export interface FakeBackendsOptions {
  /** Origin the msw handlers and `fetch` answer on. Default `https://fake.phone-binding.test`. */
  origin?: string;
  /** Lifetime of issued codes in ms; default: each backend's documented default. */
  codeTtlMs?: number;
  /** Makes codes predictable in tests. Default: random codes in each backend's format. */
  generateCode?: (provider: ProviderId) => string;
}

/** What every fake backend shares: clock, codes, outbox. */
export class FakeContext {
  readonly outbox: SentSms[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  private sequence = 0;

  constructor(readonly options: FakeBackendsOptions) {}

  now(): number {
    return Date.now();
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /**
   * Issues a code under `key` (one pending code per key), replacing any older one. With `send`
   * it lands in the outbox as an SMS from `provider`; otherwise the backend hands it back.
   */
  issueCode(issue: {
    key: string;
    provider: ProviderId;
    to: string;
    format: { length: number; alphabet: string; ttlMs: number };
    send: boolean;
  }): string {
    const { key, provider, to, format, send } = issue;
    const value = this.options.generateCode?.(provider) ?? randomCode(format.length, format.alphabet);
    const ttl = this.options.codeTtlMs ?? format.ttlMs;
    this.codes.set(key, { value, to, expiresAt: this.now() + ttl, attempts: 0 });
    if (send) {
      this.outbox.push({
        provider,
        to,
        code: value,
        text: `Your verification code is ${value}`,
        sentAt: new Date(this.now()).toISOString(),
      });
    }
    return value;
  }

  /** The pending code under `key`, if any. */
  pendingCode(key: string): IssuedCode | undefined {
    return this.codes.get(key);
  }

  /** Checks a code; `maxAttempts` locks the code after that many wrong tries. A correct code is consumed. */
  checkCode(key: string, value: string, maxAttempts = Number.POSITIVE_INFINITY): CodeCheck {
    const issued = this.codes.get(key);
    if (!issued) return 'none';
    if (issued.attempts >= maxAttempts) return 'locked';
    if (issued.expiresAt <= this.now()) return 'expired';
    if (issued.value !== value) {
      issued.attempts += 1;
      return 'wrong';
    }
    this.codes.delete(key);
    return 'ok';
  }

  /** Forgets the code under `key`. */
  dropCode(key: string): void {
    this.codes.delete(key);
  }
}

function randomCode(length: number, alphabet: string): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
