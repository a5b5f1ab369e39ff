/**
 * `npm run demo`: walks bind → (code) → verify → get → remove on every adapter and prints a short
 * report. By default it runs against the built-in fake backends on 127.0.0.1, reading codes from
 * the fakes' SMS outbox. With a real backend's settings in the environment (see README, "Demo
 * against a real backend") it runs against that backend only and asks for the SMS code on stdin.
 */
import { pathToFileURL } from 'node:url';
import { PROVIDER_IDS } from '../adapters/registry.js';
import { maskPhoneNumber, type ProviderId } from '../src/index.js';
import { createFakeBackends } from '../src/testing/index.js';
import {
  askedCodes,
  type CodeSource,
  type Context,
  failureReason,
  fakeBackend,
  fakeTargetOf,
  outboxCodes,
  phoneNumberOf,
  printer,
  type RunOptions,
  realBackend,
  selectedProvider,
  stepLine,
  type Target,
  walkThrough,
} from './shared.js';

/** Each adapter's heading in the report where it differs from its fake target's name. */
const HEADINGS: Partial<Record<ProviderId, string>> = {
  etna: 'etna (ETNA Trader)',
  authing: 'authing (Authing / GenAuth)',
  zitadel: 'zitadel (user service v2)',
};
const heading = (provider: ProviderId) => HEADINGS[provider] ?? fakeTargetOf(provider).name;

/** Result of one demo run. */
export interface DemoReport {
  lines: string[];
  adapters: number;
  steps: number;
  failures: number;
}

/** Walks the shared flow on one adapter, printing each step with its time; a failure ends the walk. */
async function walk(
  name: string,
  target: Target,
  phoneNumber: string,
  codeFor: CodeSource,
  out: (line: string) => void,
): Promise<{ steps: number; failures: number }> {
  out(name);
  let steps = 0;
  const step: Context['step'] = async (label, run) => {
    steps += 1;
    const started = performance.now();
    try {
      const value = await run();
      out(stepLine(label, value, Math.round(performance.now() - started)));
      return value;
    } catch (error) {
      out(`  ✗ ${label.padEnd(7)} ${failureReason(error)}`);
      throw error;
    }
  };
  try {
    await walkThrough({ ...target, phoneNumber, codeFor, step });
    return { steps, failures: 0 };
  } catch {
    return { steps, failures: 1 };
  }
}

/**
 * Runs the demo. `PHONE_BINDING_PROVIDER` in `env` selects a real backend (its settings read as
 * in `examples/shared.ts`); without it every provider runs on fresh fakes. Prints only to `out`.
 */
export async function runDemo(
  options: { env?: NodeJS.ProcessEnv; out?: (line: string) => void; readCode?: RunOptions['readCode'] } = {},
): Promise<DemoReport> {
  const env = options.env ?? process.env;
  const { lines, out } = printer(options.out);
  const phoneNumber = phoneNumberOf(env);

  const provider = selectedProvider(env);
  if (provider) {
    const target = realBackend(env, provider);
    out(`phone-binding demo — real backend (${provider}), number ${maskPhoneNumber(phoneNumber)}`);
    const result = await walk(heading(provider), target, phoneNumber, askedCodes(options.readCode), out);
    return { lines, adapters: 1, ...result };
  }

  let steps = 0;
  let failures = 0;
  const fakes = createFakeBackends();
  const server = await fakes.listen();
  try {
    out(`phone-binding demo — fake backends on ${server.url}, number ${maskPhoneNumber(phoneNumber)}`);
    for (const id of PROVIDER_IDS) {
      const target = fakeBackend(fakes, server, id);
      const result = await walk(heading(id), target, phoneNumber, outboxCodes(fakes), out);
      steps += result.steps;
      failures += result.failures;
    }
  } finally {
    await server.close();
  }
  const adapters = PROVIDER_IDS.length;
  out(
    `${adapters} adapters, ${steps} steps, ${failures === 0 ? 'all passed' : `${failures} failed`} (${fakes.outbox.length} SMS in the outbox)`,
  );
  return { lines, adapters, steps, failures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo({ out: (line) => console.log(line) }).then(
    (report) => {
      process.exitCode = report.failures === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error(failureReason(error));
      process.exitCode = 1;
    },
  );
}
