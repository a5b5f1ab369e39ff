import type { FakeContext, FakeRequest } from '../context.js';

/**
 * One fake backend: a folder under `backends/` exporting one of these, listed in
 * `backends/index.ts`. It is mounted at `/<id>` below the fakes' origin.
 */
export interface FakeBackend<Api> {
  /** Mount point and name, e.g. `zitadel` → `https://fake.phone-binding.test/zitadel`. */
  id: string;
  /** Creates the backend's state; `api` is what tests use to set it up and inspect it. */
  create(ctx: FakeContext): { api: Api; handle(request: FakeRequest): Response | Promise<Response> };
}
