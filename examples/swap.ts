/**
 * The swap the SDK exists for: one bind → verify flow, the backend chosen by configuration alone.
 *
 *   PHONE_BINDING_PROVIDER=zitadel-self PHONE_BINDING_BASE_URL=https://my.zitadel.cloud \
 *   PHONE_BINDING_TOKEN=… PHONE_NUMBER='+41 79 123 45 67' npm run example:swap
 *
 * Every other `PHONE_BINDING_<OPTION>` variable becomes that adapter option (`PHONE_BINDING_APP_KEY`
 * → `appKey`, `PHONE_BINDING_SECRET_KEY` → `secretKey`, …); `PHONE_BINDING_USER_ID` names the user
 * for admin-scope backends. The code is read from stdin. Nothing below names a backend.
 */
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { createPhoneBinding, type PhoneBindingConfig } from '../adapters/all/index.js';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PendingVerification,
} from '../src/index.js';

const NUMERIC = new Set(['timeout', 'retry']);
const NOT_OPTIONS = new Set(['PROVIDER', 'USER_ID']);

/** Reads `PHONE_BINDING_*` variables into a config object for {@link createPhoneBinding}. */
export function configFromEnv(env: NodeJS.ProcessEnv): PhoneBindingConfig {
  const config: Record<string, unknown> = { provider: env.PHONE_BINDING_PROVIDER };
  for (const [name, value] of Object.entries(env)) {
    const match = /^PHONE_BINDING_([A-Z0-9_]+)$/.exec(name);
    if (!match || value === undefined || NOT_OPTIONS.has(match[1]!)) continue;
    const key = match[1]!.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    config[key] = NUMERIC.has(key) ? Number(value) : value;
  }
  return config as unknown as PhoneBindingConfig;
}

/** Binds a number and finishes the verification with the code `readCode` supplies. */
export async function bindAndVerify(
  env: NodeJS.ProcessEnv,
  phoneNumber: string,
  readCode: (pending: PendingVerification) => Promise<string>,
): Promise<BoundPhone> {
  const phones = createPhoneBinding(configFromEnv(env));
  const userId = env.PHONE_BINDING_USER_ID;
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
