/** The per-backend examples: each on its own fakes, then once against a "real" backend from env vars. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run as runAuthing } from '../../examples/authing.js';
import { run as runClerk } from '../../examples/clerk.js';
import { run as runEtna } from '../../examples/etna.js';
import type { RunOptions, RunResult } from '../../examples/shared.js';
import { run as runZitadel } from '../../examples/zitadel.js';
import { run as runZitadelSelf } from '../../examples/zitadel-self.js';
import type { PendingVerification } from '../../src/index.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { backendEnv, type ExampleBackend } from '../support/backend-env.js';
import { useFakeServer } from '../support/fake-server.js';

type Name = ExampleBackend;
const RUNS: Record<Name, (options: RunOptions) => Promise<RunResult>> = {
  etna: runEtna,
  authing: runAuthing,
  zitadel: runZitadel,
  'zitadel-self': runZitadelSelf,
  clerk: runClerk,
};
const NAMES = Object.keys(RUNS) as Name[];
/** Lines each example prints after its header: bind, verify, get, remove (twice on Authing), get. */
const STEPS: Record<Name, string[]> = {
  etna: ['bind', 'verify', 'get', 'remove', 'get'],
  authing: ['bind', 'verify', 'get', 'remove', 'remove', 'get'],
  zitadel: ['bind', 'verify', 'get', 'remove', 'get'],
  'zitadel-self': ['bind', 'verify', 'get', 'remove', 'get'],
  clerk: ['bind', 'verify', 'get', 'remove', 'get'],
};
/** Variables a developer's shell may hold: never let them switch a test to a real backend. */
const REAL_VARS = /^(ETNA|AUTHING|ZITADEL|CLERK|DEMO|PHONE_BINDING)_/;

/** Whether the fakes' user ended without a phone. */
function hasNoPhone(fakes: FakeBackends, name: Name, userId: string): boolean {
  switch (name) {
    case 'etna':
      return fakes.etna.user(userId)?.phone === null;
    case 'authing':
      return fakes.authing.user(userId)?.phone === null;
    case 'zitadel':
    case 'zitadel-self':
      return fakes.zitadel.user(userId)?.phone === '';
    case 'clerk':
      return fakes.clerk.user(userId)?.phone_numbers.length === 0;
  }
}

function expectWalked(name: Name, lines: string[], fakes: FakeBackends): void {
  const steps = lines.slice(1).map((line) => /^ {2}✓ (\S+)/.exec(line)?.[1]);
  expect(steps).toEqual(STEPS[name]);
  const text = lines.join('\n');
  expect(text).toContain('+41 ••• •• 67 → pending (code sent by SMS)');
  expect(text).toContain('+41 ••• •• 67 → verified');
  expect(text).toMatch(/✓ remove {2}removed/);
  expect(lines.at(-1)).toBe('  ✓ get     no phone');
  // Masked numbers only; no code, no token.
  expect(text).not.toMatch(/791234567|\+41 ?79/);
  for (const sms of fakes.outbox) expect(text).not.toContain(sms.code);
  for (const secret of [
    fakes.etna.adminToken,
    fakes.etna.appKey,
    fakes.zitadel.adminToken,
    fakes.clerk.secretKey,
  ])
    expect(text).not.toContain(secret);
}

describe('examples/<backend>.ts on their own fakes', () => {
  it.each(NAMES)('%s: bind → verify → get → remove, masked', async (name) => {
    const printed: string[] = [];
    const result = await RUNS[name]({ env: {}, out: (line) => printed.push(line) });
    expect(result.mode).toBe('fakes');
    expect(printed).toEqual(result.lines);
    expect(result.lines[0]).toMatch(/fake backends on http:\/\/127\.0\.0\.1:\d+/);
    expectWalked(name, result.lines, result.fakes!);
    expect(hasNoPhone(result.fakes!, name, result.userId!)).toBe(true);
  });
});

describe('examples/<backend>.ts against a "real" backend chosen by env vars', () => {
  let fakes: FakeBackends;
  let server: FakeServer;
  useFakeServer((started) => ({ fakes, server } = started));

  /** The env an operator would set, and the user it names at the backend. */
  function realEnv(name: Name): { env: NodeJS.ProcessEnv; userId: string } {
    const { env, userId } = backendEnv(fakes, server, name);
    return { env: { PHONE_BINDING_PROVIDER: name, ...env }, userId };
  }

  it.each(NAMES)('%s: asks for each code and talks only to the configured backend', async (name) => {
    const { env, userId } = realEnv(name);
    const before = fakes.requests.length;
    const prompts: string[] = [];
    const readCode = async (prompt: string, pending: PendingVerification) => {
      prompts.push(prompt);
      return fakes.lastCode(pending.phone.e164) ?? '';
    };
    const result = await RUNS[name]({ env, out: () => {}, readCode });
    expect(result.mode).toBe('real');
    expect(result.lines[0]).toMatch(/real backend \([A-Z_]+\), number \+41 ••• •• 67$/);
    expectWalked(name, result.lines, fakes);
    expect(prompts).toEqual(
      Array(name === 'authing' ? 2 : 1).fill('SMS code sent to +41 ••• •• 67: ') as string[],
    );
    const mount = name === 'zitadel-self' ? 'zitadel' : name;
    expect(fakes.requests.slice(before).every((request) => request.backend === mount)).toBe(true);
    expect(hasNoPhone(fakes, name, userId)).toBe(true);
  });

  it('uses DEMO_PHONE_NUMBER', async () => {
    const { env } = realEnv('zitadel');
    const result = await runZitadel({
      env: { ...env, DEMO_PHONE_NUMBER: '+1 213 373 4253' },
      out: () => {},
      readCode: async (_prompt, pending) => fakes.lastCode(pending.phone.e164) ?? '',
    });
    expect(result.lines.join('\n')).toContain('+1 ••• •• 53 → verified');
    expect(result.lines.join('\n')).not.toContain('2133734253');
  });

  it('names a missing variable, never a value', async () => {
    await expect(
      runClerk({
        env: { PHONE_BINDING_PROVIDER: 'clerk', CLERK_SECRET_KEY: 'sk_live_secret' },
        out: () => {},
      }),
    ).rejects.toThrow(/^CLERK_USER_ID is required/);
  });

  it('fails with the SDK’s error when the backend refuses the credential', async () => {
    const lines: string[] = [];
    const failure = runZitadelSelf({
      env: {
        PHONE_BINDING_PROVIDER: 'zitadel-self',
        ZITADEL_BASE_URL: server.urls.zitadel,
        ZITADEL_TOKEN: 'expired',
      },
      out: (line) => lines.push(line),
    });
    await expect(failure).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(lines).toHaveLength(1);
  });
});

describe('each example is runnable with one command', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const GUARD = 'if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(run);';

  it.each(NAMES)('examples/%s.ts ends with the main guard', async (name) => {
    const source = await readFile(`${root}examples/${name}.ts`, 'utf8');
    expect(source.trimEnd().endsWith(GUARD)).toBe(true);
  });

  // One real start (≈2 s for tsx): the guard and `main()` are the same line in every example.
  it('node --import tsx examples/etna.ts prints the walk and exits 0', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !REAL_VARS.test(key)));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'examples/etna.ts'],
      { cwd: root, env, timeout: 50_000 },
    );
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('ETNA Trader — fake backends on http://127.0.0.1:');
    expect(lines.slice(1).map((line) => /^ {2}✓ (\S+)/.exec(line)?.[1])).toEqual(STEPS.etna);
  }, 60_000);
});
