/**
 * Authing / GenAuth adapter: {@link authing}.
 * @packageDocumentation
 * @module phone-binding/authing
 */
import * as z from 'zod/mini';
import { PhoneBindingError } from '../../src/errors.js';
import { createBinding } from '../../src/internal/binding.js';
import { type CallContext, HttpClient } from '../../src/internal/http.js';
import { checkCredential, checkId, invalidInput } from '../../src/internal/input.js';
import { checkAdapterOptions } from '../../src/internal/options.js';
import type { CheckedTicket } from '../../src/internal/ticket.js';
import { createTicket } from '../../src/internal/ticket.js';
import { readStoredPhoneNumber } from '../../src/phone.js';
import type {
  BoundPhone,
  Capabilities,
  CommonAdapterOptions,
  Credential,
  PendingVerification,
  PhoneBinding,
  PhoneNumber,
  VerificationPurpose,
} from '../../src/types.js';
import { envelopeSchema, mapAuthingBody, mapAuthingError, SMS_INTERVAL_MS } from './errors.js';

/**
 * Options of {@link authing}.
 *
 * @example
 * ```ts
 * import { type AuthingOptions, authing } from 'phone-binding/authing';
 *
 * const options: AuthingOptions = {
 *   baseUrl: 'https://example.genauth.ai',
 *   appId: '62f1c2e0a1b2c3d4e5f60718',
 *   accessToken: () => session.accessToken,
 *   brand: 'genauth', // x-genauth-* headers
 *   authorization: 'bearer',
 *   lang: 'en-US',
 * };
 * const phones = authing(options);
 * await phones.bind({ phoneNumber: '+86 188 0000 8888' }); // no userId: the token names the user
 * ```
 */
export interface AuthingOptions extends CommonAdapterOptions {
  /** The application's own domain (Authentication API), e.g. `https://example.authing.cn` or `https://example.genauth.ai`. */
  baseUrl: string;
  /** The signed-in end user's access token. A function is asked before every request. */
  accessToken: Credential;
  /** The application id, sent as `x-authing-app-id` (`x-genauth-app-id`). Required by every official SDK. */
  appId: string;
  /** The user pool id, sent as `x-authing-userpool-id` when given (the browser SDKs send it; the Node SDK does not). */
  userPoolId?: string;
  /**
   * How the token travels in `Authorization`: `'raw'` (default, what the official Node SDK sends)
   * or `'bearer'` (`Bearer <token>`, what the web SDK sends).
   */
  authorization?: 'raw' | 'bearer';
  /** `'genauth'` sends the `x-genauth-*` header names of GenAuth's SDK. Default `'authing'`. */
  brand?: 'authing' | 'genauth';
  /** Language of Authing's messages, sent as `x-authing-lang`. */
  lang?: 'zh-CN' | 'en-US';
}

/**
 * What the Authing adapter can do.
 *
 * @example
 * ```ts
 * import { AUTHING_CAPABILITIES } from 'phone-binding/authing';
 *
 * AUTHING_CAPABILITIES.scope; // 'user': the access token names the user
 * AUTHING_CAPABILITIES.removeNeedsCode; // true: remove() sends a code first, then remove({ ticket, code })
 * ```
 */
export const AUTHING_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  scope: 'user',
  codeVerification: true,
  assertVerified: false,
  returnCode: false,
  resend: true,
  get: true,
  remove: true,
  primary: false,
  // unbind-phone needs a code sent to the current number on CHANNEL_UNBIND_PHONE.
  removeNeedsCode: true,
});

const CHANNEL: Record<VerificationPurpose, string> = {
  bind: 'CHANNEL_BIND_PHONE',
  remove: 'CHANNEL_UNBIND_PHONE',
};
const profileSchema = z.object({
  statusCode: z.literal(200),
  data: z.object({
    phone: z.nullish(z.string()),
    phoneCountryCode: z.nullish(z.string()),
    phoneVerified: z.nullish(z.boolean()),
  }),
});

/** Authing's split: the national number, and the country calling code as `+NN`. */
function split(phone: PhoneNumber) {
  return { phoneNumber: phone.nationalNumber, phoneCountryCode: `+${phone.countryCallingCode}` };
}

/**
 * Authing (and GenAuth, its international brand) on the signed-in user's own number, through the
 * v3 Authentication API: `POST /api/v3/send-sms` sends the code, `POST /api/v3/bind-phone` binds
 * with it, `GET /api/v3/get-profile` reads it, and `remove()` takes two steps (a code on
 * `CHANNEL_UNBIND_PHONE`, then `POST /api/v3/unbind-phone`). Authing reports failures as HTTP 200
 * with a body `statusCode`; every one becomes a `PhoneBindingError` (without `status`).
 *
 * @example
 * ```ts
 * import { authing } from 'phone-binding/authing';
 * const phones = authing({ baseUrl: 'https://example.authing.cn', appId, accessToken: () => session.accessToken });
 * const pending = await phones.bind({ phoneNumber: '+86 188 0000 8888' });
 * ```
 */
