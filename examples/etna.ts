/**
 * ETNA Trader: bind → verify → get → remove with `etna()`.
 *
 *   npx tsx examples/etna.ts     # against the built-in fake backends on 127.0.0.1
 *
 * With `ETNA_BASE_URL` set it runs against that ETNA Trader API instead and asks for the SMS code
 * on stdin: `ETNA_BASE_URL` (the API root, e.g. `https://pub-api-et-demo-prod.etnasoft.us/api`),
 * `ETNA_TOKEN`, `ETNA_APP_KEY`, `ETNA_USER_ID` (numeric), optional `ETNA_API_VERSION`, and
 * `DEMO_PHONE_NUMBER`.
 */
import { pathToFileURL } from 'node:url';
import { etna } from '../adapters/etna/index.js';
import { main, type RunOptions, type RunResult, required, runExample } from './shared.js';

export function run(options: RunOptions = {}): Promise<RunResult> {
  return runExample(
    options,
    {
      title: 'ETNA Trader',
      realWhen: 'ETNA_BASE_URL',
      real: (env) => ({
        binding: etna({
          baseUrl: required(env, 'ETNA_BASE_URL'),
          token: required(env, 'ETNA_TOKEN'),
          appKey: required(env, 'ETNA_APP_KEY'),
          ...(env.ETNA_API_VERSION ? { apiVersion: env.ETNA_API_VERSION } : {}),
        }),
        userId: required(env, 'ETNA_USER_ID'),
      }),
      fake: (fakes, server) => ({
        binding: etna({ baseUrl: server.urls.etna, token: fakes.etna.adminToken, appKey: fakes.etna.appKey }),
        userId: fakes.etna.createUser().userId,
      }),
    },
    async ({ binding, userId, phoneNumber, codeFor, show }) => {
      // ETNA's paths need the numeric user id (scope 'admin'), on every call.
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
