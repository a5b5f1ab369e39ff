/**
 * Shared set-up of the reliability proofs: every adapter wired to the fake backends (as in
 * test/conformance), the values a test may hold up to the SDK, and small helpers.
 */
import { authing } from '../../adapters/authing/index.js';
import { clerk } from '../../adapters/clerk/index.js';
import { etna } from '../../adapters/etna/index.js';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import {
  type BoundPhone,
  type Credential,
  type Hooks,
  isPhoneBindingError,
  type PendingVerification,
  type PhoneBinding,
  type PhoneBindingError,
  type ProviderId,
} from '../../src/index.js';
import { createFakeBackends, type FakeBackends } from '../../src/testing/index.js';

/** Seed of every property: a failure replays with the same inputs. */
export const SEED = 20261121;

/** The number the redaction scenarios bind, and every spelling it may take. */
export const PHONE = '+41791234567';
export const PHONE_FORMS = ['+41791234567', '41791234567', '791234567', '79 123 45 67'] as const;

/** What an adapter under test needs. */
export interface Env {
  binding: PhoneBinding;
  /** The user (admin-scope adapters only). */
  userId?: string;
  /** Credentials the adapter sends (must never show). */
  secrets: string[];
  /** The same adapter with a credential the backend refuses, and that credential. */
  bad: () => PhoneBinding;
  badSecret: string;
}

/** Extra adapter options a test adds. */
export interface Extra {
  hooks?: Hooks;
  /** Replaces the adapter's main credential (token, access token or secret key). */
  credential?: Credential;
  ticketSecret?: string;
  timeout?: number;
}

/** One adapter, wired to the fakes. */
export interface Target {
  name: string;
  provider: ProviderId;
  /** The adapter's longest accepted code (codeMaxLength). */
  codeMaxLength: number;
  setup(fakes: FakeBackends, extra?: Extra): Env;
}

/** The extra options, with `credential` moved to the adapter's own credential option. */
function withCredential(name: string, extra: Extra): Record<string, unknown> {
  const { credential, ...rest } = extra;
  return credential === undefined ? rest : { ...rest, [name]: credential };
}

// `retry: 0`: reads and deletes would otherwise be retried with real back-off waits.
export const TARGETS: Target[] = [
  {
    name: 'etna',
    provider: 'etna',
    codeMaxLength: 64,
    setup(fakes, extra = {}) {
      const { userId } = fakes.etna.createUser();
      const options = {
        baseUrl: fakes.urls.etna,
        token: fakes.etna.adminToken,
        appKey: fakes.etna.appKey,
        retry: 0,
        ...withCredential('token', extra),
      };
      const badSecret = 'etna-revoked-token-Xq81';
      return {
        binding: etna(options),
        userId,
        secrets: [fakes.etna.adminToken, fakes.etna.appKey],
        bad: () => etna({ ...options, token: badSecret }),
        badSecret,
      };
    },
  },
  {
    name: 'authing',
    provider: 'authing',
    codeMaxLength: 64,
    setup(fakes, extra = {}) {
      const { token } = fakes.authing.createUser();
      const options = {
        baseUrl: fakes.urls.authing,
        accessToken: token,
        appId: fakes.authing.appId,
        retry: 0,
        ...withCredential('accessToken', extra),
      };
      const badSecret = 'authing-expired-token-Kp27';
      return {
        binding: authing(options),
        secrets: [token],
        bad: () => authing({ ...options, accessToken: badSecret }),
        badSecret,
      };
    },
  },
  {
    name: 'zitadel',
    provider: 'zitadel',
    codeMaxLength: 20,
    setup(fakes, extra = {}) {
      const { userId } = fakes.zitadel.createUser();
      const options = {
        baseUrl: fakes.urls.zitadel,
        token: fakes.zitadel.adminToken,
        retry: 0,
        ...withCredential('token', extra),
      };
      const badSecret = 'zitadel-revoked-pat-Zm93';
      return {
        binding: zitadel(options),
        userId,
        secrets: [fakes.zitadel.adminToken],
        bad: () => zitadel({ ...options, token: badSecret }),
        badSecret,
      };
    },
  },
  {
    name: 'zitadelSelf',
    provider: 'zitadel-self',
    codeMaxLength: 200,
    setup(fakes, extra = {}) {
      const { token } = fakes.zitadel.createUser();
      const options = { baseUrl: fakes.urls.zitadel, token, retry: 0, ...withCredential('token', extra) };
      const badSecret = 'zitadel-expired-access-token-Wd55';
      return {
        binding: zitadelSelf(options),
        secrets: [token],
        bad: () => zitadelSelf({ ...options, token: badSecret }),
        badSecret,
      };
    },
  },
  {
    name: 'clerk',
    provider: 'clerk',
    codeMaxLength: 64,
    setup(fakes, extra = {}) {
      const { userId } = fakes.clerk.createUser();
      const options = {
        baseUrl: fakes.urls.clerk,
        secretKey: fakes.clerk.secretKey,
        retry: 0,
        ...withCredential('secretKey', extra),
      };
      const badSecret = 'sk_test_revoked_Hv04';
      return {
        binding: clerk(options),
        userId,
        secrets: [fakes.clerk.secretKey],
        bad: () => clerk({ ...options, secretKey: badSecret }),
        badSecret,
      };
    },
  },
];