export function authing(options: AuthingOptions): PhoneBinding {
  const { common, record } = checkAdapterOptions(options, 'authing', [
    'accessToken',
    'appId',
    'userPoolId',
    'authorization',
    'brand',
    'lang',
  ]);
  const accessToken = checkCredential(record.accessToken, 'accessToken');
  const appId = checkId(record.appId, 'appId');
  const brand = record.brand ?? 'authing';
  if (brand !== 'authing' && brand !== 'genauth') throw invalidInput('brand must be "authing" or "genauth".');
  const scheme = record.authorization ?? 'raw';
  if (scheme !== 'raw' && scheme !== 'bearer') throw invalidInput('authorization must be "raw" or "bearer".');
  if (record.lang !== undefined && record.lang !== 'zh-CN' && record.lang !== 'en-US') {
    throw invalidInput('lang must be "zh-CN" or "en-US".');
  }
  const prefix = `x-${brand}`;
  const fixedHeaders: Record<string, string> = { [`${prefix}-app-id`]: appId };
  if (record.userPoolId !== undefined)
    fixedHeaders[`${prefix}-userpool-id`] = checkId(record.userPoolId, 'userPoolId');
  if (record.lang !== undefined) fixedHeaders[`${prefix}-lang`] = record.lang as string;

  const provider = 'authing' as const;
  const http = new HttpClient({
    provider,
    ...common,
    fixedHeaders,
    credentials: [
      {
        header: 'authorization',
        credential: accessToken,
        field: 'accessToken',
        format: scheme === 'bearer' ? (value) => `Bearer ${value}` : undefined,
      },
    ],
    mapError: (failure) => mapAuthingError(failure),
    // HTTP 200 with statusCode != 200 is how Authing reports every failure.
    bodyError(body) {
      const parsed = envelopeSchema.safeParse(body);
      if (!parsed.success || parsed.data.statusCode === 200) return undefined;
      return mapAuthingBody(parsed.data);
    },
  });

  async function sendSms(
    phone: PhoneNumber,
    purpose: VerificationPurpose,
    call: CallContext,
  ): Promise<PendingVerification> {
    await http.send(
      {
        method: 'POST',
        path: ['api', 'v3', 'send-sms'],
        json: { ...split(phone), channel: CHANNEL[purpose] },
        schema: envelopeSchema,
        idempotent: false,
        sendsSms: true,
      },
      call,
    );
    // Authing does not say how long a code lives: no expiresAt.
    return { state: 'pending', purpose, provider, phone, ticket: createTicket({ provider, purpose, phone }) };
  }

  async function profile(call: CallContext): Promise<BoundPhone | null> {
    const body = await http.send(
      { method: 'GET', path: ['api', 'v3', 'get-profile'], schema: profileSchema, idempotent: true },
      call,
    );
    const { phone, phoneCountryCode, phoneVerified } = body.data;
    if (!phone) return null;
    // Without a country code Authing means mainland China (its SDKs fill in +86).
    const stored = readStoredPhoneNumber(`${phoneCountryCode || '+86'}${phone}`);
    if (!stored) {
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: 'Authing returned a phone number that is not a possible number.',
      });
    }
    call.redactor.phone(stored);
    // Self-service binding always verifies; unverified numbers only come from admin writes.
    return { state: phoneVerified === true ? 'verified' : 'unverified', provider, phone: stored };
  }

  /** Refuses a resend inside Authing's one-minute window without sending anything. */
  function throttle(ticket: CheckedTicket): void {
    const wait = Date.parse(ticket.ticket.issuedAt) + SMS_INTERVAL_MS - Date.now();
    if (wait > 0) {
      throw new PhoneBindingError({
        code: 'rate_limited',
        message: `Authing sends one SMS per minute per number; try again in ${Math.ceil(wait / 1000)} s.`,
        retryAfterMs: wait,
      });
    }
  }

  return createBinding({
    provider,
    capabilities: AUTHING_CAPABILITIES,
    // Authing documents no code format; 64 is far above any SMS code.
    codeMaxLength: 64,
    common,

    async bind({ phone }, call) {
      // bind-phone only binds a first number: look before sending an SMS that could never be used.
      const current = await profile(call);
      if (current?.phone.e164 === phone.e164 && current.state === 'verified') return current;
      if (current) {
        throw new PhoneBindingError({
          code: 'invalid_input',
          message: 'The user already has a phone number; Authing binds only a first number. Remove it first.',
        });
      }
      return sendSms(phone, 'bind', call);
    },

    async verify({ ticket, code }, call) {
      await http.send(
        {
          method: 'POST',
          path: ['api', 'v3', 'bind-phone'],
          json: {
            phoneNumber: ticket.phone.nationalNumber,
            passCode: code,
            phoneCountryCode: `+${ticket.phone.countryCallingCode}`,
          },
          schema: envelopeSchema,
          idempotent: false,
        },
        call,
      );
      return { state: 'verified', provider, phone: ticket.phone };
    },

    resend(ticket, call) {
      throttle(ticket);
      return sendSms(ticket.phone, ticket.ticket.purpose, call);
    },

    get(_userId, call) {
      return profile(call);
    },

    async remove({ phone, confirm }, call) {
      if (confirm) {
        await http.send(
          {
            method: 'POST',
            path: ['api', 'v3', 'unbind-phone'],
            json: { passCode: confirm.code },
            schema: envelopeSchema,
            idempotent: false,
          },
          call,
        );
        return { state: 'removed', provider };
      }
      const current = await profile(call);
      if (!current || (phone && current.phone.e164 !== phone.e164)) {
        throw new PhoneBindingError({
          code: 'not_found',
          message: 'The user does not have this phone number.',
        });
      }
      return sendSms(current.phone, 'remove', call);
    },
  });
}
