/**
 * What the examples (`examples/demo.ts` and the per-backend `etna.ts`, `authing.ts`, `zitadel.ts`,
 * `zitadel-self.ts`, `clerk.ts`) share: the one environment convention, the adapters on the fakes'
 * targets, where a code comes from (the fakes' SMS outbox, or a person typing it on stdin) and
 * masked output lines.
 *
 * The environment: `PHONE_BINDING_PROVIDER=<provider id>` selects a real backend (the fakes run
 * otherwise). That provider's options come from the library's `configFromEnv`
 * (`phone-binding/all`: `<PREFIX>_<OPTION>`, e.g. `ZITADEL_BASE_URL`, `CLERK_SECRET_KEY`).
 * `<PREFIX>_USER_ID` names the user of admin-scope adapters, `DEMO_PHONE_NUMBER` the number to bind.
 */
import { createInterface } from 'node:readline/promises';
import {
  configFromEnv,
  createPhoneBinding,
  envPrefix,
  type PhoneBindingConfig,
  PROVIDER_VARIABLE,
} from '../adapters/all/index.js';
import { ADAPTERS, PROVIDER_IDS } from '../adapters/registry.js';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PendingVerification,
  type PhoneBinding,
  type ProviderId,
  type RemovedPhone,
} from '../src/index.js';
import {
  createFakeBackends,
  type FakeBackends,
  type FakeServer,
  type FakeTarget,
  fakeTargets,
} from '../src/testing/index.js';

/** The variable that selects a real backend. */
export const SELECTOR = PROVIDER_VARIABLE;
export { envPrefix };

/** The number bound when `DEMO_PHONE_NUMBER` is not set. */
const DEFAULT_PHONE_NUMBER = '+41 79 123 45 67';

/** What every example's `run()` takes; everything is optional. */
export interface RunOptions {
  /** Default `process.env`. `PHONE_BINDING_PROVIDER` naming the example's provider selects the real backend. */
  env?: NodeJS.ProcessEnv;
  /** Where each line goes (it is also collected in the result). Default `console.log`. */
  out?: (line: string) => void;
  /** Asks a person for the code, real backends only. Default: a prompt on stdin. */
  readCode?: (prompt: string, pending: PendingVerification) => Promise<string>;
}

/** What `run()` answers. */
export interface RunResult {
  mode: 'fakes' | 'real';
  /** The lines printed, numbers masked. */
  lines: string[];
  /** The backend's id of the user the example acted on, when known (always with the fakes). */
  userId?: string;
  /** The fakes it ran against (fakes mode), to inspect their state afterwards. */
  fakes?: FakeBackends;
}

/** An adapter and, for admin-scope backends, the user to act on. */
export interface Target {
  binding: PhoneBinding;
  userId?: string;
  /** With the fakes: the user the target created, whatever the scope (to inspect the fakes after). */
  fakeUserId?: string;
}

/**
 * One example: its title and provider. The adapter comes from the provider's fake target, or from
 * the environment when `PHONE_BINDING_PROVIDER=<provider>` selects its real backend.
 */
export interface ExampleSpec {
  title: string;
  provider: ProviderId;
}

/** What a step of a walk-through answers. */
export type Outcome = PendingVerification | BoundPhone | RemovedPhone | null;

/** What a walk-through works with. */
export interface Context extends Target {
  /** `DEMO_PHONE_NUMBER`, default `+41 79 123 45 67`. */
  phoneNumber: string;
  /** The code of a pending verification: handed back by the backend, from the outbox, or typed in. */
  codeFor: CodeSource;
  /** Runs one step and prints its outcome (the number masked). */
  step<T extends Outcome>(label: string, run: () => Promise<T>): Promise<T>;
}

/**
 * The flow every example and the demo walk, the same on every backend: bind → verify (with the
 * code, when one was sent) → get → remove (with a second code where removal needs one: Authing)
 * → get. `userId` is passed only where the adapter acts as admin.
 */
