import { describe, expect, it } from 'vitest';
import { ADAPTERS, PROVIDER_IDS } from '../../adapters/registry.js';
import { runDemo } from '../../examples/demo.js';
import type { FakeBackends, FakeServer } from '../../src/testing/index.js';
import { backendEnv } from '../support/backend-env.js';
import { useFakeServer } from '../support/fake-server.js';

describe('npm run demo', () => {
  it('walks every adapter through bind → verify → get → remove → get on the fakes', async () => {
    const report = await runDemo({ env: {} });
    // bind, verify (where codes are sent), get, then remove (a second one where removal needs
    // a code, Authing) and get again where the adapter removes at all.
    const steps = PROVIDER_IDS.reduce((sum, id) => {
      const c = ADAPTERS[id].spec.capabilities;
      return sum + 2 + (c.codeVerification ? 1 : 0) + (c.remove ? 2 + (c.removeNeedsCode ? 1 : 0) : 0);
    }, 0);
    expect(report).toMatchObject({ adapters: PROVIDER_IDS.length, steps, failures: 0 });
    expect(report.lines.filter((line) => line.startsWith('  ✓'))).toHaveLength(steps);
    for (const name of [
      'etna',
      'authing',
      'zitadel (user service v2)',
      'zitadelSelf',
      'clerk',
      'supabase-admin',
      'cognito-admin',
    ]) {
      expect(report.lines.some((line) => line.startsWith(name))).toBe(true);
    }
    expect(report.lines.at(-1)).toContain('all passed');
    const text = report.lines.join('\n');
    expect(text).toContain('+41 ••• •• 67 → verified');
    expect(text).not.toContain('791234567');
  });

  describe('against a "real" backend chosen by environment variables', () => {
    let fakes: FakeBackends;
    let server: FakeServer;
    useFakeServer((started) => ({ fakes, server } = started));

    it('runs only the selected provider and asks for the SMS code', async () => {
      const { env } = backendEnv(fakes, server, 'zitadel');
      const prompts: string[] = [];
      const report = await runDemo({
        env: { PHONE_BINDING_PROVIDER: 'zitadel', ...env, DEMO_PHONE_NUMBER: '+41 78 123 45 67' },
        readCode: async (prompt) => {
          prompts.push(prompt);
          return fakes.lastCode('+41781234567') ?? '';
        },
      });
      expect(report).toMatchObject({ adapters: 1, steps: 5, failures: 0 });
      expect(prompts).toEqual(['SMS code sent to +41 ••• •• 67: ']);
      expect(
        fakes.requests.every(
          (request) => request.headers.authorization === `Bearer ${fakes.zitadel.adminToken}`,
        ),
      ).toBe(true);
    });

    it('runs Authing’s two-step removal against the selected backend', async () => {
      const { env } = backendEnv(fakes, server, 'authing');
      const report = await runDemo({
        env: { PHONE_BINDING_PROVIDER: 'authing', ...env, DEMO_PHONE_NUMBER: '+86 188 0000 8888' },
        readCode: async () => fakes.lastCode('+8618800008888') ?? '',
      });
      expect(report).toMatchObject({ adapters: 1, steps: 6, failures: 0 });
      expect(report.lines.join('\n')).toContain('removal pending');
    });

    it('runs ETNA with its app key and numeric user id', async () => {
      const { env } = backendEnv(fakes, server, 'etna');
      const report = await runDemo({
        env: { PHONE_BINDING_PROVIDER: 'etna', ...env },
        readCode: async () => fakes.lastCode('+41791234567') ?? '',
      });
      expect(report).toMatchObject({ adapters: 1, steps: 5, failures: 0 });
    });

    it('reports a failed step and a non-zero failure count', async () => {
      const report = await runDemo({
        env: {
          PHONE_BINDING_PROVIDER: 'zitadel-self',
          ZITADEL_BASE_URL: server.urls.zitadel,
          ZITADEL_TOKEN: 'expired',
        },
        readCode: async () => '',
      });
      expect(report.failures).toBe(1);
      expect(report.lines.join('\n')).toContain('✗ bind    unauthenticated');
    });

    it('refuses an unknown provider', async () => {
      await expect(runDemo({ env: { PHONE_BINDING_PROVIDER: 'nope' } })).rejects.toThrow(/not one of/);
    });
  });
});
