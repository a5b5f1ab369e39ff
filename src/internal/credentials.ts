import { PhoneBindingError } from '../errors.js';
import type { Credential } from '../types.js';
import { headerSafe, invalidInput } from './input.js';

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

/**
 * A credential option's value for one request: the value itself, or what its function answers
 * (asked every time, so it can rotate). A throwing function is `unauthenticated`.
 */
export async function askCredential<T>(option: T | (() => T | Promise<T>), field: string): Promise<unknown> {
  try {
    return typeof option === 'function' ? await (option as () => T | Promise<T>)() : option;
  } catch (cause) {
    throw new PhoneBindingError({
      code: 'unauthenticated',
      message: `The ${field} function threw; no request was sent.`,
      cause,
    });
  }
}

/** Resolves a credential for one request and checks what a function returned. */
export async function resolveCredential(credential: Credential, field: string): Promise<string> {
  return checkCredential(await askCredential(credential, field), field);
}

/**
 * {@link resolveCredential} without its two promises where nothing needs waiting for: a string
 * credential is checked and answered at once, only a function's answer is awaited.
 */
export function credentialValue(credential: Credential, field: string): string | Promise<string> {
  return typeof credential === 'function'
    ? resolveCredential(credential, field)
    : checkCredential(credential, field);
}

function checkCredential(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || !headerSafe(value)) {
    throw invalidInput(
      `${field} must resolve to a non-empty string a header can carry (no control characters).`,
    );
  }
  return value;
}
