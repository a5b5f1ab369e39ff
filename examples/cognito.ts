/**
 * Amazon Cognito user pools: bind → verify → get → remove with the `cognito` adapter (user scope):
 * the signed-in user's own access token, unsigned calls — it runs in browsers as it is.
 * (`cognitoAdmin` binds only as verified, with IAM credentials; see the README.)
 *
 *   npx tsx examples/cognito.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=cognito` it runs against a real user pool instead and asks for the
 * SMS code on stdin (the variables of every example: see `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `cognito` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'Amazon Cognito (user scope)', provider: 'cognito' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
