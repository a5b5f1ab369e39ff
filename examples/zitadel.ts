/**
 * Zitadel user service v2 (admin): bind → verify → get → remove with the `zitadel` adapter, on any
 * user, with a service user's token. Holds a server credential: server-side only.
 *
 *   npx tsx examples/zitadel.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=zitadel` it runs against a real instance instead and asks for the
 * SMS code on stdin: `ZITADEL_BASE_URL`, `ZITADEL_TOKEN` (with `user.write`), `ZITADEL_USER_ID`,
 * optional `ZITADEL_DELIVERY=return-code` (Zitadel hands the code back instead of sending an SMS),
 * and `DEMO_PHONE_NUMBER` (the variables of every example: see `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `zitadel` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'Zitadel (user service v2)', provider: 'zitadel' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
