/**
 * Shared set-up of the reliability proofs: every adapter wired to the fake backends (the fakes'
 * targets, as in test/conformance), the values a test may hold up to the SDK, and small helpers.
 */
import { createPhoneBinding, type PhoneBindingConfig } from '../../adapters/all/index.js';
import { FAKES } from '../../adapters/fakes.js';
import { ADAPTERS, PROVIDER_IDS } from '../../adapters/registry.js';
import {
  type BoundPhone,
  type Credential,
  type Hooks,
  isPhoneBindingError,
  type Logger,
  type LogLevel,
  type PendingVerification,
  type PhoneBinding,
  type PhoneBindingError,
  type ProviderId,
} from '../../src/index.js';
import { factoryName } from '../../src/kit/define.js';
import {
  createFakeBackends,
  type FakeBackends,
  type FakeBackendsWithHandlers,
  type FakeErrorFields,
  fakeTargets,
  type RecordedRequest,
} from '../../src/testing/msw.js';

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
  logger?: Logger;
  logLevel?: LogLevel;
  /** Replaces the adapter's main credential (token, access token or secret key). */
  credential?: Credential;
  ticketSecret?: string;
  timeout?: number;
}

/** One adapter, wired to the fakes. */
export interface Target {
  name: string;
  provider: ProviderId;
  /** The fake backend that serves it (faults are injected there). */
  fake: string;
  /**
   * Whether the adapter sends codes (`capabilities.codeVerification`), known when tests are
   * collected: the code-flow proofs are skipped on adapters that only bind as verified.
   */
  codes: boolean;
  /** The adapter's longest accepted code (codeMaxLength). */
  codeMaxLength: number;
  setup(fakes: FakeBackends, extra?: Extra): Env;
  /** An error answer in the backend's own shape (its fake's `errorBody`). */
  errorBody(fields: FakeErrorFields): unknown;
  /** The code a recorded request carries (its fake's `codeIn`). */
  codeIn(request: RecordedRequest): unknown;
}

/** The extra options, with `credential` moved to the adapter's own credential option. */
function withCredential(name: string, extra: Extra): Record<string, unknown> {
  const { credential, ...rest } = extra;
  return credential === undefined ? rest : { ...rest, [name]: credential };
}

/** The proof target named `name` on the fakes' target named `fakeTarget` (see `fakeTargets()`). */
function proofTarget(name: string, fakeTarget: string): Target {
  const target = fakeTargets().find((candidate) => candidate.name === fakeTarget);
  if (!target) throw new Error(`no fake target named ${fakeTarget}`);
  return {
    name,
    provider: target.provider,
    fake: target.fake,
    codes: ADAPTERS[target.provider].spec.capabilities.codeVerification,
    codeMaxLength: ADAPTERS[target.provider].codeMaxLength,
    errorBody: (fields) => FAKES[target.fake].errorBody(fields),
    codeIn: (request) => FAKES[target.fake].codeIn(request),
    setup(fakes, extra = {}) {
      const { config, userId, secrets } = target.setup(fakes);
      // `retry: 0`: reads and deletes would otherwise be retried with real back-off waits.
      const options = {
        ...config,
        retry: 0,
        ...withCredential(target.credential, extra),
      } as PhoneBindingConfig;
      return {
        binding: createPhoneBinding(options),
        ...(userId === undefined ? {} : { userId }),
        secrets,
        bad: () => createPhoneBinding({ ...options, [target.credential]: target.revoked }),
        badSecret: target.revokedSecret,
      };
    },
  };
}

/** One target per provider, in the registry's order, named after its factory (`zitadelSelf`). */
export const TARGETS: Target[] = PROVIDER_IDS.map((provider) => {
  const first = fakeTargets().find((candidate) => candidate.provider === provider);
  if (!first) throw new Error(`no fake target serves ${provider}`);
  return proofTarget(factoryName(provider), first.name);
});

/** Zitadel handing the code back (`delivery: 'return-code'`): the code then crosses the SDK. */
export const ZITADEL_RETURN_CODE: Target = proofTarget(
  'zitadel (return-code)',
  'zitadel (user service v2, return-code)',
);

/** Fakes whose codes are predictable and distinctive (never a substring of ids or times). */
export function fakesWithCodes(): FakeBackendsWithHandlers {
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

/** `{ userId }` where the adapter needs one, and `verified: true` where it sends no codes. */
export function bindArg(env: Env): { userId?: string; verified?: true } {
  return env.binding.capabilities.codeVerification ? userArg(env) : { ...userArg(env), verified: true };
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

/** `fakes` from {@link createFakeBackends} (with their msw handlers) re-exported for the tests. */
export { createFakeBackends, type FakeBackends, type FakeBackendsWithHandlers };
