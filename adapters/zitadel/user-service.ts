import * as z from 'zod/mini';
import { PhoneBindingError } from '../../src/errors.js';
import { type CheckedBind, createBinding, requireCurrentNumber } from '../../src/internal/binding.js';
import type { CallContext } from '../../src/internal/http.js';
import { invalidInput } from '../../src/internal/input.js';
import {
  checkAdapterOptions,
  refuseInBrowser,
  type ServerSecretOptions,
} from '../../src/internal/options.js';
import { createTicket } from '../../src/internal/ticket.js';
import type {
  BoundPhone,
  Capabilities,
  CommonAdapterOptions,
  Credential,
  PendingVerification,
  PhoneBinding,
  PhoneNumber,
} from '../../src/types.js';
import { isNotChanged, mutationSchema, storedPhone, zitadelHttp } from './shared.js';

/**
 * Options of {@link zitadel}.
 *
 * @example
 * ```ts
 * import { type ZitadelOptions, zitadel } from 'phone-binding/zitadel';
 *
 * // The app sends the code itself (e.g. through its own SMS provider or a messenger).
 * const options: ZitadelOptions = {
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   token: process.env.ZITADEL_TOKEN!,
 *   delivery: 'return-code',
 * };
 * const phones = zitadel(options);
 * const result = await phones.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * if (result.state === 'pending') await sendSms(result.phone.e164, `Your code: ${result.code}`);
 * ```
 */
export interface ZitadelOptions extends CommonAdapterOptions, ServerSecretOptions {
  /** The instance URL, e.g. `https://my-instance.zitadel.cloud`; the adapter appends `/v2/users/…`. */
  baseUrl: string;
  /** A service user's access token or PAT with `user.write` (and `user.read` for `get()`). */
  token: Credential;
  /**
   * How the code reaches the user: `'sms'` (default) sends it through Zitadel's SMS provider;
   * `'return-code'` sends nothing and hands the code back in `PendingVerification.code`, for apps
   * that deliver it themselves.
   */
  delivery?: 'sms' | 'return-code';
}

/**
 * What the Zitadel user service v2 adapter can do.
 *
 * @example
 * ```ts
 * import { ZITADEL_CAPABILITIES } from 'phone-binding/zitadel';
 *
 * ZITADEL_CAPABILITIES.scope; // 'admin': any userId, with a service user's token
 * ZITADEL_CAPABILITIES.returnCode; // true: delivery 'return-code' hands the code back
 * ZITADEL_CAPABILITIES.assertVerified; // true: bind({ verified: true }) sends no SMS
 * ```
 */
export const ZITADEL_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  scope: 'admin',
  codeVerification: true,
  assertVerified: true,
  returnCode: true,
  resend: true,
  get: true,
  remove: true,
  primary: false,
  removeNeedsCode: false,
});

// Zitadel always sends `details`; `verificationCode` only with returnCode.
const setPhoneSchema = z.object({ details: z.object({}), verificationCode: z.optional(z.string()) });
const userSchema = z.object({
  user: z.object({
    human: z.optional(
      z.object({
        // Default values are omitted on the wire: no phone is `{}`, unverified lacks isVerified.
        phone: z.optional(z.object({ phone: z.optional(z.string()), isVerified: z.optional(z.boolean()) })),
      }),
    ),
  }),
});

/**
 * Zitadel user service v2 (REST gateway) acting as admin on any user: `POST /v2/users/{userId}/phone`,
 * `…/phone/verify`, `…/phone/resend`, `GET /v2/users/{userId}`, `DELETE /v2/users/{userId}/phone`.
 * Holds a service credential, so it refuses to be created in a browser unless
 * `dangerouslyAllowBrowser: true`.
 *
 * Setting the number the user already has is answered by Zitadel with `Errors.User.Phone.NotChanged`;
 * the adapter then does what Zitadel's docs advise: if that number is verified it returns it as
 * bound, otherwise it re-sends the code (one SMS, the one `bind()` was asked for).
 *
 * @example
 * ```ts
 * import { zitadel } from 'phone-binding/zitadel';
 * const binding = zitadel({ baseUrl: 'https://my-instance.zitadel.cloud', token: process.env.ZITADEL_TOKEN! });
 * const pending = await binding.bind({ userId: '2735672783', phoneNumber: '+41 79 123 45 67' });
 * ```
 */
