/** What both Zitadel adapters share: the token header and "not changed". */
import {
  bearer,
  type CredentialHeader,
  isPhoneBindingError,
  PhoneBindingError,
} from '../../src/kit/index.js';
import type { BoundPhone, Credential, PhoneNumber } from '../../src/types.js';
import { NOT_CHANGED_IDS } from './errors.js';

/** `Authorization: Bearer <token>`, resolved per request. */
export function tokenCredentials(options: { token: Credential }): readonly CredentialHeader[] {
  return [bearer(options.token, 'token')];
}

/** `true` when Zitadel refused to set the number because the user already has it. */
export function isNotChanged(error: unknown): boolean {
  return isPhoneBindingError(error) && NOT_CHANGED_IDS.includes(error.providerCode ?? '');
}

/**
 * After "not changed", the number read back must be the one bound; another one means the user's
 * number changed in between, and only asking again can tell what is true.
 */
export function requireSameNumber(
  current: BoundPhone | null,
  phone: PhoneNumber,
  providerCode: string,
): BoundPhone {
  if (current?.phone.e164 !== phone.e164) {
    throw new PhoneBindingError({
      code: 'provider_error',
      message: 'Zitadel answered "number not changed" but the user holds another number; try again.',
      providerCode,
    });
  }
  return current;
}
