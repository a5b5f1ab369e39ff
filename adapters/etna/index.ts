/**
 * ETNA Trader adapter: {@link etna}.
 * @packageDocumentation
 * @module phone-binding/etna
 */
import * as z from 'zod/mini';
import { PhoneBindingError } from '../../src/errors.js';
import { createBinding, requireCurrentNumber } from '../../src/internal/binding.js';
import { type CallContext, HttpClient } from '../../src/internal/http.js';
import { checkCredential, invalidInput } from '../../src/internal/input.js';
import { checkAdapterOptions } from '../../src/internal/options.js';
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
} from '../../src/types.js';
import { mapEtnaError } from './errors.js';

/**
 * Options of {@link etna}.
 *
 * @example
 * ```ts
 * import { type EtnaOptions, etna } from 'phone-binding/etna';
 *
 * const options: EtnaOptions = {
 *   baseUrl: 'https://pub-api-et-demo-prod.etnasoft.us/api',
 *   token: process.env.ETNA_TOKEN!,
 *   appKey: process.env.ETNA_APP_KEY!,
 *   apiVersion: '1.0',
 * };
 * const phones = etna(options);
 * await phones.bind({ userId: '4521', phoneNumber: '+1 213 373 4253' });
 * ```
 */
export interface EtnaOptions extends CommonAdapterOptions {
  /** The Trading API root, path included, e.g. `https://pub-api-et-demo-prod.etnasoft.us/api`. */
  baseUrl: string;
  /** The bearer token from `POST {base}/token` (lives 24 h). A function is asked before every request. */
  token: Credential;
  /** The company's app key, sent as `Et-App-Key`. */
  appKey: Credential;
  /** API version in the path, `v{apiVersion}`. Default `"1.0"`. */
  apiVersion?: string;
}

/**
 * What the ETNA adapter can do.
 *
 * @example
 * ```ts
 * import { ETNA_CAPABILITIES } from 'phone-binding/etna';
 *
 * ETNA_CAPABILITIES.scope; // 'admin': every call names ETNA's numeric userId
 * ETNA_CAPABILITIES.assertVerified; // false: bind() always sends an SMS
 * ```
 */
export const ETNA_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  // The paths need ETNA's numeric user id, even when the token is the user's own.
  scope: 'admin',
  codeVerification: true,
  assertVerified: false,
  returnCode: false,
  // No resend endpoint: resend() binds the same number again (a new token id).
  resend: true,
  get: true,
  remove: true,
  primary: false,
  removeNeedsCode: false,
});

const stateSchema = z.enum(['NotLinked', 'Active', 'Suspended', 'NotVerified']);
const phoneModel = z.object({ PhoneNumber: z.nullish(z.string()), PhoneNumberState: stateSchema });
// Step 1 answers a serialized .NET Tuple<PhoneNumberModel, Int32>: m_Item2 is the token id.
const bindSchema = z.object({
  m_Item1: phoneModel,
  // An int32 token id; anything else could never be verified.
  m_Item2: z.number().check(z.int(), z.gte(0), z.lte(2_147_483_647)),
});

const INT32_MAX = 2_147_483_647;

/** ETNA user ids are int32 integers (wire reference: `userId` integer). */
function checkEtnaUserId(userId: string): void {
  if (!/^\d{1,10}$/.test(userId) || Number(userId) > INT32_MAX) {
    throw invalidInput('userId must be ETNA’s numeric user id (a whole number).');
  }
}

/**
 * ETNA Trader (Trading API) on a user's phone number: `PUT …/users/{userId}/subscriptions/settings/phonenumber`
 * sends the SMS, `PUT …/phonenumber/token/{tokenId}?tokenValue=<code>` verifies it, `GET` reads it and
 * `DELETE` unbinds it. Every call carries `Authorization: Bearer <token>` and `Et-App-Key`.
 *
 * @example
 * ```ts
 * import { etna } from 'phone-binding/etna';
 * const phones = etna({ baseUrl: 'https://pub-api-et-demo-prod.etnasoft.us/api', token, appKey });
 * const pending = await phones.bind({ userId: '4521', phoneNumber: '+1 310 890 4569' });
 * ```
 */
