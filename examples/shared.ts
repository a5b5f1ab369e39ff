/**
 * What the per-backend examples (`examples/etna.ts`, `authing.ts`, `zitadel.ts`, `zitadel-self.ts`,
 * `clerk.ts`) share: the "fake backends or a real one" switch, where a code comes from (the fakes'
 * SMS outbox, or a person typing it on stdin) and masked output lines.
 */
import { createInterface } from 'node:readline/promises';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PendingVerification,
  type PhoneBinding,
  type RemovedPhone,
} from '../src/index.js';
import { createFakeBackends, type FakeBackends, type FakeServer } from '../src/testing/index.js';

/** What every example's `run()` takes; everything is optional. */
export interface RunOptions {
  /** Default `process.env`. The backend's base-URL (or secret) variable selects the real backend. */
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
}

/** How one example sets up its adapter, against the fakes or from the environment. */
export interface ExampleSpec {
  title: string;
  /** The variable whose presence selects the real backend, e.g. `ETNA_BASE_URL`. */
  realWhen: string;
  real(env: NodeJS.ProcessEnv): Target;
  fake(fakes: FakeBackends, server: FakeServer): Target;
}

/** What an example's flow works with. */
export interface Context extends Target {
  /** `DEMO_PHONE_NUMBER`, default `+41 79 123 45 67`. */
  phoneNumber: string;
  /** The code of a pending verification: handed back by the backend, from the outbox, or typed in. */
  codeFor(pending: PendingVerification): Promise<string>;
  /** Prints one step's outcome; the number is masked. */
  show(step: string, result: PendingVerification | BoundPhone | RemovedPhone | null): void;
}

/** An environment variable the real backend needs. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is required for the real backend`);
  return value;
}

function describe(result: PendingVerification | BoundPhone | RemovedPhone | null): string {
  if (result === null) return 'no phone';
  if (result.state === 'removed') return 'removed';
  const phone = maskPhoneNumber(result.phone.e164);
  if (result.state !== 'pending') return `${phone} → ${result.state}`;
  const what = result.purpose === 'remove' ? 'removal pending' : 'pending';
  return `${phone} → ${what} (${result.code ? 'code returned' : 'code sent by SMS'})`;
}

/** Sets up the target (fakes on 127.0.0.1, or the real backend), runs `flow`, cleans up. */
export async function runExample(
  options: RunOptions,
  spec: ExampleSpec,
  flow: (context: Context) => Promise<void>,
): Promise<RunResult> {
  const env = options.env ?? process.env;
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    (options.out ?? console.log)(line);
  };
  const phoneNumber = env.DEMO_PHONE_NUMBER ?? '+41 79 123 45 67';
  const show: Context['show'] = (step, result) => out(`  ✓ ${step.padEnd(7)} ${describe(result)}`);

  if (env[spec.realWhen]) {
    const target = spec.real(env);
    const ask = options.readCode ?? promptForCode;
    out(`${spec.title} — real backend (${spec.realWhen}), number ${maskPhoneNumber(phoneNumber)}`);
    const codeFor = async (pending: PendingVerification) =>
      pending.code ?? ask(`SMS code sent to ${maskPhoneNumber(pending.phone.e164)}: `, pending);
    await flow({ ...target, phoneNumber, codeFor, show });
    return { mode: 'real', lines, ...(target.userId ? { userId: target.userId } : {}) };
  }

  const fakes = createFakeBackends();
  const server = await fakes.listen();
  try {
    const target = spec.fake(fakes, server);
    out(`${spec.title} — fake backends on ${server.url} (set ${spec.realWhen} for a real one)`);
    const codeFor = async (pending: PendingVerification) => {
      const code = pending.code ?? fakes.lastCode(pending.phone.e164);
      if (!code) throw new Error('no SMS in the fakes’ outbox');
      return code;
    };
    await flow({ ...target, phoneNumber, codeFor, show });
    return { mode: 'fakes', lines, fakes, ...(target.userId ? { userId: target.userId } : {}) };
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
    console.error(`  ✗ ${isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    process.exitCode = 1;
  });
}