export function zitadel(options: ZitadelOptions): PhoneBinding {
  const { common, record } = checkAdapterOptions(options, 'zitadel', [
    'token',
    'delivery',
    'dangerouslyAllowBrowser',
  ]);
  refuseInBrowser('zitadel', 'token', record.dangerouslyAllowBrowser);
  const delivery = record.delivery ?? 'sms';
  if (delivery !== 'sms' && delivery !== 'return-code')
    throw invalidInput('delivery must be "sms" or "return-code".');
  const http = zitadelHttp('zitadel', common, record.token);
  const provider = 'zitadel' as const;
  const codeRequest = delivery === 'sms' ? { sendCode: {} } : { returnCode: {} };
  const phonePath = (userId: string) => ['v2', 'users', userId, 'phone'];

  function pending(userId: string, phone: PhoneNumber, code: string | undefined): PendingVerification {
    if (delivery === 'return-code' && code === undefined) {
      throw new PhoneBindingError({
        code: 'invalid_response',
        message: 'Zitadel was asked to return the code but its answer holds none.',
      });
    }
    const out: PendingVerification = {
      state: 'pending',
      purpose: 'bind',
      provider,
      phone,
      // Zitadel does not say when the code expires (an instance setting, 1 h by default): no expiresAt.
      ticket: createTicket({ provider, purpose: 'bind', userId, phone }),
    };
    if (delivery === 'return-code') out.code = code;
    return out;
  }

  async function read(userId: string, call: CallContext): Promise<BoundPhone | null> {
    const body = await http.send(
      { method: 'GET', path: ['v2', 'users', userId], schema: userSchema, idempotent: true },
      call,
    );
    const stored = body.user.human?.phone;
    if (!stored?.phone) return null;
    const phone = storedPhone(stored.phone);
    call.redactor.phone(phone);
    return { state: stored.isVerified === true ? 'verified' : 'unverified', provider, phone };
  }

  async function resend(userId: string, phone: PhoneNumber, call: CallContext): Promise<PendingVerification> {
    const body = await http.send(
      {
        method: 'POST',
        path: [...phonePath(userId), 'resend'],
        json: codeRequest,
        schema: setPhoneSchema,
        idempotent: false,
        sendsSms: delivery === 'sms',
      },
      call,
    );
    if (body.verificationCode) call.redactor.secret(body.verificationCode);
    return pending(userId, phone, body.verificationCode);
  }

  async function whenUnchanged(input: CheckedBind, userId: string, call: CallContext) {
    const current = await read(userId, call);
    if (current?.phone.e164 !== input.phone.e164) {
      throw new PhoneBindingError({
        code: 'provider_error',
        message: 'Zitadel answered "number not changed" but the user holds another number; try again.',
        providerCode: 'COMMAND-Uch5e',
      });
    }
    if (current.state === 'verified') return current;
    if (input.verified) {
      throw new PhoneBindingError({
        code: 'provider_error',
        providerCode: 'COMMAND-Uch5e',
        message:
          'The user already has this number, unverified, and Zitadel will not set the same number again as verified. ' +
          'Verify it with a code (resend), or remove it first.',
      });
    }
    return resend(userId, input.phone, call);
  }

  return createBinding({
    provider,
    capabilities: ZITADEL_CAPABILITIES,
    codeMaxLength: 20, // VerifyPhoneRequest.verification_code: 1–20 characters
    common,

    async bind(input, call) {
      const userId = input.userId!;
      const json = { phone: input.phone.e164, ...(input.verified ? { isVerified: true } : codeRequest) };
      let body: z.infer<typeof setPhoneSchema>;
      try {
        body = await http.send(
          {
            method: 'POST',
            path: phonePath(userId),
            json,
            schema: setPhoneSchema,
            idempotent: false,
            sendsSms: !input.verified && delivery === 'sms',
          },
          call,
        );
      } catch (error) {
        if (isNotChanged(error)) return whenUnchanged(input, userId, call);
        throw error;
      }
      if (input.verified) return { state: 'verified', provider, phone: input.phone };
      if (body.verificationCode) call.redactor.secret(body.verificationCode);
      return pending(userId, input.phone, body.verificationCode);
    },

    async verify({ ticket, code }, call) {
      const userId = ticket.ticket.userId!;
      await http.send(
        {
          method: 'POST',
          path: [...phonePath(userId), 'verify'],
          json: { verificationCode: code },
          schema: mutationSchema,
          idempotent: false,
        },
        call,
      );
      return { state: 'verified', provider, phone: ticket.phone };
    },

    resend(ticket, call) {
      return resend(ticket.ticket.userId!, ticket.phone, call);
    },

    get(userId, call) {
      return read(userId!, call);
    },

    async remove({ userId, phone }, call) {
      if (phone) {
        // One number per user: check it is the one named, so a stale screen never removes another.
        requireCurrentNumber(await read(userId!, call), phone);
      }
      await http.send(
        { method: 'DELETE', path: phonePath(userId!), schema: mutationSchema, idempotent: true },
        call,
      );
      return { state: 'removed', provider };
    },
  });
}
