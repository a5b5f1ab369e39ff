/**
 * Redaction proof: for every adapter, every error and fault path we can provoke runs with all three
 * hooks attached, and every surface a caller or a log could show — error.message, String(error),
 * JSON.stringify(error), util.inspect(error), error.details, error.stack, every hook event — is
 * searched for the number (E.164, digits only, national digits, grouped national digits), the
 * codes and the credentials.
 *
 * Leaks these found are fixed and kept as regression cases; known limitations stay as `it.fails`.
 */
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADAPTERS } from '../../adapters/registry.js';
import type { Hooks, PendingVerification, PhoneBindingError, ProviderId } from '../../src/index.js';
import type {
  FakeBackendsWithHandlers as FakeBackends,
  Fault,
  RecordedRequest,
} from '../../src/testing/msw.js';
import { otherCode } from '../support/codes.js';
import { useMsw } from '../support/msw.js';
import {
  bindArg,
  bindPending,
  codeOf,
  type Env,
  fakesWithCodes,
  PHONE,
  PHONE_FORMS,
  rejection,
  TARGETS,
  type Target,
  userArg,
  ZITADEL_RETURN_CODE,
} from './proof-targets.js';

/**
 * The request that removes the number: a DELETE, or Cognito's `POST /` named by its
 * `x-amz-target` (every Cognito operation is a POST).
 */
function isRemoval(request: RecordedRequest): boolean {
  return request.method === 'DELETE' || /DeleteUserAttributes$/.test(request.headers['x-amz-target'] ?? '');
}

/** The backends whose remove() deletes without reading the number first (one number per user). */
const DELETE_UNREAD: readonly ProviderId[] = ['etna', 'zitadel', 'zitadel-self'];

const server = useMsw();
const totals = { surfaces: 0, leaks: 0, knownBugSurfaces: 0, knownBugLeaks: 0 };

afterAll(() => {
  console.log(`redaction: ${totals.surfaces} surfaces scanned, ${totals.leaks} leaks`);
  console.log(
    `redaction (known-bug it.fails cases, not in the line above): ${totals.knownBugSurfaces} surfaces, ${totals.knownBugLeaks} leaks`,
  );
});

/** Every string a caller, a logger or an observer could see of an error. */
function errorSurfaces(label: string, error: PhoneBindingError): Array<[string, string]> {
  const details = error.details;
  return [
    [`${label} error.message`, error.message],
    [`${label} String(error)`, String(error)],
    [`${label} JSON.stringify(error)`, JSON.stringify(error)],
    [`${label} util.inspect(error)`, inspect(error, { depth: 10 })],
    [`${label} error.stack`, error.stack ?? ''],
    [`${label} error.details`, typeof details === 'string' ? details : (JSON.stringify(details) ?? '')],
    [`${label} util.inspect(error.details)`, inspect(details, { depth: 10 })],
    [`${label} error.providerCode`, error.providerCode ?? ''],
    [`${label} error.requestId`, error.requestId ?? ''],
  ];
}

function eventSurfaces(events: unknown[]): Array<[string, string]> {
  return events.flatMap((event, i): Array<[string, string]> => {
    const type = (event as { type: string }).type;
    return [
      [`hook ${type} #${i} JSON`, JSON.stringify(event)],
      [`hook ${type} #${i} inspect`, inspect(event, { depth: 10 })],
    ];
  });
}

/** Finds every secret in every surface; returns "surface: secret" lines. */
function leaksIn(surfaces: Array<[string, string]>, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of surfaces) {
    for (const secret of secrets) {
      if (secret.length > 0 && text.includes(secret)) leaks.push(`${where} shows ${JSON.stringify(secret)}`);
    }
  }
  return leaks;
}

/**
 * Text a misbehaving backend echoes: the number in every spelling, the codes of this call, the
 * credentials. Only what the call itself handed the SDK (or got back): the SDK cannot know a code
 * it never saw.
 */
