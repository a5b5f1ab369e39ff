/**
 * The Cognito fake behind msw, at the request level: every request the adapters send to
 * {@link BASE} is recorded as it left (method, URL, headers, body) and answered by a canned
 * answer or by the stateful fake (adapters/cognito/fake.ts).
 */
import { http } from 'msw';
import type { setupServer } from 'msw/node';
import { cognitoBackend } from '../../adapters/cognito/fake.js';
import { FakeContext } from '../../src/testing/context.js';
import { useMsw } from '../support/msw.js';

export const BASE = 'https://fake.phone-binding.test/cognito';

export interface Seen {
  method: string;
  url: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A canned answer instead of the fake's, for the next matching request. */
export interface Canned {
  target?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

let mswServer: ReturnType<typeof setupServer> | undefined;

/** The msw server of a test file that uses {@link harness} (call once, at the top). */
export function useCognitoMsw(): void {
  mswServer = useMsw();
}

export function harness(options: { codes?: string } = {}) {
  const ctx = new FakeContext(options.codes ? { generateCode: () => options.codes ?? '' } : {});
  const { api, handle } = cognitoBackend.create(ctx);
  const requests: Seen[] = [];
  const canned: Canned[] = [];
  const answer = async (request: Request): Promise<Response> => {
    const text = await request.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    const url = new URL(request.url);
    const headers = Object.fromEntries(request.headers);
    requests.push({
      method: request.method,
      url: request.url,
      path: url.pathname,
      query: url.search,
      headers,
      body,
    });
    const target = (headers['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
    const hit = canned.find((c) => (c.target === undefined || c.target === target) && (c.times ?? 1) > 0);
    if (hit) {
      hit.times = (hit.times ?? 1) - 1;
      return new Response(hit.body === undefined ? '' : JSON.stringify(hit.body), {
        status: hit.status,
        headers: { 'content-type': 'application/x-amz-json-1.1', ...(hit.headers ?? {}) },
      });
    }
    const segments = url.pathname.split('/').filter(Boolean).slice(1);
    return handle({
      method: request.method,
      segments,
      query: url.searchParams,
      headers: request.headers,
      body,
      badJson: false,
    });
  };
  if (!mswServer) throw new Error('call useCognitoMsw() at the top of the test file');
  mswServer.use(http.all(`${BASE}/*`, ({ request }) => answer(request)));
  // The adapters' fetch: the global one, which msw intercepts.
  const fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);
  const targets = () =>
    requests.map((r) => r.headers['x-amz-target']?.replace('AWSCognitoIdentityProviderService.', ''));
  return { ctx, api, fetch, requests, canned, targets, lastCode: () => ctx.outbox.at(-1)?.code ?? '' };
}

/** A Cognito error answer. */
export function cognitoError(name: string, message: string, status = 400, requestId = 'req-4f1c'): Canned {
  return {
    status,
    body: { __type: name, message },
    headers: { 'x-amzn-requestid': requestId, 'x-amzn-errortype': `${name}:` },
  };
}
