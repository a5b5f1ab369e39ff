/**
 * ETNA Trader: bind → verify → get → remove with the `etna` adapter.
 *
 *   npx tsx examples/etna.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=etna` it runs against a real ETNA Trader API instead and asks for the
 * SMS code on stdin: `ETNA_BASE_URL` (the API root, e.g. `https://pub-api-et-demo-prod.etnasoft.us/api`),
 * `ETNA_TOKEN`, `ETNA_APP_KEY`, `ETNA_USER_ID` (numeric), optional `ETNA_API_VERSION`, and
 * `DEMO_PHONE_NUMBER` (the variables of every example: see `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `etna` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'ETNA Trader', provider: 'etna' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