function echo(codes: string[], credentials: string[]): string {
  const [e164, digits, national, grouped] = PHONE_FORMS;
  const code = codes.length > 0 ? ` with code ${codes.join(', ')}` : '';
  return `rejected ${e164} (${digits}; ${national}; ${grouped}; +41 ${grouped})${code} for ${credentials.join(' / ')}`;
}

/** An error body in the backend's own shape, every free-text field echoing. */
/** The backend's error answer (its fake's shape) echoing `text`, with the secrets in its extra fields. */
function echoBody(target: Target, text: string, codes: string[], credentials: string[]): unknown {
  const sensitive = {
    phone_number: PHONE,
    phoneNumber: PHONE_FORMS[2],
    verification_code: codes[0] ?? '',
    token: credentials[0] ?? '',
  };
  return target.errorBody({
    status: 503,
    code: '5000',
    requestId: 'req-0001',
    message: text,
    extra: sensitive,
  });
}

for (const target of [...TARGETS, ZITADEL_RETURN_CODE]) {
  describe(`redaction: ${target.name}`, () => {
    // Adapters that only bind as verified (no codes) run every proof that does not need a code.
    const withCode = target.codes ? it : it.skip;
    let fakes: FakeBackends;
    let env: Env;
    let events: unknown[];
    let errors: Array<[string, PhoneBindingError]>;
    /** Codes tried that were not issued (wrong ones). */
    let triedCodes: string[];
    /** Codes handed back by the backend (Zitadel return-code). */
    let returnedCodes: string[];

    const hooks: Hooks = {
      request: (event) => events.push(event),
      response: (event) => events.push(event),
      error: (event) => events.push(event),
    };

    /** Every log line of the test, at every level (the logger is a surface like the hooks). */
    let logLines: string[] = [];
    const keep = (line: string) => {
      logLines.push(line);
    };
    const logger = { debug: keep, info: keep, warn: keep, error: keep };

    function setup(extra: { timeout?: number } = {}): Env {
      return target.setup(fakes, {
        hooks,
        logger,
        logLevel: 'debug',
        ...(extra.timeout ? { timeout: extra.timeout } : {}),
      });
    }

    beforeEach(() => {
      fakes = fakesWithCodes();
      server.resetHandlers(...fakes.handlers);
      logLines = [];
      events = [];
      errors = [];
      triedCodes = [];
      returnedCodes = [];
      env = setup();
    });

    afterEach(() => {
      vi.useRealTimers();
    });

    function secrets(): string[] {
      return [
        ...PHONE_FORMS,
        ...fakes.outbox.map((sms) => sms.code),
        ...returnedCodes,
        ...triedCodes,
        ...env.secrets,
        env.badSecret,
      ];
    }

    async function pending(): Promise<PendingVerification> {
      const result = await bindPending(env);
      if (result.code) returnedCodes.push(result.code);
      return result;
    }

    /** A pending verification and its code where the adapter sends codes, else nothing. */
    async function pendingWithCode(): Promise<{ p: PendingVerification; code: string } | undefined> {
      if (!target.codes) return undefined;
      const p = await pending();
      return { p, code: codeFor(p) };
    }

    function codeFor(p: PendingVerification): string {
      return codeOf(fakes, p);
    }

    async function provoke(label: string, call: () => Promise<unknown>): Promise<PhoneBindingError> {
      const error = await rejection(call);
      errors.push([label, error]);
      return error;
    }

    /** Every surface of the test's errors and events, and the secrets that show on them. */
    function surfacesAndLeaks() {
      const surfaces = [
        ...errors.flatMap(([label, error]) => errorSurfaces(label, error)),
        ...eventSurfaces(events),
        ...logLines.map((line, i): [string, string] => [`log line #${i}`, line]),
      ];
      return { surfaces, leaks: leaksIn(surfaces, secrets()) };
    }

    /** Scans every error and event of the test; expects at least `minErrors` errors and no leak. */
    function scan(minErrors = 1): void {
      expect(errors.length).toBeGreaterThanOrEqual(minErrors);
      expect(events.some((e) => (e as { type: string }).type === 'error')).toBe(true);
      // Every failed operation wrote its line (they are scanned with the rest).
      expect(logLines.filter((line) => / failed in \d+ ms: /.test(line)).length).toBeGreaterThanOrEqual(
        minErrors,
      );
      const { surfaces, leaks } = surfacesAndLeaks();
      totals.surfaces += surfaces.length;
      totals.leaks += leaks.length;
      expect(leaks).toEqual([]);
    }

    /** Like scan(), for the known-bug cases: counted apart, expected to find leaks today. */
    function scanKnownBug(): void {
      const { surfaces, leaks } = surfacesAndLeaks();
      totals.knownBugSurfaces += surfaces.length;
      totals.knownBugLeaks += leaks.length;
      expect(leaks).toEqual([]);
    }

    function fault(f: Fault): void {
      fakes.injectFault({ backend: target.fake, ...f });
    }

    /** After this, resend() is allowed again (Authing: one SMS a minute; Clerk: 30 s). */
    function laterByMinutes(minutes: number): void {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + minutes * 60_000);
    }

    withCode('a wrong code', async () => {
      const p = await pending();
      const wrong = otherCode(codeFor(p));
      triedCodes.push(wrong);
      const error = await provoke('verify wrong code', () =>
        env.binding.verify({ ticket: p.ticket, code: wrong }),
      );
      expect(error.code).toBe('invalid_code');
      scan();
    });

    withCode('an expired code (fake Date)', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const p = await pending();
      // Past every backend's code lifetime: Cognito's attribute codes live 24 hours.
      vi.setSystemTime(Date.now() + 25 * 60 * 60_000);
      const code = codeFor(p);
      const error = await provoke('verify expired', () => env.binding.verify({ ticket: p.ticket, code }));
      expect(['code_expired', 'invalid_code']).toContain(error.code);
      if (p.ticket.expiresAt !== undefined) {
        // Clerk: the ticket says it expired; without expiresAt the backend is asked and says so too.
        const { expiresAt: _, ...ticket } = p.ticket;
        const remote = await provoke('verify expired (backend)', () => env.binding.verify({ ticket, code }));
        expect(remote.code).toBe('code_expired');
      }
      scan();
    });

    it('a refused credential', async () => {
      const bad = env.bad();
      const read = await provoke('get bad credential', () => bad.get(userArg(env)));
      expect(read.code).toBe('unauthenticated');
      const write = await provoke('bind bad credential', () =>
        bad.bind({ ...bindArg(env), phoneNumber: '+41 79 123 45 67' }),
      );
      expect(write.code).toBe('unauthenticated');
      scan(2);
    });

    it('a credential function that throws (or answers junk) naming the secret and the number', async () => {
      const [secret = ''] = env.secrets;
      const throwing = target.setup(fakes, {
        hooks,
        logger,
        logLevel: 'debug',
        credential: () => {
          throw new Error(`refresh failed for ${secret} and ${PHONE}`);
        },
      }).binding;
      const thrown = await provoke('bind, credential throws', () =>
        throwing.bind({ ...bindArg(env), phoneNumber: PHONE }),
      );
      expect(thrown.code).toBe('unauthenticated');
      const junk = target.setup(fakes, {
        hooks,
        logger,
        logLevel: 'debug',
        credential: async () => `${secret}\r\n${PHONE}`,
      }).binding;
      const refused = await provoke('get, credential with CR/LF', () => junk.get(userArg(env)));
      expect(refused.code).toBe('invalid_input');
      scan(2);
    });

    it('503 answers echoing the number, the code and the credentials, on every operation', async () => {
      const sent = await pendingWithCode();
      const body = (codes: string[]) => echoBody(target, echo(codes, env.secrets), codes, env.secrets);
      const u = userArg(env);

      fault({ status: 503, body: body([]) });
      await provoke('bind 503', () => env.binding.bind({ ...bindArg(env), phoneNumber: '+41 79 123 45 67' }));

      if (sent) {
        const { p, code } = sent;
        fault({ status: 503, body: body([code]) });
        await provoke('verify 503', () => env.binding.verify({ ticket: p.ticket, code }));
        if (env.binding.capabilities.resend) {
          laterByMinutes(2);
          fault({ status: 503, body: body([]) });
          await provoke('resend 503', () => env.binding.resend({ ticket: p.ticket }));
        }
      }

      if (env.binding.capabilities.remove) {
        fault({ status: 503, body: body([]) });
        await provoke('remove(phoneNumber) 503', () => env.binding.remove({ ...u, phoneNumber: PHONE }));
      }

      for (const [label, error] of errors) expect(error.code, label).not.toBe('invalid_input');
      scan(sent ? 4 : 1);
    });

    it('2xx answers that break the schema, echoing the number and the code', async () => {
      const sent = await pendingWithCode();
      const code = sent?.code ?? '';
      const text = (codes: string[]) => echo(codes, env.secrets);
      // Every field an adapter reads, with the wrong type and an echo next to it.
      const wrongTypes = (codes: string[]) => ({
        unexpected: text(codes),
        phone: PHONE,
        phoneNumber: PHONE_FORMS[1],
        verificationCode: 914,
        m_Item1: text(codes),
        m_Item2: text(codes),
        PhoneNumberState: text(codes),
        statusCode: text(codes),
        id: 5,
        status: 5,
        phone_number: PHONE_FORMS[1],
        phone_numbers: text(codes),
        user: text(codes),
        data: text(codes),
      });
      const u = userArg(env);

      // Zitadel's v1 mutation answers are read as "any object" (their `details` are unused), so
      // the bind there gets a body that is not an object at all.
      fault({ status: 200, body: target.provider === 'zitadel-self' ? [wrongTypes([])] : wrongTypes([]) });
      const bind = await provoke('bind 200 bad schema', () =>
        env.binding.bind({ ...bindArg(env), phoneNumber: PHONE }),
      );
      const checked = [bind];
      if (sent) {
        const { p } = sent;
        fault({ status: 200, body: [text([code]), { phone_number: PHONE, code }] });
        checked.push(await provoke('verify 200 array', () => env.binding.verify({ ticket: p.ticket, code })));
        fault({ status: 201, body: text([code]) });
        await provoke('verify 201 JSON string', () => env.binding.verify({ ticket: p.ticket, code }));
      } else {
        // (Not get(): it is never given the number — the LIMITATION case below.)
        fault({ status: 201, body: text([]) });
        checked.push(
          await provoke('bind 201 JSON string', () =>
            env.binding.bind({ ...bindArg(env), phoneNumber: PHONE }),
          ),
        );
      }
      if (env.binding.capabilities.remove) {
        fault({ status: 200, body: [wrongTypes([])] });
        await provoke('remove(phoneNumber) 200 bad schema', () =>
          env.binding.remove({ ...u, phoneNumber: PHONE }),
        );
      }
      for (const error of checked) {
        // Authing reads `statusCode` first: a body without a numeric one is still not a success.
        expect(['invalid_response', 'provider_error']).toContain(error.code);
      }
      scan(sent ? 4 : 2);
    });

    it('non-JSON bodies echoing the number and the code (200 and 500)', async () => {
      const sent = await pendingWithCode();
      const html = (codes: string[]) => `<html><body>${echo(codes, env.secrets)}</body></html>`;
      const u = bindArg(env);

      fault({ status: 200, body: html([]), headers: { 'content-type': 'text/html' } });
      await provoke('bind 200 html', () => env.binding.bind({ ...u, phoneNumber: PHONE }));
      if (sent) {
        const { p, code } = sent;
        const text = html([code]);
        fault({ status: 200, body: text, headers: { 'content-type': 'application/json' } });
        await provoke('verify 200 not json', () => env.binding.verify({ ticket: p.ticket, code }));
        fault({ status: 500, body: text, headers: { 'content-type': 'text/plain' } });
        await provoke('verify 500 text', () => env.binding.verify({ ticket: p.ticket, code }));
      }
      fault({ status: 502, body: `${html([])}${'x'.repeat(1000)}${PHONE}` });
      await provoke('bind 502 long text', () => env.binding.bind({ ...u, phoneNumber: PHONE }));
      scan(sent ? 4 : 2);
    });

    it('a network error on every operation', async () => {
      const sent = await pendingWithCode();
      const u = userArg(env);
      fault({ networkError: true });
      const bind = await provoke('bind network', () =>
        env.binding.bind({ ...bindArg(env), phoneNumber: PHONE }),
      );
      expect(bind.code).toBe('network');
      if (sent) {
        fault({ networkError: true });
        await provoke('verify network', () => env.binding.verify({ ticket: sent.p.ticket, code: sent.code }));
      }
      fault({ networkError: true });
      await provoke('get network', () => env.binding.get(u));
      if (env.binding.capabilities.remove) {
        fault({ networkError: true });
        await provoke('remove network', () => env.binding.remove({ ...u, phoneNumber: PHONE }));
      }
      scan(sent ? 4 : 2);
    });

    it('a timeout (fake timers)', async () => {
      env = setup({ timeout: 1000 });
      const sent = await pendingWithCode();
      vi.useFakeTimers();
      fault({ delayMs: 60_000, status: 503, body: echo(sent ? [sent.code] : [], env.secrets) });
      const call = sent
        ? provoke('verify timeout', () => env.binding.verify({ ticket: sent.p.ticket, code: sent.code }))
        : provoke('bind timeout', () => env.binding.bind({ ...bindArg(env), phoneNumber: PHONE }));
      await vi.advanceTimersByTimeAsync(1_500);
      const error = await call;
      expect(error.code).toBe('timeout');
      // Let the delayed fake answer go, so nothing is left pending.
      await vi.advanceTimersByTimeAsync(60_000);
      vi.useRealTimers();
      scan();
    });

    it('a 4xx the backend explains by echoing the number (bind) and the code (verify)', async () => {
      fault({ status: 400, body: echoBody(target, echo([], env.secrets), [], env.secrets) });
      await provoke('bind 400 echo', () => env.binding.bind({ ...bindArg(env), phoneNumber: PHONE }));
      if (!target.codes) {
        scan(1);
        return;
      }
      const p = await pending();
      const code = codeFor(p);
      const text = echo([code], env.secrets);
      fault({ status: 422, body: echoBody(target, text, [code], env.secrets) });
      await provoke('verify 422 echo', () => env.binding.verify({ ticket: p.ticket, code }));
      fault({
        status: 429,
        headers: { 'retry-after': '120' },
        body: echoBody(target, text, [code], env.secrets),
      });
      await provoke('verify 429 echo', () => env.binding.verify({ ticket: p.ticket, code }));
      scan(3);
    });

    // --- Adapter-specific error paths -------------------------------------------------------

    // Written for these adapters' own error paths; a new backend brings its own in its tests.
    it.runIf(['authing', 'clerk', ...DELETE_UNREAD].includes(target.provider))(
      'adapter-specific error paths (removal codes, cleanup after a failed send, odd states)',
      async () => {
        const u = userArg(env);
        if (target.provider === 'clerk') {
          // The SMS send fails after the number was created; its clean-up DELETE fails too.
          const body = echoBody(target, echo([], env.secrets), [], env.secrets);
          fault({ status: 503, path: /prepare_verification$/, body });
          fault({ status: 503, method: 'DELETE', body });
          const error = await provoke('bind, send and clean-up fail', () =>
            env.binding.bind({ ...u, phoneNumber: '+41 79 123 45 67' }),
          );
          expect(JSON.stringify(error.details)).toContain('leftUnverifiedPhoneNumberId');
        }
        const p = await pending();
        const code = codeFor(p);
        if (target.provider === 'authing') {
          // resend() inside Authing's one-SMS-a-minute window: refused locally.
          await provoke('resend too soon', () => env.binding.resend({ ticket: p.ticket }));
          await env.binding.verify({ ticket: p.ticket, code });
          const removal = await env.binding.remove(u);
          if (removal.state !== 'pending') throw new Error('expected a pending removal');
          const wrong = otherCode(codeOf(fakes, removal));
          triedCodes.push(wrong);
          await provoke('remove wrong code', () =>
            env.binding.remove({ ticket: removal.ticket, code: wrong }),
          );
          // A change of number (verify-update-phone-request) with a wrong code.
          const change = await env.binding.bind({ phoneNumber: '+41 79 123 45 68' });
          if (change.state !== 'pending') throw new Error('expected a pending change');
          const wrongChange = otherCode(codeOf(fakes, change));
          triedCodes.push(wrongChange);
          await provoke('change wrong code', () =>
            env.binding.verify({ ticket: change.ticket, code: wrongChange }),
          );
        } else if (target.provider === 'clerk') {
          // Three wrong codes lock the verification (too_many_attempts).
          const wrong = otherCode(code);
          triedCodes.push(wrong);
          for (let i = 0; i < 4; i += 1) {
            await provoke(`verify wrong code #${i + 1}`, () =>
              env.binding.verify({ ticket: p.ticket, code: wrong }),
            );
          }
        } else if (target.provider === 'etna') {
          // A 200 that does not say Active is not a success.
          fault({ status: 200, body: { PhoneNumber: PHONE, PhoneNumberState: 'NotVerified' } });
          await provoke('verify 200 NotVerified', () => env.binding.verify({ ticket: p.ticket, code }));
          const wrong = otherCode(code);
          triedCodes.push(wrong);
          for (let i = 0; i < 6; i += 1) {
            await provoke(`verify wrong code #${i + 1}`, () =>
              env.binding.verify({ ticket: p.ticket, code: wrong }),
            );
          }
        } else if (DELETE_UNREAD.includes(target.provider)) {
          // Zitadel: the same unverified number again, as verified, is refused.
          if (env.binding.capabilities.assertVerified) {
            await provoke('bind same number verified', () =>
              env.binding.bind({ ...u, phoneNumber: PHONE, verified: true }),
            );
          }
          await env.binding.verify({ ticket: p.ticket, code });
          await provoke('verify after verified', () => env.binding.verify({ ticket: p.ticket, code }));
          await provoke('resend after verified', () => env.binding.resend({ ticket: p.ticket }));
        }
        scan();
      },
    );

    // --- Known leaks: each case keeps the contract's expectation (no leak) and fails today. ----

    // BUG: the national notation with its trunk prefix ("079 123 45 67", "(079) 123 45 67") is not
    // masked. Redactor.phone() builds the grouped-digits pattern with a (?<!\d) look-behind, so
    // the leading 0 (a digit) stops it from matching "79 123 45 67"; the plain-substring forms
    // need the digits unbroken. Shows in error.details, JSON.stringify/inspect(error) and the
    // error hook event.
    it('Regression: a bind error echoing "079 123 45 67" (trunk prefix) is masked', async () => {
      const u = bindArg(env);
      fault({
        status: 503,
        body: echoBody(target, 'number 079 123 45 67 / (079) 123 45 67', [], []),
      });
      await provoke('bind 503 trunk prefix', () => env.binding.bind({ ...u, phoneNumber: PHONE }));
      scan();
    });

    // BUG: Redactor.deep() rewrites strings only; a number or a code the backend echoes as a JSON
    // number ({"phone": 41791234567}, {"code": 915358}) is copied into error.details as it is.
    it('Regression: the number and the code echoed as JSON numbers are masked', async () => {
      const u = bindArg(env);
      fault({
        status: 503,
        body: { phone: 41_791_234_567, national: 791_234_567, detail: { msisdn: 41_791_234_567 } },
      });
      await provoke('bind 503 numeric', () => env.binding.bind({ ...u, phoneNumber: PHONE }));
      if (!target.codes) {
        scan();
        return;
      }
      const p = await pending();
      const code = codeFor(p);
      fault({
        status: 400,
        body: { code: Number(code), verification_code: Number(code), passCode: Number(code) },
      });
      await provoke('verify 400 numeric code', () => env.binding.verify({ ticket: p.ticket, code }));
      scan();
    });

    // BUG: providerCode and requestId are taken from the answer without passing the redactor
    // (ETNA Error.Code, Zitadel details[].id, Clerk errors[0].code / clerk_trace_id / cf-ray,
    // Authing requestId), so whatever the backend puts there — here the number and the code — is
    // in JSON.stringify(error), util.inspect(error) and the error hook event.
    it('Regression: the number and the code in the backend error-code / request-id fields are masked', async () => {
      const sent = await pendingWithCode();
      const u = bindArg(env);
      const bodies = (tag: string, status: number) =>
        target.errorBody({ status, code: tag, requestId: tag, message: 'x' });
      // verify knows the number and the code; bind knows the number.
      if (sent) {
        const { p, code } = sent;
        fault({ status: 400, body: bodies(`${PHONE}-${code}`, 400), headers: { 'cf-ray': code } });
        await provoke('verify 400 id echo', () => env.binding.verify({ ticket: p.ticket, code }));
      }
      fault({ status: 503, body: bodies(`E-${PHONE}`, 503), headers: { 'cf-ray': PHONE } });
      await provoke('bind 503 id echo', () => env.binding.bind({ ...u, phoneNumber: PHONE }));
      scan();
    });

    // LIMITATION: get() is never given the number, so a read error whose body echoes the stored
    // number in national digits ("791234567", "79 123 45 67") keeps them in error.details and the
    // error hook event. (E.164 and "+41 79 …" are masked by the generic international pattern.)
    it.fails('LIMITATION: a get() error echoing the stored number in national digits is masked', async () => {
      fault({ status: 503, body: echoBody(target, echo([], env.secrets), [], env.secrets) });
      await provoke('get 503 echo', () => env.binding.get(userArg(env)));
      scanKnownBug();
    });

    const removeCase = async () => {
      const sent = await pendingWithCode();
      if (sent) await env.binding.verify({ ticket: sent.p.ticket, code: sent.code });
      else await env.binding.bind({ ...bindArg(env), phoneNumber: PHONE });
      const body = echoBody(target, echo([], env.secrets), [], env.secrets);
      fault({ status: 503, body, when: isRemoval });
      fault({ status: 503, body, path: /send-sms$/ });
      await provoke('remove 503 echo', () => env.binding.remove(userArg(env)));
    };
    if (target.provider === 'authing') {
      it('remove() without phoneNumber: an error echoing the number (Authing reads it first)', async () => {
        await removeCase();
        scan();
      });
    } else if (target.provider === 'clerk') {
      // BUG: Clerk's remove() reads the user's numbers (GET /v1/users/{id}) and picks the primary,
      // but never hands it to the redactor (toBound() is not called there), so a DELETE error
      // echoing it in national digits keeps them in error.details and the error hook event.
      it('Regression: a remove() error echoing the number the adapter just read is masked', async () => {
        await removeCase();
        scan();
      });
    } else if (DELETE_UNREAD.includes(target.provider)) {
      // LIMITATION: ETNA and Zitadel delete without reading the number first, so the SDK cannot
      // know it; national digits echoed by the DELETE's error stay in error.details.
      it.fails('LIMITATION: a remove() error echoing the number in national digits is masked', async () => {
        await removeCase();
        scanKnownBug();
      });
    } else if (ADAPTERS[target.provider].spec.capabilities.remove) {
      it('a remove() error echoing the number is masked', async () => {
        await removeCase();
        scan();
      });
    }

    if (target.provider === 'clerk') {
      // BUG: an attempt_verification answer with an unknown status becomes invalid_response whose
      // message embeds the raw status (`unknown status "${status.slice(0, 40)}"`) and whose
      // providerCode is the raw status; the message is built in the adapter and never passes the
      // redactor (not even the international-number pattern). So error.message, String(error),
      // error.stack and providerCode show the number and the code.
      it('Regression: an unknown verification status echoing the number and the code is masked', async () => {
        const p = await pending();
        const code = codeFor(p);
        fault({
          status: 200,
          path: /attempt_verification$/,
          body: { object: 'verification', id: 'ver_1', status: `${PHONE} ${code}`, attempts: 1 },
        });
        await provoke('verify unknown status', () => env.binding.verify({ ticket: p.ticket, code }));
        scan();
      });
    }
  });
}
