import { PhoneBindingError } from '../errors.js';
import type { Credential } from '../types.js';
import { invalidInput } from './input.js';
import { headerSafe } from './option-schemas.js';

/** A credential and the header it travels in. */
export interface CredentialHeader {
  /** Header name, e.g. `authorization`. */
  header: string;
  /** The option's value. */
  credential: Credential;
  /** Option name, for error messages. */
  field: string;
  /** Turns the resolved value into the header value, e.g. `Bearer …`. */
  format?: ((value: string) => string) | undefined;
}

/** `Authorization: Bearer <credential>`. */
export function bearer(credential: Credential, field: string): CredentialHeader {
  return { header: 'authorization', credential, field, format: (value) => `Bearer ${value}` };
}

/** Resolves a credential for one request and checks what a function returned. */
export async function resolveCredential(credential: Credential, field: string): Promise<string> {
  let value: unknown;
  try {
    value = typeof credential === 'function' ? await credential() : credential;
  } catch (cause) {
    throw new PhoneBindingError({
      code: 'unauthenticated',
      message: `The ${field} function threw; no request was sent.`,
      cause,
    });
  }
  if (typeof value !== 'string' || value.length === 0 || !headerSafe(value)) {
    throw invalidInput(
      `${field} must resolve to a non-empty string a header can carry (no control characters).`,
    );
  }
  return value;
}
