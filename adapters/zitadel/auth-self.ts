import * as z from 'zod/mini';
import { PhoneBindingError } from '../../src/errors.js';
import { createBinding, requireCurrentNumber } from '../../src/internal/binding.js';
import type { CallContext } from '../../src/internal/http.js';
import { checkAdapterOptions } from '../../src/internal/options.js';
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
 * Options of {@link zitadelSelf}.
 *
 * @example
 * ```ts
 * import { type ZitadelSelfOptions, zitadelSelf } from 'phone-binding/zitadel';
 *
 * const options: ZitadelSelfOptions = {
 *   baseUrl: 'https://my-instance.zitadel.cloud',
 *   token: () => auth.getAccessToken(), // the signed-in user's token, refreshed by your OIDC client
 *   timeout: 5_000,
 * };
 * const phones = zitadelSelf(options);
 * await phones.bind({ phoneNumber: '+41 79 123 45 67' }); // no userId: the token names the user
 * ```
 */
export interface ZitadelSelfOptions extends CommonAdapterOptions {
  /** The instance URL, e.g. `https://my-instance.zitadel.cloud`; the adapter appends `/auth/v1/users/me/phone`. */
  baseUrl: string;
  /** The signed-in user's OAuth access token. A function is called before every request, so it can refresh. */
  token: Credential;
}

/**
 * What the Zitadel auth API v1 (self-service) adapter can do.
 *
 * @example
 * ```ts
 * import { ZITADEL_SELF_CAPABILITIES } from 'phone-binding/zitadel';
 *
 * ZITADEL_SELF_CAPABILITIES.scope; // 'user': the access token names the user
 * ZITADEL_SELF_CAPABILITIES.assertVerified; // false: only a code proves the number
 * ```
 */
export const ZITADEL_SELF_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  scope: 'user',
  codeVerification: true,
  // SetMyPhone always creates a code and sends it; marking verified or returning the code needs user.write.
  assertVerified: false,
  returnCode: false,
  resend: true,
  get: true,
  remove: true,
  primary: false,
  removeNeedsCode: false,
});

const PATH = ['auth', 'v1', 'users', 'me', 'phone'];
const myPhoneSchema = z.object({
  details: z.object({}),
  phone: z.optional(z.object({ phone: z.optional(z.string()), isPhoneVerified: z.optional(z.boolean()) })),
});

/**
 * Zitadel auth API v1 acting on the token's own user (`scope: 'user'`): `PUT /auth/v1/users/me/phone`,
 * `POST …/_verify`, `POST …/_resend_verification`, `GET` and `DELETE`. It holds only the user's own
 * token, so it runs in browsers as it is.
 *
 * @example
 * ```ts
 * import { zitadelSelf } from 'phone-binding/zitadel';
 * const binding = zitadelSelf({ baseUrl: 'https://my-instance.zitadel.cloud', token: () => auth.getAccessToken() });
 * const pending = await binding.bind({ phoneNumber: '079 123 45 67', defaultCountry: 'CH' });
 * ```
 */
export function zitadelSelf(options: ZitadelSelfOptions): PhoneBinding {
  const { common, record } = checkAdapterOptions(options, 'zitadelSelf', ['token']);
  const http = zitadelHttp('zitadel-self', common, record.token);
  const provider = 'zitadel-self' as const;

  function pending(phone: PhoneNumber): PendingVerification {
    return {
      state: 'pending',
      purpose: 'bind',
      provider,
      phone,
      ticket: createTicket({ provider, purpose: 'bind', phone }),
    };
  }

  async function read(call: CallContext): Promise<BoundPhone | null> {
    const body = await http.send(
      { method: 'GET', path: PATH, schema: myPhoneSchema, idempotent: true },
      call,
    );
    if (!body.phone?.phone) return null;
    const phone = storedPhone(body.phone.phone);
    call.redactor.phone(phone);
    return { state: body.phone.isPhoneVerified === true ? 'verified' : 'unverified', provider, phone };
  }

  async function resend(phone: PhoneNumber, call: CallContext): Promise<PendingVerification> {
    await http.send(
      {
        method: 'POST',
        path: [...PATH, '_resend_verification'],
        json: {},
        schema: mutationSchema,
        idempotent: false,
        sendsSms: true,
      },
      call,
    );
    return pending(phone);
  }

  return createBinding({
    provider,
    capabilities: ZITADEL_SELF_CAPABILITIES,
    codeMaxLength: 200, // VerifyMyPhoneRequest.code: 1–200 characters
    common,

    async bind({ phone }, call) {
      try {
        await http.send(
          {
            method: 'PUT',
            path: PATH,
            json: { phone: phone.e164 },
            schema: mutationSchema,
            idempotent: false,
            sendsSms: true,
          },
          call,
        );
      } catch (error) {
        if (!isNotChanged(error)) throw error;
        // Same number again: Zitadel advises resending instead; a verified number needs nothing.
        const current = await read(call);
        if (current?.phone.e164 !== phone.e164) {
          throw new PhoneBindingError({
            code: 'provider_error',
            message: 'Zitadel answered "number not changed" but the user holds another number; try again.',
            providerCode: 'COMMAND-wF94r',
          });
        }
        return current.state === 'verified' ? current : resend(phone, call);
      }
      return pending(phone);
    },

    async verify({ ticket, code }, call) {
      await http.send(
        {
          method: 'POST',
          path: [...PATH, '_verify'],
          json: { code },
          schema: mutationSchema,
          idempotent: false,
        },
        call,
      );
      return { state: 'verified', provider, phone: ticket.phone };
    },

    resend(ticket, call) {
      return resend(ticket.phone, call);
    },

    get(_userId, call) {
      return read(call);
    },

    async remove({ phone }, call) {
      if (phone) {
        requireCurrentNumber(await read(call), phone);
      }
      await http.send({ method: 'DELETE', path: PATH, schema: mutationSchema, idempotent: true }, call);
      return { state: 'removed', provider };
    },
  });
}
