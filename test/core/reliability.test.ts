/** Retry policy, deadlines, credential refresh, signed tickets and inspect output. */
import { inspect } from 'node:util';
import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { zitadel, zitadelSelf } from '../../adapters/zitadel/index.js';
import { PhoneBindingError, type VerificationTicket } from '../../src/index.js';
import { createFakeBackends } from '../../src/testing/msw.js';
import { useMsw } from '../support/msw.js';
import { rejection } from '../support/rejection.js';

const BASE = 'https://zitadel.reliability.test';
const server = useMsw();
afterEach(() => vi.useRealTimers());

describe('retries and time', () => {
  it('a Retry-After above maxRetryAfter ends the read at once with retryAfterMs', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/auth/v1/users/me/phone`, () => {
        calls += 1;
        return HttpResponse.json(
          { code: 8, message: 'slow down' },
          { status: 429, headers: { 'retry-after': '120' } },
        );
      }),
    );
    const error = await rejection(zitadelSelf({ baseUrl: BASE, token: 't', maxRetryAfter: 5000 }).get({}));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000, retryable: true });
    expect(calls).toBe(1);
  });

  it('a Retry-After within the cap is waited out (fake timers) and the read retried', async () => {
    vi.useFakeTimers();
    let calls = 0;
    server.use(
      http.get(`${BASE}/auth/v1/users/me/phone`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ code: 14 }, { status: 503, headers: { 'retry-after': '3' } })
          : HttpResponse.json({ details: {}, phone: {} });
      }),
    );
    const pending = zitadelSelf({ baseUrl: BASE, token: 't' }).get({});
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toBeNull();
    expect(calls).toBe(2);
  });

  it('the deadline bounds the whole operation (retries and waits) and gives timeout', async () => {
    vi.useFakeTimers();
    server.use(
      http.get(`${BASE}/auth/v1/users/me/phone`, () => HttpResponse.json({ code: 14 }, { status: 503 })),
    );
    const pending = rejection(zitadelSelf({ baseUrl: BASE, token: 't', retry: 10, deadline: 2000 }).get({}));
    await vi.advanceTimersByTimeAsync(2000);
    const error = await pending;
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toContain('deadline of 2000 ms');
  });

  it('the caller’s abort is network with the abort reason, distinct from timeout', async () => {
    server.use(
      http.get(`${BASE}/auth/v1/users/me/phone`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = rejection(
      zitadelSelf({ baseUrl: BASE, token: 't' }).get({}, { signal: controller.signal }),
    );
    const reason = new Error('user left the page');
    controller.abort(reason);
    const error = await pending;
    expect(error).toMatchObject({ code: 'network', retryable: false });
    expect(error.cause).toBe(reason);
  });

  it('a timeout on an SMS request is not "safe to ask again"', async () => {
    vi.useFakeTimers();
    server.use(
      // bind() reads the current number first (a change names what it replaces): none.
      http.get(`${BASE}/auth/v1/users/me/phone`, () => HttpResponse.json({ details: {} })),
      http.put(`${BASE}/auth/v1/users/me/phone`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const pending = rejection(
      zitadelSelf({ baseUrl: BASE, token: 't', timeout: 1000 }).bind({ phoneNumber: '+41791234567' }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const error = await pending;
    expect(error).toMatchObject({ code: 'timeout', retryable: false });
    expect(error.message).toContain('second one');
  });

  it('after a 401 a credential function is asked again and the request repeated once', async () => {
    const seen: string[] = [];
    server.use(
      // bind() reads the current number first (none), then sends the SMS request.
      http.get(`${BASE}/auth/v1/users/me/phone`, () => HttpResponse.json({ details: {} })),
      http.put(`${BASE}/auth/v1/users/me/phone`, ({ request }) => {
        seen.push(request.headers.get('authorization') ?? '');
        return seen.length === 1
          ? HttpResponse.json({ code: 16, message: 'expired' }, { status: 401 })
          : HttpResponse.json({ details: {} });
      }),
    );
    const tokens = ['read-token', 'expired-token', 'fresh-token'];
    const token = vi.fn(async () => tokens.shift() ?? 'none');
    const result = await zitadelSelf({ baseUrl: BASE, token }).bind({ phoneNumber: '+41791234567' });
    expect(result.state).toBe('pending');
    expect(seen).toEqual(['Bearer expired-token', 'Bearer fresh-token']);
    expect(token).toHaveBeenCalledTimes(3);
  });

  it('a string credential is not repeated after a 401, and a second 401 ends the call', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/auth/v1/users/me/phone`, () => {
        calls += 1;
        return HttpResponse.json({ code: 16 }, { status: 401 });
      }),
    );
    expect(await rejection(zitadelSelf({ baseUrl: BASE, token: 'static' }).get({}))).toMatchObject({
      code: 'unauthenticated',
    });
    expect(calls).toBe(1);
    expect(await rejection(zitadelSelf({ baseUrl: BASE, token: () => 'refreshing' }).get({}))).toMatchObject({
      code: 'unauthenticated',
    });
    expect(calls).toBe(3);
  });
});

