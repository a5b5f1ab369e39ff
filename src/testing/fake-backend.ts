import type { PhoneBindingErrorCode } from '../errors.js';
import type { ProviderId } from '../types.js';
import type { FakeContext, FakeRequest, RecordedRequest } from './context.js';

/**
 * One adapter configuration a fake backend serves, on a fresh user: the table the conformance
 * suite, the reliability proofs, the demo and the examples all run.
 *
 * @example
 * ```ts
 * import { createFakeBackends, fakeTargets } from 'phone-binding/testing';
 * import { createPhoneBinding } from 'phone-binding/all';
 *
 * const fakes = createFakeBackends();
 * for (const target of fakeTargets()) {
 *   const { config, userId } = target.setup(fakes);
 *   const phones = createPhoneBinding(config);
 *   await phones.bind({ ...(userId ? { userId } : {}), phoneNumber: '+41 79 123 45 67' });
 * }
 * ```
 */
export interface FakeTargetSpec<Api extends FakeUsers> {
  /** Shown in test titles and reports, e.g. `zitadel (user service v2, sms)`. */
  name: string;
  /** The provider of the adapter this target configures. */
  provider: ProviderId;
  /**
   * The option holding the credential the backend checks, and a value of it the backend refuses
   * (distinctive enough to search for in output): `{ token: 'zitadel-revoked-pat-Zm93' }`.
   */
  revoked: Readonly<Record<string, unknown>>;
  /**
   * The secret inside `revoked` that must never show in output, where its value is not itself a
   * string (AWS keys: `{ credentials: { accessKeyId, secretAccessKey } }`); default that value.
   */
  revokedSecret?: string;
  /**
   * The adapter's options (besides `provider` and `baseUrl`) acting for `user`, a fresh user with
   * no phone on the fake; admin-scope adapters act on `user.userId`.
   */
  options(api: Api, user: ReturnType<Api['createUser']>): Record<string, unknown>;
  /** The credential values those options send (they must never show in output). */
  secrets(api: Api, user: ReturnType<Api['createUser']>): string[];
}

/** What every fake's control surface has: a way to create a user with no phone. */
export interface FakeUsers {
  /** Creates a user; the id is what admin-scope adapters name. */
  createUser(): { userId: string };
}

/**
 * A fresh user on a fake backend and the config of an adapter acting for them.
 *
 * @example
 * ```ts
 * import { createPhoneBinding } from 'phone-binding/all';
 * import { createFakeBackends, type FakeSetup, fakeTargets } from 'phone-binding/testing';
 *
 * const fakes = createFakeBackends();
 * const [first] = fakeTargets();
 * const setup: FakeSetup | undefined = first?.setup(fakes);
 * if (setup) createPhoneBinding(setup.config); // the adapter for setup.userId (admin adapters)
 * ```
 */
export interface FakeSetup {
  /** A `createPhoneBinding` config: `provider` and the adapter's options. */
  config: { provider: ProviderId } & Record<string, unknown>;
  /** The user to act on (admin-scope adapters only). */
  userId?: string;
  /** Every credential value the adapter sends (must never show in output). */
  secrets: string[];
}

/**
 * One fake backend: exported by `adapters/<name>/fake.ts` and listed in `FAKES` (adapters/fakes.ts).
 * It is mounted at `/<id>` below the fakes' origin.
 *
 * @example
 * ```ts
 * import type { FakeBackend } from 'phone-binding/testing';
 *
 * // The shape every fake follows: state per instance, a request handler, adapter targets.
 * function mounted(backend: FakeBackend<{ createUser(): { userId: string } }>): string {
 *   return `/${backend.id} serves ${backend.targets.map((t) => t.name).join(', ')}`;
 * }
 * ```
 */
export interface FakeBackend<Api extends FakeUsers> {
  /** Mount point and name, e.g. `zitadel` → `https://fake.phone-binding.test/zitadel`. */
  id: string;
  /** Creates the backend's state; `api` is what tests use to set it up and inspect it. */
  create(ctx: FakeContext): { api: Api; handle(request: FakeRequest): Response | Promise<Response> };
  /** The adapter configurations this fake serves. */
  targets: ReadonlyArray<FakeTargetSpec<Api>>;
  /**
   * An error answer in this backend's own shape, for tests of error handling (serve it with
   * `injectFault({ status, body })`): `code` where the backend puts its error code or id,
   * `requestId` where it puts its trace id, `message` its text, `extra` further fields.
   */
  errorBody(fields: FakeErrorFields): unknown;
  /** The verification code a recorded request carries, where this backend receives one. */
  codeIn(request: RecordedRequest): unknown;
  /**
   * What the backend does after repeated wrong codes, as its reference describes it (where the
   * reference is silent, the fake's own choice, said in a comment there). The shared test
   * `test/testing/wrong-codes.test.ts` holds every fake to it.
   */
  wrongCodes: WrongCodes;
}

/**
 * A fake's behaviour after repeated wrong codes. `lockAfter`: after that many wrong codes even the
 * right one is refused, and the SDK reports `lockedAs`; `lockedOnLast`: the `lockAfter`-th wrong
 * code itself already answers `lockedAs` (Clerk fails the verification there). Without
 * `lockAfter`: no lockout, the right code works until it expires.
 */
export type WrongCodes =
  | { lockAfter: number; lockedAs: PhoneBindingErrorCode; lockedOnLast?: boolean }
  | { lockAfter?: undefined };

/**
 * What a fake backend's `errorBody` puts into its error answer (in its own shape).
 *
 * @example
 * ```ts
 * import type { FakeErrorFields } from 'phone-binding/testing';
 *
 * const fields: FakeErrorFields = { status: 503, code: 'E-1', requestId: 'req-1', message: 'down' };
 * ```
 */
export interface FakeErrorFields {
  /** The HTTP status (or the backend's own status class) of the answer. */
  status: number;
  /** The backend's own error code or id. */
  code: string;
  /** The backend's trace or request id. */
  requestId: string;
  /** The backend's text. */
  message: string;
  /** More fields the answer carries (where the backend has room for them). */
  extra?: Record<string, unknown>;
}
