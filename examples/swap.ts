/**
 * The swap the SDK exists for: one bind → verify flow, the backend chosen by configuration alone.
 *
 *   PHONE_BINDING_PROVIDER=zitadel-self ZITADEL_BASE_URL=https://my.zitadel.cloud \
 *   ZITADEL_TOKEN=… PHONE_NUMBER='+41 79 123 45 67' npm run example:swap
 *
 * The variables are those of every example (`examples/shared.ts`): `PHONE_BINDING_PROVIDER`
 * picks the backend, `<PREFIX>_<OPTION>` hold its options (`ETNA_APP_KEY` → `appKey`,
 * `CLERK_SECRET_KEY` → `secretKey`, `ZITADEL_TIMEOUT` → `timeout`, …), `<PREFIX>_USER_ID` names
 * the user for admin-scope backends. The code is read from stdin. Nothing below names a backend.
 */
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { configFromEnv, createPhoneBinding } from '../adapters/all/index.js';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PendingVerification,
} from '../src/index.js';
import { envPrefix, selectedProvider } from './shared.js';

export { configFromEnv };

/** The user the environment names for admin-scope backends (`<PREFIX>_USER_ID`). */
export function userIdFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const provider = selectedProvider(env);
  return provider === undefined ? undefined : env[`${envPrefix(provider)}_USER_ID`];
}

/** Binds a number and finishes the verification with the code `readCode` supplies. */
export async function bindAndVerify(
  env: NodeJS.ProcessEnv,
  phoneNumber: string,
  readCode: (pending: PendingVerification) => Promise<string>,
): Promise<BoundPhone> {
  const phones = createPhoneBinding(configFromEnv(env));
  const userId = userIdFromEnv(env);
  const user = phones.capabilities.scope === 'admin' ? { userId } : {};
  const result = await phones.bind({ ...user, phoneNumber });
  if (result.state !== 'pending') return result;
  return phones.verify({ ticket: result.ticket, code: await readCode(result) });
}

async function main(): Promise<void> {
  const phoneNumber = process.env.PHONE_NUMBER ?? '';
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const bound = await bindAndVerify(process.env, phoneNumber, (pending) =>
      rl.question(`Code sent to ${maskPhoneNumber(pending.phone.e164)}: `),
    );
    console.log(`${maskPhoneNumber(bound.phone.e164)} is ${bound.state} on ${bound.provider}.`);
  } finally {
    rl.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error));
    process.exitCode = 1;
  });
}
