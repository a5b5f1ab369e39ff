import { isPhoneBindingError, PhoneBindingError } from '../errors.js';
import type { Operation, ProviderId } from '../types.js';
import type { Redactor } from './redact.js';

/**
 * The error finaliser: every failure of an operation leaves through here. It stamps provider and
 * operation, turns anything foreign into a typed error, and makes one last masking pass over all
 * the caller, a log or a hook will see — whichever code built the error: the HTTP layer, an
 * adapter, or the backend's own words in `providerCode`.
 */
export function finalizeError(
  error: unknown,
  provider: ProviderId,
  operation: Operation,
  redactor: Redactor,
): PhoneBindingError {
  const out = isPhoneBindingError(error)
    ? error
    : new PhoneBindingError({
        code: 'provider_error',
        message: `Unexpected failure: ${redactor.text(error instanceof Error ? error.message : String(error))}`,
        cause: error,
      });
  const writable = out as {
    provider?: ProviderId;
    operation?: Operation;
    message: string;
    stack?: string;
    providerCode?: string;
    requestId?: string;
    details?: unknown;
  };
  writable.provider ??= provider;
  writable.operation ??= operation;
  const message = redactor.text(out.message);
  if (message !== out.message) {
    if (out.stack) writable.stack = out.stack.split(out.message).join(message);
    writable.message = message;
  }
  if (out.providerCode !== undefined) writable.providerCode = redactor.text(out.providerCode);
  if (out.requestId !== undefined) writable.requestId = redactor.text(out.requestId);
  if (out.details !== undefined) writable.details = redactor.deep(out.details);
  return out;
}
