/**
 * Authing / GenAuth: bind → verify → get → remove with `authing()`, acting on the signed-in user
 * (the access token names the user; no `userId`). Removal takes two steps: `remove()` sends a code
 * to the current number, `remove({ ticket, code })` finishes it.
 *
 *   npx tsx examples/authing.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `AUTHING_BASE_URL` set it runs against that Authing app instead and asks for the SMS codes
 * on stdin: `AUTHING_BASE_URL` (the app host), `AUTHING_APP_ID`, `AUTHING_ACCESS_TOKEN` (the
 * user's), optional `AUTHING_USER_POOL_ID`, `AUTHING_BRAND=genauth`, `AUTHING_AUTHORIZATION=bearer`,
 * and `DEMO_PHONE_NUMBER`.
 */
import { pathToFileURL } from 'node:url';
import { authing } from '../adapters/authing/index.js';
import { main, type RunOptions, type RunResult, required, runExample } from './shared.js';

export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(
    options,
    {
      title: 'Authing / GenAuth',
      realWhen: 'AUTHING_BASE_URL',
      real: (env) => ({
        binding: authing({
          baseUrl: required(env, 'AUTHING_BASE_URL'),
          appId: required(env, 'AUTHING_APP_ID'),
          accessToken: required(env, 'AUTHING_ACCESS_TOKEN'),
          ...(env.AUTHING_USER_POOL_ID ? { userPoolId: env.AUTHING_USER_POOL_ID } : {}),
          ...(env.AUTHING_BRAND === 'genauth' ? { brand: 'genauth' as const } : {}),
          ...(env.AUTHING_AUTHORIZATION === 'bearer' ? { authorization: 'bearer' as const } : {}),
        }),
      }),
      fake: (fakes, server) => {
        const { userId, token } = fakes.authing.createUser();
        return {
          binding: authing({ baseUrl: server.urls.authing, appId: fakes.authing.appId, accessToken: token }),
          userId,
        };
      },
    },
    async ({ binding, phoneNumber, codeFor, show }) => {
      const pending = await binding.bind({ phoneNumber });
      show('bind', pending);
      if (pending.state === 'pending') {
        show('verify', await binding.verify({ ticket: pending.ticket, code: await codeFor(pending) }));
      }
      show('get', await binding.get({}));
      const removal = await binding.remove({});
      show('remove', removal);
      if (removal.state === 'pending') {
        const code = await codeFor(removal);
        show('remove', await binding.remove({ ticket: removal.ticket, code }));
      }
      show('get', await binding.get({}));
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