describe('signed tickets (ticketSecret)', () => {
  function setup(ticketSecret = 'a-ticket-secret-of-32-characters!') {
    const fakes = createFakeBackends();
    server.use(...fakes.handlers);
    const { userId } = fakes.zitadel.createUser();
    const binding = zitadel({ baseUrl: fakes.urls.zitadel, token: fakes.zitadel.adminToken, ticketSecret });
    return { fakes, userId, binding };
  }

  async function pendingTicket(env: ReturnType<typeof setup>): Promise<VerificationTicket> {
    const result = await env.binding.bind({ userId: env.userId, phoneNumber: '+41791234567' });
    if (result.state !== 'pending') throw new Error('expected pending');
    return result.ticket;
  }

  it('tickets carry a signature that survives JSON and verifies', async () => {
    const env = setup();
    const ticket = JSON.parse(JSON.stringify(await pendingTicket(env))) as VerificationTicket;
    expect(ticket.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(env.binding.verify({ ticket, code: env.fakes.lastCode()! })).resolves.toMatchObject({
      state: 'verified',
    });
  });

  it.each<[string, (t: VerificationTicket) => VerificationTicket]>([
    ['another user', (t) => ({ ...t, userId: 'someone-else' })],
    ['another number', (t) => ({ ...t, phone: '+41781234567' })],
    ['a later expiry', (t) => ({ ...t, expiresAt: new Date(Date.now() + 3_600_000).toISOString() })],
    ['no signature', ({ signature: _, ...t }) => t],
    ['a forged signature', (t) => ({ ...t, signature: 'A'.repeat(43) })],
    ['a signature that is not base64url', (t) => ({ ...t, signature: '!!!' })],
  ])('a ticket with %s is invalid_input before any request', async (_name, change) => {
    const env = setup();
    const ticket = change(await pendingTicket(env));
    const before = env.fakes.requests.length;
    for (const call of [
      () => env.binding.verify({ ticket, code: '123456' }),
      () => env.binding.resend({ ticket }),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: 'invalid_input' });
    }
    expect(env.fakes.requests.length).toBe(before);
  });

  it('a ticket signed with another secret is refused', async () => {
    const ticket = await pendingTicket(setup('the-first-secret-0123456789'));
    const other = setup('the-other-secret-0123456789');
    expect(
      await rejection(other.binding.verify({ ticket: { ...ticket, userId: other.userId }, code: '1' })),
    ).toMatchObject({
      code: 'invalid_input',
    });
  });

  it('resend signs its new ticket; an expired signed ticket is code_expired for verify', async () => {
    const env = setup();
    const ticket = await pendingTicket(env);
    const again = await env.binding.resend({ ticket });
    expect(again.ticket.signature).toBeDefined();
    vi.useFakeTimers({ toFake: ['Date'] });
    const expired = { ...again.ticket, expiresAt: new Date(Date.now() - 1).toISOString() };
    // Re-sign the changed ticket the way the adapter would, to isolate the expiry check.
    const { TicketSigner } = await import('../../src/internal/ticket-signer.js');
    const resigned = await new TicketSigner('a-ticket-secret-of-32-characters!').sign(expired);
    expect(await rejection(env.binding.verify({ ticket: resigned, code: '123456' }))).toMatchObject({
      code: 'code_expired',
    });
  });

  it('a short ticketSecret is refused at creation, naming the option only', () => {
    expect(() => zitadel({ baseUrl: BASE, token: 't', ticketSecret: 'short' })).toThrow(
      /ticketSecret must be/,
    );
  });
});

describe('inspect and JSON of errors', () => {
  it('show masked fields, and of the cause only its name and code', () => {
    const cause = Object.assign(new Error('token sk_live_LEAK in the message'), { code: 'E_CREDENTIAL' });
    const error = new PhoneBindingError({
      code: 'unauthenticated',
      message: 'The token function threw.',
      cause,
    });
    const shown = inspect(error, { depth: 5 });
    expect(shown).toContain('unauthenticated');
    expect(shown).toContain('Error E_CREDENTIAL');
    expect(shown).not.toContain('sk_live_LEAK');
    expect(JSON.stringify(error)).not.toContain('sk_live_LEAK');
  });
});
