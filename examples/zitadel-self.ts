/**
 * Zitadel auth API v1 (self-service): bind → verify → get → remove with `zitadelSelf()`, on the
 * token's own user (no `userId`). It holds only the user's token, so the same code runs in a browser.
 *
 *   npx tsx examples/zitadel-self.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `ZITADEL_BASE_URL` set it runs against that instance instead and asks for the SMS code on
 * stdin: `ZITADEL_BASE_URL`, `ZITADEL_TOKEN` (the user's OAuth access token), `DEMO_PHONE_NUMBER`.
 */
import { pathToFileURL } from 'node:url';
import { zitadelSelf } from '../adapters/zitadel/index.js';
import { main, type RunOptions, type RunResult, required, runExample } from './shared.js';

export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(
    options,
    {
      title: 'Zitadel (auth API v1, self-service)',
      realWhen: 'ZITADEL_BASE_URL',
      real: (env) => ({
        binding: zitadelSelf({
          baseUrl: required(env, 'ZITADEL_BASE_URL'),
          token: required(env, 'ZITADEL_TOKEN'),
        }),
      }),
      fake: (fakes, server) => {
        const { userId, token } = fakes.zitadel.createUser();
        return { binding: zitadelSelf({ baseUrl: server.urls.zitadel, token }), userId };
      },
    },
    async ({ binding, phoneNumber, codeFor, show }) => {
      const pending = await binding.bind({ phoneNumber });
      show('bind', pending);
      if (pending.state === 'pending') {
        show('verify', await binding.verify({ ticket: pending.ticket, code: await codeFor(pending) }));
      }
      show('get', await binding.get({}));
      show('remove', await binding.remove({}));
      show('get', await binding.get({}));
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);