export async function walkThrough({ binding, userId, phoneNumber, codeFor, step }: Context): Promise<void> {
  const user = userId === undefined ? {} : { userId };
  const { capabilities } = binding;
  // An adapter that sends no codes (an admin API) binds the number as verified.
  const verified = !capabilities.codeVerification;
  const bound = await step('bind', () => binding.bind({ ...user, phoneNumber, verified }));
  if (bound.state === 'pending') {
    const code = await codeFor(bound);
    await step('verify', () => binding.verify({ ticket: bound.ticket, code }));
  }
  await step('get', () => binding.get(user));
  if (!capabilities.remove) return;
  const removal = await step('remove', () => binding.remove(user));
  if (removal.state === 'pending') {
    const code = await codeFor(removal);
    await step('remove', () => binding.remove({ ...user, ticket: removal.ticket, code }));
  }
  await step('get', () => binding.get(user));
}

/** Where a code comes from: the fakes' outbox, or a person at the keyboard. */
export type CodeSource = (pending: PendingVerification) => Promise<string>;

/** An environment variable the real backend needs. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required for the real backend`);
  return value;
}

/** The provider `PHONE_BINDING_PROVIDER` selects, `undefined` when unset; throws for an unknown one. */
export function selectedProvider(env: NodeJS.ProcessEnv): ProviderId | undefined {
  const value = env[SELECTOR];
  if (!value) return undefined;
  if (!(PROVIDER_IDS as readonly string[]).includes(value)) {
    throw new Error(`${SELECTOR}=${value} is not one of: ${PROVIDER_IDS.join(', ')}`);
  }
  return value as ProviderId;
}

/**
 * The `createPhoneBinding` config of `provider` from the environment (`configFromEnv`, the
 * library's one naming scheme: `<PREFIX>_<OPTION>`), whatever `PHONE_BINDING_PROVIDER` says.
 */
export function envConfig(env: NodeJS.ProcessEnv, provider: ProviderId): PhoneBindingConfig {
  return configFromEnv({ ...env, [SELECTOR]: provider });
}

/**
 * Reads a real backend's settings: the `createPhoneBinding` config (every missing or malformed
 * variable named at once) and, for admin-scope adapters, the user from `<PREFIX>_USER_ID`.
 * Names a missing variable, never a value.
 */
export function readEnvConfig(
  env: NodeJS.ProcessEnv,
  provider: ProviderId,
): { config: PhoneBindingConfig; userId?: string } {
  const config = envConfig(env, provider);
  const admin = ADAPTERS[provider].spec.capabilities.scope === 'admin';
  const userId = admin ? required(env, `${envPrefix(provider)}_USER_ID`) : undefined;
  return { config, ...(userId === undefined ? {} : { userId }) };
}

/** The adapter of the real backend the environment describes (see {@link readEnvConfig}). */
export function realBackend(env: NodeJS.ProcessEnv, provider: ProviderId): Target {
  const { config, userId } = readEnvConfig(env, provider);
  return { binding: createPhoneBinding(config), ...(userId === undefined ? {} : { userId }) };
}

/** The fakes' first target of `provider`: the configuration the demo and the examples run. */
export function fakeTargetOf(provider: ProviderId): FakeTarget {
  const target = fakeTargets().find((candidate) => candidate.provider === provider);
  if (!target) throw new Error(`no fake target for ${provider}`);
  return target;
}

/**
 * The adapter of `provider`'s fake target on a fresh user of the loopback `server`, and that
 * user's id as `fakeUserId` (also for user-scope adapters, which never name it).
 */
export function fakeBackend(fakes: FakeBackends, server: FakeServer, provider: ProviderId): Target {
  const target = fakeTargetOf(provider);
  const api = fakes[target.fake] as unknown as { createUser(...args: unknown[]): { userId: string } };
  let created: string | undefined;
  const noting = {
    ...api,
    createUser(...args: unknown[]) {
      const user = api.createUser(...args);
      created = user.userId;
      return user;
    },
  };
  const { config, userId } = target.setup({ ...fakes, [target.fake]: noting }, server.urls[target.fake]);
  const fakeUserId = userId ?? created;
  return {
    binding: createPhoneBinding(config as unknown as PhoneBindingConfig),
    ...(userId === undefined ? {} : { userId }),
    ...(fakeUserId === undefined ? {} : { fakeUserId }),
  };
}

