/**
 * Zitadel user service v2 (admin): bind → verify → get → remove with `zitadel()`, on any user, with
 * a service user's token. Holds a server credential: server-side only.
 *
 *   npx tsx examples/zitadel.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `ZITADEL_BASE_URL` set it runs against that instance instead and asks for the SMS code on
 * stdin: `ZITADEL_BASE_URL`, `ZITADEL_TOKEN` (with `user.write`), `ZITADEL_USER_ID`, optional
 * `ZITADEL_DELIVERY=return-code` (Zitadel hands the code back instead of sending an SMS), and
 * `DEMO_PHONE_NUMBER`.
 */
import { pathToFileURL } from 'node:url';
import { zitadel } from '../adapters/zitadel/index.js';
import { main, type RunOptions, type RunResult, required, runExample } from './shared.js';

export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(
    options,
    {
      title: 'Zitadel (user service v2)',
      realWhen: 'ZITADEL_BASE_URL',
      real: (env) => ({
        binding: zitadel({
          baseUrl: required(env, 'ZITADEL_BASE_URL'),
          token: required(env, 'ZITADEL_TOKEN'),
          delivery: env.ZITADEL_DELIVERY === 'return-code' ? 'return-code' : 'sms',
        }),
        userId: required(env, 'ZITADEL_USER_ID'),
      }),
      fake: (fakes, server) => ({
        binding: zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken }),
        userId: fakes.zitadel.createUser().userId,
      }),
    },
    async ({ binding, userId, phoneNumber, codeFor, show }) => {
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
