import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../../src/testing/index.js';

/** Fake backends and the loopback server in front of them. */
export interface Loopback {
  fakes: FakeBackends;
  server: FakeServer;
}

/**
 * Serves fake backends over real HTTP on 127.0.0.1 for the tests of a file (or of the describe it
 * is called in): one set for all of them, or with `perTest` a fresh set and server for each test.
 * `started` receives them before the file's own hooks run; the server is closed after the tests.
 */
export function useFakeServer(started: (loopback: Loopback) => void, { perTest = false } = {}): void {
  let server: FakeServer | undefined;
  const start = async () => {
    const fakes = createFakeBackends();
    server = await fakes.listen();
    started({ fakes, server });
  };
  const stop = () => server?.close();
  if (perTest) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
}
