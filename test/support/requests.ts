import { expect } from 'vitest';
import type { PhoneBindingError } from '../../src/index.js';
import type { Captured } from './recorder.js';
import { rejection } from './rejection.js';

/**
 * An `expectRequests(...expected)` for a recorder's requests: the test sent exactly these requests,
 * in order, and `check(captured, ...args)` passes for each (`check` is the backend's `expectRequest`).
 */
export function expectRequestsOf<A extends unknown[]>(
  requests: readonly Captured[],
  check: (captured: Captured | undefined, ...args: A) => void,
): (...expected: A[]) => void {
  return (...expected) => {
    expect(requests).toHaveLength(expected.length);
    for (const [i, args] of expected.entries()) check(requests[i], ...args);
  };
}

/**
 * An `expectRefused(call, expected)` for a recorder's requests: `call` fails with a PhoneBindingError
 * matching `expected` (its code, or some of its fields) and sends no request; returns the error.
 */
export function expectRefusedOf(
  requests: readonly Captured[],
): (call: Promise<unknown>, expected: string | Record<string, unknown>) => Promise<PhoneBindingError> {
  return async (call, expected) => {
    const error = await rejection(call);
    expect(error).toMatchObject(typeof expected === 'string' ? { code: expected } : expected);
    expect(requests).toHaveLength(0);
    return error;
  };
}