/** Zitadel handing the code back (`delivery: 'return-code'`): the code then crosses the SDK. */
export const ZITADEL_RETURN_CODE: Target = {
  name: 'zitadel (return-code)',
  provider: 'zitadel',
  codeMaxLength: 20,
  setup(fakes, extra = {}) {
    const { userId } = fakes.zitadel.createUser();
    const options = {
      baseUrl: fakes.urls.zitadel,
      token: fakes.zitadel.adminToken,
      delivery: 'return-code' as const,
      retry: 0,
      ...withCredential('token', extra),
    };
    const badSecret = 'zitadel-revoked-pat-Rc61';
    return {
      binding: zitadel(options),
      userId,
      secrets: [fakes.zitadel.adminToken],
      bad: () => zitadel({ ...options, token: badSecret }),
      badSecret,
    };
  },
};

/** Fakes whose codes are predictable and distinctive (never a substring of ids or times). */
export function fakesWithCodes(): FakeBackends {
  let n = 0;
  return createFakeBackends({
    generateCode: (provider) => {
      n += 1;
      return provider === 'zitadel' || provider === 'zitadel-self'
        ? `QK${n}W${(n * 7) % 10}XJ`.slice(0, 6)
        : String(914_327 + n * 1_031);
    },
  });
}

/** `{ userId }` where the adapter needs one. */
export function userArg(env: Env): { userId?: string } {
  return env.userId === undefined ? {} : { userId: env.userId };
}

/** The code the user received for a pending verification. */
export function codeOf(fakes: FakeBackends, pending: PendingVerification): string {
  return pending.code ?? fakes.lastCode(pending.phone.e164) ?? '';
}

export function isPending(result: PendingVerification | BoundPhone): result is PendingVerification {
  return result.state === 'pending';
}

/** Binds `phoneNumber` with a code and returns the pending verification. */
export async function bindPending(env: Env, phoneNumber = PHONE): Promise<PendingVerification> {
  const result = await env.binding.bind({ ...userArg(env), phoneNumber });
  if (!isPending(result)) throw new Error('expected a pending verification');
  return result;
}

/** Runs `call` and returns the PhoneBindingError it rejects with; throws if it resolves or throws something else. */
export async function rejection(call: () => Promise<unknown>): Promise<PhoneBindingError> {
  try {
    await call();
  } catch (error) {
    if (!isPhoneBindingError(error)) {
      throw new Error(`expected a PhoneBindingError, got ${String(error)}`, { cause: error });
    }
    return error;
  }
  throw new Error('expected the call to fail');
}

/** `fakes` from {@link createFakeBackends} re-exported for the tests. */
export { createFakeBackends, type FakeBackends };
