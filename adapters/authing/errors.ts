import { type ErrorRow, errorTable, type MappedError } from '../../src/kit/index.js';
import type { Operation } from '../../src/types.js';
import { envelopeSchema, SMS_INTERVAL_MS } from './wire.js';

/**
 * Body `statusCode` classes whose reading differs from the core's HTTP defaults. Only the body's
 * own class: a real 408/409 without Authing's envelope keeps the core's reading.
 */
const BODY_CLASS: Record<number, ErrorRow> = {
  409: 'phone_in_use',
  // Not a timeout of ours: a failure Authing reports.
  408: 'provider_error',
};

/**
 * Authing's error table: the envelope's `apiCode` decides (wire reference, "Known codes"), else
 * its `statusCode` class, which also decides retryability. Every other class (400, 422, 499,
 * 5xx, 60x…) is `provider_error` with the apiCode: the v3 list is incomplete, and a guess could
 * turn a backend fault into a blame on the caller's input.
 */
/** Authing's error table. */
export const mapAuthingError = errorTable({
  title: 'Authing',
  read({ body }) {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success) return {};
    const { statusCode, apiCode, requestId } = parsed.data;
    // No `reason`: Authing's message is localized (`lang`), so key on codes, never on its text
    // (it stays in `details`).
    if (statusCode === 200) return { requestId };
    return {
      providerCode: apiCode === undefined ? undefined : String(apiCode),
      requestId,
      status: statusCode,
    };
  },
  byCode: {
    2001: 'invalid_code',
    2300: 'code_expired',
    2035: 'phone_in_use',
    1320004: 'phone_in_use',
    2020: {
      code: 'unauthenticated',
      message: 'The user is not logged in (access token missing or invalid).',
    },
    2206: { code: 'unauthenticated', message: 'The login has expired.' },
    2207: { code: 'unauthenticated', message: 'The login is invalid.' },
  },
  decide: ({ status }) => (status === undefined ? undefined : BODY_CLASS[status]),
  byStatus: {
    429: {
      code: 'rate_limited',
      message: 'Throttled: one SMS per minute per number; wait before asking again.',
    },
  },
  // Authing's documented one SMS per minute is the wait when no Retry-After says otherwise.
  rateLimitWaitMs: SMS_INTERVAL_MS,
});

/** HTTP 200 with `statusCode != 200` is how Authing reports every failure. */
export function authingBodyError(body: unknown, operation: Operation): MappedError | undefined {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success || parsed.data.statusCode === 200) return undefined;
  return mapAuthingError({ body, operation });
}
