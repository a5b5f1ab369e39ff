/**
 * Clerk Backend API: bind → verify → get → remove with `clerk()`, on any user, with the instance
 * secret key. Holds a server credential: server-side only.
 *
 *   npx tsx examples/clerk.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `CLERK_SECRET_KEY` set it runs against that Clerk instance instead and asks for the SMS
 * code on stdin: `CLERK_SECRET_KEY`, `CLERK_USER_ID` (`user_…`), optional `CLERK_BASE_URL`
 * (default `https://api.clerk.com`), and `DEMO_PHONE_NUMBER`.
 */
import { pathToFileURL } from 'node:url';
import { clerk } from '../adapters/clerk/index.js';
import { main, type RunOptions, type RunResult, required, runExample } from './shared.js';

export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(
    options,
    {
      title: 'Clerk (Backend API)',
      realWhen: 'CLERK_SECRET_KEY',
      real: (env) => ({
        binding: clerk({
          secretKey: required(env, 'CLERK_SECRET_KEY'),
          ...(env.CLERK_BASE_URL ? { baseUrl: env.CLERK_BASE_URL } : {}),
        }),
        userId: required(env, 'CLERK_USER_ID'),
      }),
      fake: (fakes, server) => ({
        binding: clerk({ baseUrl: server.urls.clerk, secretKey: fakes.clerk.secretKey }),
        userId: fakes.clerk.createUser().userId,
      }),
    },
    async ({ binding, userId, phoneNumber, codeFor, show }) => {
      // A Clerk user can hold several numbers: bind adds one; remove deletes the primary (or the
      // one named by `phoneNumber`).
      const pending = await binding.bind({ userId, phoneNumber });
      show('bind', pending);
      if (pending.state === 'pending') {
        show('verify', await binding.verify({ ticket: pending.ticket, code: await codeFor(pending) }));
      }
      show('get', await binding.get({ userId }));
      show('remove', await binding.remove({ userId }));
      show('get', await binding.get({ userId }));
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
