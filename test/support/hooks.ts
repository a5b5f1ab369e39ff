import { expect, vi } from 'vitest';
import type { ErrorEvent, Operation, ProviderId, RequestEvent, ResponseEvent } from '../../src/index.js';
import { expectNoLeakOf } from './recorder.js';

/** An error hook that records the events it gets. */
export function errorHook() {
  return vi.fn((_event: ErrorEvent) => {});
}

/** Hooks whose error hook throws. */
export const THROWING_ERROR_HOOK = {
  error: () => {
    throw new Error('observer broke');
  },
};

/** Asserts that `hook` got exactly one event, the error event for `error`, and returns it. */
export function expectOneErrorEvent(
  hook: ReturnType<typeof errorHook>,
  expected: { provider: ProviderId; operation: Operation; error: unknown },
): ErrorEvent {
  expect(hook).toHaveBeenCalledTimes(1);
  const event = hook.mock.calls[0]![0];
  expect(event).toEqual({ type: 'error', ...expected });
  return event;
}

/** Any event the hooks get. */
export type HookEvent = RequestEvent | ResponseEvent | ErrorEvent;

/** Hooks that record every event in order (the error hook is also a spy). */
export function recordHooks() {
  const events: HookEvent[] = [];
  const hooks = {
    request: (event: RequestEvent) => events.push(event),
    response: (event: ResponseEvent) => events.push(event),
    error: vi.fn((event: ErrorEvent) => {
      events.push(event);
    }),
  };
  return { events, hooks };
}

/**
 * An `expectEventsClean(events, extra?)` for one backend: no event shows any of `secrets` (or of
 * `extra`), and no request or response URL does, not even percent-decoded.
 */
export function expectEventsCleanOf(
  secrets: readonly string[],
): (events: readonly HookEvent[], extra?: readonly string[]) => void {
  const expectNoLeak = expectNoLeakOf(secrets);
  return (events, extra = []) => {
    for (const event of events) {
      expectNoLeak(event, extra);
      if (event.type !== 'error') {
        const decoded = decodeURIComponent(event.url);
        for (const secret of [...secrets, ...extra]) expect(decoded).not.toContain(secret);
      }
    }
  };
}

/** The request and response events as `type:attempt`, to check how retried attempts are numbered. */
export function attemptsOf(events: readonly HookEvent[]): string[] {
  return events.map((event) => `${event.type}:${'attempt' in event ? event.attempt : ''}`);
}
