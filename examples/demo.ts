/**
 * `npm run demo`: walks bind → (code) → verify → get → remove on every adapter and prints a short
 * report. By default it runs against the built-in fake backends on 127.0.0.1, reading codes from
 * the fakes' SMS outbox. With a real backend's settings in the environment (see README, "Demo
 * against a real backend") it runs against that backend only and asks for the SMS code on stdin.
 */
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { authing } from '../adapters/authing/index.js';
import { clerk } from '../adapters/clerk/index.js';
import { etna } from '../adapters/etna/index.js';
import { zitadel, zitadelSelf } from '../adapters/zitadel/index.js';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PendingVerification,
  type PhoneBinding,
} from '../src/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../src/testing/index.js';

/** One adapter the demo can run: against the fakes, and against a real backend from env vars. */
interface DemoTarget {
  name: string;
  fake(fakes: FakeBackends, server: FakeServer): { binding: PhoneBinding; userId?: string };
  /** Reads the real backend's settings; `undefined` when the env does not select this target. */
  real(env: NodeJS.ProcessEnv): { binding: PhoneBinding; userId?: string } | undefined;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required for this provider`);
  return value;
}

const TARGETS: DemoTarget[] = [
  {
    name: 'etna (ETNA Trader)',
    fake: (fakes, server) => ({
      binding: etna({ baseUrl: server.urls.etna, token: fakes.etna.adminToken, appKey: fakes.etna.appKey }),
      userId: fakes.etna.createUser().userId,
    }),
    real: (env) =>
      env.PHONE_BINDING_PROVIDER === 'etna'
        ? {
            binding: etna({
              baseUrl: required(env, 'ETNA_BASE_URL'),
              token: required(env, 'ETNA_TOKEN'),
              appKey: required(env, 'ETNA_APP_KEY'),
              ...(env.ETNA_API_VERSION ? { apiVersion: env.ETNA_API_VERSION } : {}),
            }),
            userId: required(env, 'ETNA_USER_ID'),
          }
        : undefined,
  },
  {
    name: 'authing (Authing / GenAuth)',
    fake: (fakes, server) => ({
      binding: authing({
        baseUrl: server.urls.authing,
        appId: fakes.authing.appId,
        accessToken: fakes.authing.createUser().token,
      }),
    }),
    real: (env) =>
      env.PHONE_BINDING_PROVIDER === 'authing'
        ? {
            binding: authing({
              baseUrl: required(env, 'AUTHING_BASE_URL'),
              appId: required(env, 'AUTHING_APP_ID'),
              accessToken: required(env, 'AUTHING_ACCESS_TOKEN'),
              ...(env.AUTHING_USER_POOL_ID ? { userPoolId: env.AUTHING_USER_POOL_ID } : {}),
              ...(env.AUTHING_BRAND === 'genauth' ? { brand: 'genauth' as const } : {}),
              ...(env.AUTHING_AUTHORIZATION === 'bearer' ? { authorization: 'bearer' as const } : {}),
            }),
          }
        : undefined,
  },
  {
    name: 'zitadel (user service v2)',
    fake: (fakes, server) => ({
      binding: zitadel({ baseUrl: server.urls.zitadel, token: fakes.zitadel.adminToken }),
      userId: fakes.zitadel.createUser().userId,
    }),
    real: (env) =>
      env.PHONE_BINDING_PROVIDER === 'zitadel'
        ? {
            binding: zitadel({
              baseUrl: required(env, 'ZITADEL_BASE_URL'),
              token: required(env, 'ZITADEL_TOKEN'),
              delivery: env.ZITADEL_DELIVERY === 'return-code' ? 'return-code' : 'sms',
            }),
            userId: required(env, 'ZITADEL_USER_ID'),
          }
        : undefined,
  },
  {
    name: 'zitadelSelf (auth API v1)',
    fake: (fakes, server) => ({
      binding: zitadelSelf({ baseUrl: server.urls.zitadel, token: fakes.zitadel.createUser().token }),
    }),
    real: (env) =>
      env.PHONE_BINDING_PROVIDER === 'zitadel-self'
        ? {
            binding: zitadelSelf({
              baseUrl: required(env, 'ZITADEL_BASE_URL'),
              token: required(env, 'ZITADEL_TOKEN'),
            }),
          }
        : undefined,
  },
  {
    name: 'clerk (Backend API)',
    fake: (fakes, server) => ({
      binding: clerk({ baseUrl: server.urls.clerk, secretKey: fakes.clerk.secretKey }),
      userId: fakes.clerk.createUser().userId,
    }),
    real: (env) =>
      env.PHONE_BINDING_PROVIDER === 'clerk'
        ? {
            binding: clerk({
              secretKey: required(env, 'CLERK_SECRET_KEY'),
              ...(env.CLERK_BASE_URL ? { baseUrl: env.CLERK_BASE_URL } : {}),
            }),
            userId: required(env, 'CLERK_USER_ID'),
          }
        : undefined,
  },
];

/** Where the demo gets a code: the fakes' outbox, or a person at the keyboard. */
type CodeSource = (pending: PendingVerification) => Promise<string>;

/** Result of one demo run. */
export interface DemoReport {
  lines: string[];
  adapters: number;
  steps: number;
  failures: number;
}

function describe(result: PendingVerification | BoundPhone | null): string {
  if (result === null) return 'no phone';
  const phone = maskPhoneNumber(result.phone.e164);
  if (result.state === 'pending')
    return `${phone} → pending (${result.code ? 'code returned' : 'code sent by SMS'})`;
  return `${phone} → ${result.state}`;
}

async function walk(
  name: string,
  binding: PhoneBinding,
  userId: string | undefined,
  phoneNumber: string,
  codeFor: CodeSource,
  out: (line: string) => void,
): Promise<{ steps: number; failures: number }> {
  out(name);
  const user = userId === undefined ? {} : { userId };
  let steps = 0;
  async function step<T>(label: string, run: () => Promise<T>, show: (value: T) => string): Promise<T> {
    steps += 1;
    const started = performance.now();
    try {
      const value = await run();
      out(`  ✓ ${label.padEnd(7)} ${show(value).padEnd(52)} ${Math.round(performance.now() - started)} ms`);
      return value;
    } catch (error) {
      const reason = isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error);
      out(`  ✗ ${label.padEnd(7)} ${reason}`);
      throw error;
    }
  }
  try {
    const bound = await step('bind', () => binding.bind({ ...user, phoneNumber }), describe);
    if (bound.state === 'pending') {
      const code = await codeFor(bound);
      await step('verify', () => binding.verify({ ticket: bound.ticket, code }), describe);
    }
    await step('get', () => binding.get(user), describe);
    const removal = await step(
      'remove',
      () => binding.remove(user),
      (r) =>
        r.state === 'pending'
          ? `${maskPhoneNumber(r.phone.e164)} → removal pending (code sent by SMS)`
          : r.state,
    );
    if (removal.state === 'pending') {
      const code = await codeFor(removal);
      await step(
        'remove',
        () => binding.remove({ ...user, ticket: removal.ticket, code }),
        (r) => r.state,
      );
    }
    await step('get', () => binding.get(user), describe);
    return { steps, failures: 0 };
  } catch {
    return { steps, failures: 1 };
  }
}

/** Runs the demo. `env` selects a real backend; without one it runs every adapter on fresh fakes. */
export async function runDemo(
  options: {
    env?: NodeJS.ProcessEnv;
    out?: (line: string) => void;
    readCode?: (prompt: string) => Promise<string>;
  } = {},
): Promise<DemoReport> {
  const env = options.env ?? process.env;
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    options.out?.(line);
  };
  const phoneNumber = env.DEMO_PHONE_NUMBER ?? '+41 79 123 45 67';
  let steps = 0;
  let failures = 0;
  let adapters = 0;

  const real = env.PHONE_BINDING_PROVIDER
    ? TARGETS.map((t) => ({ t, setup: t.real(env) })).find((x) => x.setup)
    : undefined;
  if (env.PHONE_BINDING_PROVIDER && !real) {
    throw new Error(
      `PHONE_BINDING_PROVIDER=${env.PHONE_BINDING_PROVIDER} is not one of: etna, authing, zitadel, zitadel-self, clerk`,
    );
  }
  if (real?.setup) {
    out(
      `phone-binding demo — real backend (${real.setup.binding.provider}), number ${maskPhoneNumber(phoneNumber)}`,
    );
    const ask = options.readCode ?? promptForCode;
    const result = await walk(
      real.t.name,
      real.setup.binding,
      real.setup.userId,
      phoneNumber,
      async (pending) => pending.code ?? ask(`SMS code sent to ${maskPhoneNumber(pending.phone.e164)}: `),
      out,
    );
    return { lines, adapters: 1, ...result };
  }

  const fakes = createFakeBackends();
  const server = await fakes.listen();
  try {
    out(`phone-binding demo — fake backends on ${server.url}, number ${maskPhoneNumber(phoneNumber)}`);
    for (const target of TARGETS) {
      const { binding, userId } = target.fake(fakes, server);
      const fromOutbox: CodeSource = async (pending) => {
        const code = pending.code ?? fakes.lastCode(pending.phone.e164);
        if (!code) throw new Error('no SMS in the outbox');
        return code;
      };
      const result = await walk(target.name, binding, userId, phoneNumber, fromOutbox, out);
      adapters += 1;
      steps += result.steps;
      failures += result.failures;
    }
  } finally {
    await server.close();
  }
  out(
    `${adapters} adapters, ${steps} steps, ${failures === 0 ? 'all passed' : `${failures} failed`} (${fakes.outbox.length} SMS in the outbox)`,
  );
  return { lines, adapters, steps, failures };
}

async function promptForCode(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo({ out: (line) => console.log(line) }).then(
    (report) => {
      process.exitCode = report.failures === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error(isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error));
      process.exitCode = 1;
    },
  );
}
