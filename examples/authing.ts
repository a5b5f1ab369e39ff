/**
 * Authing / GenAuth: bind → verify → get → remove with the `authing` adapter, acting on the
 * signed-in user (the access token names the user; no `userId`). Removal takes two steps:
 * `remove()` sends a code to the current number, `remove({ ticket, code })` finishes it.
 *
 *   npx tsx examples/authing.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=authing` it runs against a real Authing app instead and asks for the
 * SMS codes on stdin: `AUTHING_BASE_URL` (the app host), `AUTHING_APP_ID`, `AUTHING_ACCESS_TOKEN`
 * (the user's), optional `AUTHING_USER_POOL_ID`, `AUTHING_BRAND=genauth`,
 * `AUTHING_AUTHORIZATION=bearer`, `AUTHING_LANG`, and `DEMO_PHONE_NUMBER` (the variables of every
 * example: see `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `authing` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'Authing / GenAuth', provider: 'authing' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
