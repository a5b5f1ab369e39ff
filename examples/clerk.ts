/**
 * Clerk Backend API: bind → verify → get → remove with the `clerk` adapter, on any user, with the
 * instance secret key. Holds a server credential: server-side only. A Clerk user can hold several
 * numbers: bind adds one; remove deletes the primary (or the one named by `phoneNumber`).
 *
 *   npx tsx examples/clerk.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `PHONE_BINDING_PROVIDER=clerk` it runs against a real Clerk instance instead and asks for the
 * SMS code on stdin: `CLERK_SECRET_KEY`, `CLERK_USER_ID` (`user_…`), optional `CLERK_BASE_URL`
 * (default `https://api.clerk.com`), and `DEMO_PHONE_NUMBER` (the variables of every example: see
 * `shared.ts`).
 */
import { pathToFileURL } from 'node:url';
import { main, type RunOptions, type RunResult, runExample } from './shared.js';

/** Runs the walk-through (`walkThrough` in shared.ts) with the `clerk` adapter. */
export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(options, { title: 'Clerk (Backend API)', provider: 'clerk' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
