/**
 * Zitadel auth API v1 (self-service): bind → verify → get → remove with the `zitadelSelf` adapter,
 * on the token's own user (no `userId`). It holds only the user's token, so the same code runs in
 * a browser.
 *
 *   npx tsx examples/zitadel-self.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=zitadel-self` it runs against a real instance instead and asks for
 * the SMS code on stdin: `ZITADEL_BASE_URL`, `ZITADEL_TOKEN` (the user's OAuth access token),
 * `DEMO_PHONE_NUMBER` (the variables of every example: see `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `zitadel-self` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'Zitadel (auth API v1, self-service)', provider: 'zitadel-self' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