/** The number to bind: `DEMO_PHONE_NUMBER`, default `+41 79 123 45 67`. */
export function phoneNumberOf(env: NodeJS.ProcessEnv): string {
  return env.DEMO_PHONE_NUMBER ?? DEFAULT_PHONE_NUMBER;
}

/** Codes from the fakes' SMS outbox (or handed back by the backend). */
export function outboxCodes(fakes: FakeBackends): CodeSource {
  return async (pending) => {
    const code = pending.code ?? fakes.lastCode(pending.phone.e164);
    if (!code) throw new Error('no SMS in the fakes’ outbox');
    return code;
  };
}

/** Codes a person types in (unless the backend handed the code back). */
export function askedCodes(ask: NonNullable<RunOptions['readCode']> = promptForCode): CodeSource {
  return async (pending) =>
    pending.code ?? ask(`SMS code sent to ${maskPhoneNumber(pending.phone.e164)}: `, pending);
}

/** One step's outcome in words, the number masked. */
export function describeResult(result: PendingVerification | BoundPhone | RemovedPhone | null): string {
  if (result === null) return 'no phone';
  if (result.state === 'removed') return 'removed';
  const phone = maskPhoneNumber(result.phone.e164);
  if (result.state !== 'pending') return `${phone} → ${result.state}`;
  const what = result.purpose === 'remove' ? 'removal pending' : 'pending';
  return `${phone} → ${what} (${result.code ? 'code returned' : 'code sent by SMS'})`;
}

/** A step that worked: `  ✓ bind    +41 ••• •• 67 → pending (…)`, with its duration when given. */
export function stepLine(
  step: string,
  result: PendingVerification | BoundPhone | RemovedPhone | null,
  ms?: number,
): string {
  const text = describeResult(result);
  return `  ✓ ${step.padEnd(7)} ${ms === undefined ? text : `${text.padEnd(52)} ${ms} ms`}`;
}

/** A failure by code and (masked) message. */
export function failureReason(error: unknown): string {
  return isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error);
}

/** Collects printed lines and passes each on to `out`. */
export function printer(out: ((line: string) => void) | undefined): {
  lines: string[];
  out: (line: string) => void;
} {
  const lines: string[] = [];
  return {
    lines,
    out: (line) => {
      lines.push(line);
      out?.(line);
    },
  };
}

/** Sets up the target (fakes on 127.0.0.1, or the real backend), runs `flow`, cleans up. */
export async function runExample(
  options: RunOptions,
  spec: ExampleSpec,
  flow: (context: Context) => Promise<void> = walkThrough,
): Promise<RunResult> {
  const env = options.env ?? process.env;
  const { lines, out } = printer(options.out ?? console.log);
  const phoneNumber = phoneNumberOf(env);
  const step: Context['step'] = async (label, run) => {
    const result = await run();
    out(stepLine(label, result));
    return result;
  };

  if (selectedProvider(env) === spec.provider) {
    const target = realBackend(env, spec.provider);
    out(`${spec.title} — real backend (${SELECTOR}), number ${maskPhoneNumber(phoneNumber)}`);
    await flow({ ...target, phoneNumber, codeFor: askedCodes(options.readCode), step });
    return { mode: 'real', lines, ...(target.userId ? { userId: target.userId } : {}) };
  }

  const fakes = createFakeBackends();
  const server = await fakes.listen();
  try {
    const target = fakeBackend(fakes, server, spec.provider);
    out(`${spec.title} — fake backends on ${server.url} (set ${SELECTOR}=${spec.provider} for a real one)`);
    await flow({ ...target, phoneNumber, codeFor: outboxCodes(fakes), step });
    const userId = target.userId ?? target.fakeUserId;
    return { mode: 'fakes', lines, fakes, ...(userId ? { userId } : {}) };
  } finally {
    await server.close();
  }
}

/** Asks for a code on stdin. */
export async function promptForCode(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}

/** What a script's main guard calls: runs it, prints a failure by code and (masked) message. */
export function main(run: (options: RunOptions) => Promise<RunResult>): void {
  run({}).catch((error: unknown) => {
    console.error(`  ✗ ${failureReason(error)}`);
    process.exitCode = 1;
  });
}
