import { afterEach, beforeEach, expect, vi } from 'vitest';
import { PhoneBindingError } from '../../src/index.js';
import type { Captured } from './recorder.js';
import { settle } from './settle.js';

/**
 * Fakes setTimeout and clearTimeout (ky's retry backoff) in every test of the describe it is called
 * in, and restores the real timers afterwards; run the adapter's promises with `settle`.
 */
export function useFakeRetryTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/**
 * Settles `call` under the fake retry timers and asserts that it failed with a PhoneBindingError
 * matching `expected` after exactly `sent` requests.
 */
export async function expectGaveUp(
  requests: readonly Captured[],
  call: Promise<unknown>,
  sent: number,
  expected: Record<string, unknown>,
): Promise<void> {
  const { error } = await settle(call);
  expect(requests).toHaveLength(sent);
  expect(error).toBeInstanceOf(PhoneBindingError);
  expect(error).toMatchObject(expected);
}

/** Runs `body` with setTimeout and clearTimeout faked (ky's retry backoff), then restores the real timers. */
export async function withFakeRetryTimers(body: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    await body();
  } finally {
    vi.useRealTimers();
  }
}