export function etna(options: EtnaOptions): PhoneBinding {
  const { common, record } = checkAdapterOptions(options, 'etna', ['token', 'appKey', 'apiVersion']);
  const token = checkCredential(record.token, 'token');
  const appKey = checkCredential(record.appKey, 'appKey');
  const apiVersion = record.apiVersion ?? '1.0';
  if (typeof apiVersion !== 'string' || !/^\d+(\.\d+)?$/.test(apiVersion)) {
    throw invalidInput('apiVersion must look like "1.0".');
  }
  const provider = 'etna' as const;
  const http = new HttpClient({
    provider,
    ...common,
    credentials: [
      { header: 'authorization', credential: token, field: 'token', format: (value) => `Bearer ${value}` },
      { header: 'et-app-key', credential: appKey, field: 'appKey' },
    ],
    mapError: mapEtnaError,
  });
  const phonePath = (userId: string) => [
    `v${apiVersion}`,
    'users',
    userId,
    'subscriptions',
    'settings',
    'phonenumber',
  ];

  function bound(
    model: z.infer<typeof phoneModel>,
    fallback: PhoneNumber | undefined,
    call: CallContext,
  ): BoundPhone | null {
    if (model.PhoneNumberState === 'NotLinked' || !model.PhoneNumber) return null;
    const phone = readStoredPhoneNumber(model.PhoneNumber) ?? fallback;
    if (!phone) {
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: 'ETNA returned a phone number that is not a possible international number.',
      });
    }
    call.redactor.phone(phone);
    // Suspended: bound but disabled (no trigger documented). It cannot be relied on to receive
    // codes, so it reads as unverified rather than verified.
    return { state: model.PhoneNumberState === 'Active' ? 'verified' : 'unverified', provider, phone };
  }

  async function read(userId: string, call: CallContext): Promise<BoundPhone | null> {
    try {
      const body = await http.send(
        { method: 'GET', path: phonePath(userId), schema: phoneModel, idempotent: true },
        call,
      );
      return bound(body, undefined, call);
    } catch (error) {
      // A 404 on the phone resource means "no phone" (DESIGN: get() answers null).
      if (error instanceof PhoneBindingError && error.status === 404 && error.providerCode === undefined)
        return null;
      throw error;
    }
  }

  async function sendCode(
    userId: string,
    phone: PhoneNumber,
    call: CallContext,
  ): Promise<PendingVerification | BoundPhone> {
    const body = await http.send(
      {
        method: 'PUT',
        path: phonePath(userId),
        // The "+" must be %2B: ASP.NET-style servers read a bare "+" in a query as a space.
        query: { phoneNumber: phone.e164 },
        schema: bindSchema,
        // A PUT, but it sends an SMS: never repeated by the SDK.
        idempotent: false,
        sendsSms: true,
      },
      call,
    );
    const state = body.m_Item1.PhoneNumberState;
    if (state === 'NotVerified') {
      return {
        state: 'pending',
        purpose: 'bind',
        provider,
        phone,
        ticket: createTicket({ provider, purpose: 'bind', userId, phone, data: { tokenId: body.m_Item2 } }),
      };
    }
    if (state === 'Active') return { state: 'verified', provider, phone };
    throw new PhoneBindingError({
      code: 'provider_error',
      providerCode: state,
      message: `ETNA answered the bind with state ${state} instead of NotVerified.`,
    });
  }

  return createBinding({
    provider,
    capabilities: ETNA_CAPABILITIES,
    // ETNA documents no code format; 64 is far above any SMS code.
    codeMaxLength: 64,
    checkUserId: checkEtnaUserId,
    common,

    bind({ userId, phone }, call) {
      return sendCode(userId!, phone, call);
    },

    async verify({ ticket, code }, call) {
      const tokenId = ticket.ticket.data?.tokenId;
      if (typeof tokenId !== 'number' || !Number.isInteger(tokenId) || tokenId < 0 || tokenId > INT32_MAX) {
        throw invalidInput('ticket.data.tokenId must be the token id ETNA returned.');
      }
      const body = await http.send(
        {
          method: 'PUT',
          path: [...phonePath(ticket.ticket.userId!), 'token', String(tokenId)],
          query: { tokenValue: code },
          schema: phoneModel,
          idempotent: false,
        },
        call,
      );
      if (body.PhoneNumberState !== 'Active') {
        // A 200 that does not say Active has not verified anything; never report success.
        throw new PhoneBindingError({
          code: 'invalid_code',
          providerCode: body.PhoneNumberState,
          message: `ETNA did not activate the number (state ${body.PhoneNumberState}).`,
        });
      }
      return bound(body, ticket.phone, call) ?? { state: 'verified', provider, phone: ticket.phone };
    },

    async resend(ticket, call) {
      const result = await sendCode(ticket.ticket.userId!, ticket.phone, call);
      if (result.state !== 'pending') {
        throw new PhoneBindingError({
          code: 'invalid_input',
          message: 'No verification is pending for this number: ETNA reports it active already.',
        });
      }
      return result;
    },

    get(userId, call) {
      return read(userId!, call);
    },

    async remove({ userId, phone }, call) {
      if (phone) requireCurrentNumber(await read(userId!, call), phone);
      await http.send({ method: 'DELETE', path: phonePath(userId!), idempotent: true }, call);
      return { state: 'removed', provider };
    },
  });
}
