import { expect, vi } from 'vitest';

/**
 * Runs a promise to completion under fake timers (ky's retry backoff), without real sleeping:
 * at most `steps` advances of 25 ms, and the test fails if it has not settled by then.
 */
export async function settle<T>(promise: Promise<T>, steps = 200): Promise<{ value?: T; error?: unknown }> {
  let done = false;
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.then(() => {
    done = true;
  });
  for (let i = 0; i < steps && !done; i += 1) {
    await vi.advanceTimersByTimeAsync(25);
    // Real I/O (msw's response streams) runs on setImmediate, which stays real.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(done).toBe(true);
  return outcome;
}
