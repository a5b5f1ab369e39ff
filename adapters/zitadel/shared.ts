import * as z from 'zod/mini';
import { isPhoneBindingError, PhoneBindingError } from '../../src/errors.js';
import { HttpClient } from '../../src/internal/http.js';
import { checkCredential } from '../../src/internal/input.js';
import type { CheckedCommonOptions } from '../../src/internal/options.js';
import { readStoredPhoneNumber } from '../../src/phone.js';
import type { Credential, PhoneNumber, ProviderId } from '../../src/types.js';
import { mapZitadelError, NOT_CHANGED_IDS } from './errors.js';

/**
 * A mutation answer: Zitadel always sends `details` (object details of the change). Requiring it
 * keeps a stray `{}` or foreign JSON from a proxy from passing as a success.
 */
export const mutationSchema = z.object({ details: z.object({}) });

/** The HTTP client both Zitadel adapters use: `Authorization: Bearer <token>`, gateway errors mapped. */
export function zitadelHttp(provider: ProviderId, common: CheckedCommonOptions, token: unknown): HttpClient {
  const credential: Credential = checkCredential(token, 'token');
  return new HttpClient({
    provider,
    ...common,
    credentials: [
      { header: 'authorization', credential, field: 'token', format: (value) => `Bearer ${value}` },
    ],
    mapError: mapZitadelError,
  });
}

/** `true` when Zitadel refused to set the number because the user already has it. */
export function isNotChanged(error: unknown): boolean {
  return isPhoneBindingError(error) && NOT_CHANGED_IDS.includes(error.providerCode ?? '');
}

/** Reads a stored number; a number Zitadel stored must be E.164, anything else is a bad answer. */
export function storedPhone(value: string): PhoneNumber {
  const phone = readStoredPhoneNumber(value);
  if (!phone) {
    throw new PhoneBindingError({
      code: 'invalid_response',
      message: 'Zitadel returned a stored phone number that is not a possible E.164 number.',
    });
  }
  return phone;
}
