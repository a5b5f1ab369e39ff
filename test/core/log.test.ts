/**
 * The `logger` option: one line per attempt (debug), per retry (info) and per failed operation
 * (by its code), at or above `logLevel` (default PHONE_BINDING_LOG, else 'warn'), masked.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import { isPhoneBindingError, type Logger, type LogLevel } from '../../src/index.js';
import { createFakeBackends } from '../../src/testing/index.js';

function capture(): { logger: Logger; lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  const at = (level: string) => (line: string) => {
    lines.push([level, line]);
  };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((error: unknown) => error);
}

function setup(logLevel?: LogLevel, more: Record<string, unknown> = {}) {
  const fakes = createFakeBackends();
  const { userId } = fakes.zitadel.createUser();
  const { logger, lines } = capture();
  const phones = zitadel({
    baseUrl: fakes.urls.zitadel,
    token: fakes.zitadel.adminToken,
    fetch: fakes.fetch,
    logger,
    ...(logLevel ? { logLevel } : {}),
    ...more,
  });
  return { fakes, userId, phones, lines };
}

describe('logger and logLevel', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('debug: one line per attempt with provider, operation, method, masked URL, status, duration', async () => {
    const { phones, userId, lines, fakes } = setup('debug');
    const pending = await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
    expect(lines.map(([level]) => level)).toEqual(['debug', 'debug']);
    expect(lines[0]?.[1]).toMatch(
      new RegExp(
        `^phone-binding: zitadel bind GET https://\\S+/zitadel/v2/users/${userId} → 200 in [\\d.]+ ms$`,
      ),
    );
    expect(lines[1]?.[1]).toMatch(/^phone-binding: zitadel bind POST \S+\/phone → 2\d\d in [\d.]+ ms$/);
    if (pending.state !== 'pending') throw new Error('expected pending');
    await phones.verify({ ticket: pending.ticket, code: fakes.lastCode() ?? '' });
    expect(lines).toHaveLength(3);
  });

  it('a retry is an info line; a failed operation a line at its code’s level, with status and request id', async () => {
    vi.useFakeTimers();
    const { phones, userId, lines, fakes } = setup('info');
    fakes.injectFault({
      backend: 'zitadel',
      method: 'GET',
      status: 503,
      times: 3,
      body: { code: 14, message: 'down' },
    });
    const call = settle(phones.get({ userId }));
    await vi.runAllTimersAsync();
    const error = await call;
    expect(isPhoneBindingError(error) && error.code).toBe('provider_error');
    expect(lines.map(([level]) => level)).toEqual(['info', 'info', 'error']);
    expect(lines[0]?.[1]).toMatch(/^phone-binding: zitadel get: retry 1 of GET \S+$/);
    expect(lines[2]?.[1]).toMatch(
      /^phone-binding: zitadel get failed in \d+ ms: provider_error \(HTTP 503\)/,
    );
  });

  it('levels by code: a wrong code is info, a refused credential warn, a broken backend error', async () => {
    const { phones, userId, lines } = setup('info');
    const pending = await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
    if (pending.state !== 'pending') throw new Error('expected pending');
    await settle(phones.verify({ ticket: pending.ticket, code: 'WRONG1' }));
    expect(lines.at(-1)).toEqual(['info', expect.stringMatching(/verify failed in \d+ ms: invalid_code/)]);
    const refused = setup('info', { token: 'revoked-token-Xy81' });
    await settle(refused.phones.get({ userId: refused.userId }));
    expect(refused.lines.at(-1)).toEqual([
      'warn',
      expect.stringMatching(/get failed .*: unauthenticated \(HTTP 401\)/),
    ]);
    expect(JSON.stringify(refused.lines)).not.toContain('revoked-token-Xy81');
  });

  it('the default level is warn (PHONE_BINDING_LOG overrides it); silent writes nothing', async () => {
    vi.stubEnv('PHONE_BINDING_LOG', '');
    const plain = setup(undefined, { token: 'revoked' });
    await settle(plain.phones.bind({ userId: plain.userId, phoneNumber: '+41 79 123 45 67' }));
    expect(plain.lines.map(([level]) => level)).toEqual(['warn']);
    vi.stubEnv('PHONE_BINDING_LOG', 'debug');
    const verbose = setup();
    await verbose.phones.get({ userId: verbose.userId });
    expect(verbose.lines.map(([level]) => level)).toEqual(['debug']);
    const silent = setup('silent', { token: 'revoked' });
    await settle(silent.phones.get({ userId: silent.userId }));
    expect(silent.lines).toEqual([]);
  });

  it('console is the default logger', async () => {
    vi.stubEnv('PHONE_BINDING_LOG', 'warn');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fakes = createFakeBackends();
    const phones = zitadelSelf({ baseUrl: fakes.urls.zitadel, token: 'revoked', fetch: fakes.fetch });
    await settle(phones.get({}));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^phone-binding: zitadel-self get failed .*unauthenticated/,
    );
  });

  it('the number, the code and the token never show; a throwing logger changes nothing', async () => {
    const { phones, userId, lines, fakes } = setup('debug');
    const pending = await phones.bind({ userId, phoneNumber: '+41 79 123 45 67' });
    if (pending.state !== 'pending') throw new Error('expected pending');
    const code = fakes.lastCode() ?? '';
    await settle(phones.verify({ ticket: pending.ticket, code: `${code}X` }));
    const text = JSON.stringify(lines);
    for (const secret of ['41791234567', '791234567', code, fakes.zitadel.adminToken]) {
      expect(text).not.toContain(secret);
    }
    const throwing = zitadel({
      baseUrl: fakes.urls.zitadel,
      token: fakes.zitadel.adminToken,
      fetch: fakes.fetch,
      logLevel: 'debug',
      logger: {
        debug: () => {
          throw new Error('log sink down');
        },
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    });
    await expect(throwing.get({ userId })).resolves.toMatchObject({
      provider: 'zitadel',
      phone: { e164: '+41791234567' },
    });
  });

  it('a logger without the four methods, or an unknown level, is invalid_input at creation', () => {
    const fakes = createFakeBackends();
    const base = { baseUrl: fakes.urls.zitadel, token: 't' };
    expect(() => zitadel({ ...base, logger: { log: () => undefined } as unknown as Logger })).toThrow(
      /logger must have debug, info, warn and error functions/,
    );
    expect(() => zitadel({ ...base, logLevel: 'verbose' as LogLevel })).toThrow(/logLevel must be one of/);
  });
});
