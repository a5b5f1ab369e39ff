/**
 * A small phone-binding HTTP API on node:http (no framework): the browser posts a number, then the
 * SMS code; the backend is whatever the config names.
 *
 *   PHONE_BINDING_PROVIDER=clerk CLERK_SECRET_KEY=sk_test_… CLERK_USER_ID=user_2abc \
 *     PORT=3000 npx tsx examples/server.ts
 *   curl -b jar -c jar -d '{"phoneNumber":"079 123 45 67","defaultCountry":"CH"}' 127.0.0.1:3000/phone/bind
 *   curl -b jar -c jar -d '{"code":"123456"}' 127.0.0.1:3000/phone/verify
 *
 * The config comes from the examples' variables (`examples/shared.ts`), as in `examples/swap.ts`. Routes:
 * - `POST /phone/bind` `{ phoneNumber, defaultCountry? }` → 200 `{ state: 'pending', phone: '+41 ••• •• 67' }`
 *   (or `state: 'verified'` when the backend already holds that number verified);
 * - `POST /phone/verify` `{ code }` → 200 `{ state: 'verified', phone }`.
 *
 * The session is an HttpOnly cookie `sid` naming an in-memory `{ userId?, ticket? }`. The ticket stays
 * on the server and is never sent to the browser. Admin-scope backends (etna, zitadel, clerk) act
 * on the session's `userId`: here `userIdFor(req)` supplies it (from `<PREFIX>_USER_ID`, e.g. `CLERK_USER_ID`, when run
 * from the command line); in a real app your login puts it into the session. User-scope backends
 * (authing, zitadel-self) act on the user whose token the adapter holds: in a real app, create the
 * adapter per request with the signed-in user's access token.
 *
 * Every error is `{ error: { code, message } }` with the SDK's code and its (masked) message:
 * | status | codes |
 * | 400 | `invalid_phone_number`, `invalid_code`, `invalid_input` (also: bad JSON, verify with nothing pending) |
 * | 401 | `unauthenticated` (no user in the session; or a user-scope backend refused the user's token) |
 * | 403 | `forbidden` of a user-scope backend (the user's own token) |
 * | 404 | unknown route; `not_found` (the backend does not know the session's user) |
 * | 405 | a known route with another method than POST |
 * | 409 | `phone_in_use` |
 * | 410 | `code_expired`: the pending verification is gone, bind again (the ticket is dropped) |
 * | 413 | a request body over 16 KiB |
 * | 429 | `rate_limited`, `too_many_attempts` (drops the ticket), with `Retry-After` (seconds, rounded up; 60 when unknown) |
 * | 500 | anything unexpected (a generic message; the error is logged on the server, never sent) |
 * | 501 | `unsupported` |
 * | 502 | `provider_error`, `invalid_response`, `network`; `unauthenticated`/`forbidden` of the server's own credential (admin scope) |
 * | 504 | `timeout` |
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createPhoneBinding, type PhoneBindingConfig } from '../adapters/all/index.js';
import {
  type BoundPhone,
  isPhoneBindingError,
  maskPhoneNumber,
  type PendingVerification,
  type PhoneBinding,
  type VerificationTicket,
} from '../src/index.js';
import { configFromEnv, userIdFromEnv } from './swap.js';

/** Options of {@link createPhoneServer}. */
export interface PhoneServerOptions {
  /** The backend: an adapter, or a config object for `createPhoneBinding`. */
  binding: PhoneBinding | PhoneBindingConfig;
  /** The signed-in user's id at the backend (admin scope). A stand-in for your login. */
  userIdFor?: (req: IncomingMessage) => string | undefined;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

interface Session {
  userId?: string;
  ticket?: VerificationTicket;
}

/** An error answer: status, body fields and, for 429, the seconds to wait. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  retryAfter?: number;
}

const MAX_BODY = 16 * 1024;
const DEFAULT_RETRY_AFTER_S = 60;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Turns any error into an HTTP answer; `scope` tells whose credential a 401/403 concerns. */
export function errorAnswer(error: unknown, scope: 'admin' | 'user'): ErrorAnswer {
  if (error instanceof HttpProblem) return { status: error.status, code: error.code, message: error.message };
  if (!isPhoneBindingError(error)) {
    return { status: 500, code: 'internal', message: 'Something went wrong on the server.' };
  }
  const answer = (status: number): ErrorAnswer => ({ status, code: error.code, message: error.message });
  switch (error.code) {
    case 'invalid_phone_number':
    case 'invalid_code':
    case 'invalid_input':
      return answer(400);
    case 'code_expired':
      return answer(410);
    case 'rate_limited':
    case 'too_many_attempts': {
      const ms = error.retryAfterMs;
      return { ...answer(429), retryAfter: ms === undefined ? DEFAULT_RETRY_AFTER_S : Math.ceil(ms / 1000) };
    }
    case 'phone_in_use':
      return answer(409);
    case 'not_found':
      return answer(404);
    case 'unsupported':
      return answer(501);
    case 'unauthenticated':
      return answer(scope === 'user' ? 401 : 502);
    case 'forbidden':
      return answer(scope === 'user' ? 403 : 502);
    case 'timeout':
      return answer(504);
    default: // provider_error, invalid_response, network
      return answer(502);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpProblem(413, 'invalid_input', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'invalid_input', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpProblem(400, 'invalid_input', 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function field(body: Record<string, unknown>, name: string, optional: true): string | undefined;
function field(body: Record<string, unknown>, name: string): string;
function field(body: Record<string, unknown>, name: string, optional = false): string | undefined {
  const value = body[name];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw new HttpProblem(400, 'invalid_input', `"${name}" must be a string.`);
  return value;
}

function shown(result: PendingVerification | BoundPhone): { state: string; phone: string } {
  return { state: result.state, phone: maskPhoneNumber(result.phone.e164) };
}

/** Starts the API on 127.0.0.1. */
export async function createPhoneServer(
  options: PhoneServerOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const binding = 'bind' in options.binding ? options.binding : createPhoneBinding(options.binding);
  const scope = binding.capabilities.scope;
  // In memory, never expiring: a real app keeps sessions in its session store.
  const sessions = new Map<string, Session>();

  function sessionOf(req: IncomingMessage, res: ServerResponse): Session {
    const sid = /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    let session = sid === undefined ? undefined : sessions.get(sid);
    if (!session) {
      const id = randomBytes(24).toString('base64url');
      session = {};
      sessions.set(id, session);
      // Add `Secure` when served over HTTPS.
      res.setHeader('set-cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/`);
    }
    // Stand-in for the login: a real app sets the user id when the user signs in.
    session.userId ??= options.userIdFor?.(req);
    return session;
  }

  function user(session: Session): { userId?: string } {
    if (scope === 'user') return {};
    if (!session.userId) throw new HttpProblem(401, 'unauthenticated', 'Sign in first.');
    return { userId: session.userId };
  }

  async function bind(req: IncomingMessage, session: Session) {
    const body = await readJson(req);
    const phoneNumber = field(body, 'phoneNumber');
    const defaultCountry = field(body, 'defaultCountry', true);
    const result = await binding.bind({
      ...user(session),
      phoneNumber,
      ...(defaultCountry ? { defaultCountry } : {}),
    });
    // A backend that hands the code back (zitadel, delivery 'return-code') leaves delivering it
    // to you: send `result.code` by your own SMS provider here. It never goes to the browser.
    if (result.state === 'pending') session.ticket = result.ticket;
    else delete session.ticket;
    return shown(result);
  }

  async function verify(req: IncomingMessage, session: Session) {
    const body = await readJson(req);
    const code = field(body, 'code');
    const ticket = session.ticket;
    if (!ticket) throw new HttpProblem(400, 'invalid_input', 'Nothing to verify: bind a number first.');
    try {
      const bound = await binding.verify({ ticket, code });
      delete session.ticket;
      return shown(bound);
    } catch (error) {
      // Gone or locked: the next step is a new bind, not another code.
      if (isPhoneBindingError(error) && ['code_expired', 'too_many_attempts'].includes(error.code)) {
        delete session.ticket;
      }
      throw error;
    }
  }

  const routes = new Map([
    ['/phone/bind', bind],
    ['/phone/verify', verify],
  ]);

  const server = createServer(async (req, res) => {
    try {
      const route = routes.get(new URL(req.url ?? '/', 'http://localhost').pathname);
      if (!route) throw new HttpProblem(404, 'not_found', 'No such route.');
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new HttpProblem(405, 'invalid_input', 'Use POST.');
      }
      send(res, 200, await route(req, sessionOf(req, res)));
    } catch (error) {
      const { status, code, message, retryAfter } = errorAnswer(error, scope);
      if (status === 500) console.error('phone server: unexpected error', error);
      const headers: Record<string, string> = {};
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      if (status === 413) headers.connection = 'close'; // the rest of the body is not read
      send(res, status, { error: { code, message } }, headers);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  createPhoneServer({
    binding: configFromEnv(env),
    userIdFor: () => userIdFromEnv(env),
    port: Number(env.PORT ?? 0),
  }).then(
    ({ url }) =>
      console.log(
        `phone-binding API on ${url} (${env.PHONE_BINDING_PROVIDER}): POST /phone/bind, /phone/verify`,
      ),
    (error: unknown) => {
      console.error(isPhoneBindingError(error) ? `${error.code}: ${error.message}` : String(error));
      console.error(
        'Set PHONE_BINDING_PROVIDER and that backend’s <PREFIX>_* settings (see examples/shared.ts).',
      );
      process.exitCode = 1;
    },
  );
}
