/**
 * The fake backends as msw request handlers: the one part of the test kit that needs `msw` (an
 * optional peer dependency). Everything else is in `phone-binding/testing`, which works without it.
 * @packageDocumentation
 * @module phone-binding/testing/msw
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import {
  createFakeBackends as createPlainFakeBackends,
  type FakeBackends,
  type FakeBackendsOptions,
} from './index.js';

export * from './index.js';

/**
 * msw request handlers that serve `fakes` at its origin (a fault that asks for a network error
 * becomes msw's network error).
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createFakeBackends } from 'phone-binding/testing';
 * import { fakeHandlers } from 'phone-binding/testing/msw';
 *
 * const fakes = createFakeBackends();
 * setupServer(...fakeHandlers(fakes)).listen();
 * ```
 */
export function fakeHandlers(fakes: Pick<FakeBackends, 'origin' | 'handle'>): HttpHandler[] {
  return [
    http.all(`${fakes.origin}/*`, async ({ request }) => {
      try {
        return await fakes.handle(request);
      } catch {
        return HttpResponse.error();
      }
    }),
  ];
}

/**
 * Fake backends that also carry their msw handlers.
 *
 * @example
 * ```ts
 * import { type FakeBackendsWithHandlers, createFakeBackends } from 'phone-binding/testing/msw';
 *
 * const fakes: FakeBackendsWithHandlers = createFakeBackends();
 * fakes.handlers.length; // 1: every backend at fakes.origin
 * ```
 */
export type FakeBackendsWithHandlers = FakeBackends & {
  /** msw request handlers serving every backend at `origin`. */
  readonly handlers: HttpHandler[];
};

/**
 * `createFakeBackends` of `phone-binding/testing`, with the msw handlers as `handlers`.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createFakeBackends } from 'phone-binding/testing/msw';
 * import { zitadel } from 'phone-binding/zitadel';
 *
 * const fakes = createFakeBackends();
 * setupServer(...fakes.handlers).listen();
 * const { userId } = fakes.zitadel.createUser();
 * const binding = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken });
 * await binding.bind({ userId, phoneNumber: '+41 79 123 45 67' });
 * ```
 */
export function createFakeBackends(options?: FakeBackendsOptions): FakeBackendsWithHandlers {
  const fakes = createPlainFakeBackends(options);
  return { ...fakes, handlers: fakeHandlers(fakes) };
}
