/**
 * Supabase Auth: bind → verify → get → remove with the `supabase` adapter (user scope), on the
 * signed-in user's own number, with the project's publishable key and the user's access token. It
 * holds no server secret, so the same code runs in a browser. Removal unlinks the phone identity
 * and needs "Allow manual linking" on the project.
 *
 *   npx tsx examples/supabase.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=supabase` it runs against a real project instead and asks for the
 * SMS code on stdin: `SUPABASE_BASE_URL` (the project URL), `SUPABASE_API_KEY` (publishable key),
 * `SUPABASE_ACCESS_TOKEN` (the user's), `DEMO_PHONE_NUMBER` (the variables of every example: see
 * `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `supabase` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'Supabase Auth (user scope)', provider: 'supabase' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
