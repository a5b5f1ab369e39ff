import { HttpResponse, http } from 'msw';
import { beforeEach, expect } from 'vitest';
import { useMsw } from './msw.js';

/** One request as the mocked backend saw it. */
export interface Captured {
  method: string;
  /** Origin of the request URL (always set by the recorder; a hand-made entry may leave it out). */
  origin?: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  /** Raw search string, '?…' or ''. */
  search: string;
  headers: Headers;
  /** Raw body text ('' when none). */
  text: string;
  /** Parsed JSON body, `undefined` when the body is empty, `<<not JSON: …>>` when it is not JSON. */
  json: unknown;
}

/** What the mocked backend answers to the next request. */
export interface Reply {
  status?: number;
  /** JSON body. */
  json?: unknown;
  /** Raw body; wins over `json`. Neither: the backend's default body (none: an empty body). */
  text?: string;
  headers?: Record<string, string>;
  /** A network failure instead of an answer. */
  networkError?: true;
}

/** How {@link useMockBackend} stands in for one backend. */
export interface MockBackend {
  /** Every path on each of these origins is recorded and answered; any other host is unhandled. */
  origins: readonly string[];
  /** The JSON body of a reply with neither `json` (or a `null` one) nor `text`; absent: an empty body. */
  defaultJson?: unknown;
}

/** The recorder a test file works with. */
export interface Recorder {
  /** The requests of the current test, in order. */
  requests: Captured[];
  /** Queues the answers to the next requests, in order. */
  reply: (...replies: Reply[]) => void;
}

function parse(text: string): unknown {
  try {
    return text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    return `<<not JSON: ${text}>>`;
  }
}

function answer(next: Reply | undefined, defaultJson: unknown): Response {
  if (!next) return HttpResponse.text('no reply queued', { status: 599 });
  if (next.networkError) return HttpResponse.error();
  const init = { status: next.status ?? 200, headers: next.headers ?? {} };
  if (next.text !== undefined) return new HttpResponse(next.text.length === 0 ? null : next.text, init);
  const json = defaultJson === undefined ? next.json : (next.json ?? defaultJson);
  if (json === undefined) return new HttpResponse(null, init);
  return HttpResponse.json(json, init);
}

/**
 * Starts an msw server for the whole file whose handlers record every request to the backend's
 * origins and answer with the queued replies, in order. An unqueued request gets a 599 so the test
 * fails loudly; any other host is an unhandled request (error). Both lists empty before each test.
 */
export function useMockBackend({ origins, defaultJson }: MockBackend): Recorder {
  const requests: Captured[] = [];
  const queue: Reply[] = [];
  const record = async ({ request }: { request: Request }): Promise<Response> => {
    const url = new URL(request.url);
    const text = await request.text();
    const { method, headers } = request;
    requests.push({
      method,
      origin: url.origin,
      path: url.pathname,
      search: url.search,
      headers,
      text,
      json: parse(text),
    });
    return answer(queue.shift(), defaultJson);
  };
  useMsw(...origins.map((origin) => http.all(`${origin}/*`, record)));
  beforeEach(() => {
    requests.length = 0;
    queue.length = 0;
  });
  return { requests, reply: (...replies) => queue.push(...replies) };
}

/** What {@link expectRequest} checks. */
export interface RequestShape {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  /** Checked only when given. */
  origin?: string;
  /** Raw search string; default ''. */
  search?: string;
  /** Headers that must be present with exactly these values. */
  headers: Record<string, string>;
  /** Further headers that must be present with these values (a test's own, checked after `headers`). */
  more?: Record<string, string>;
  /** The exact JSON body, sent as `application/json`; `undefined`: an empty body. */
  json?: unknown;
  /** With an empty body, leave `content-type` unchecked (by default it must be absent). */
  anyContentTypeWithoutBody?: boolean;
}

/** Asserts a captured request: its line, its raw query, the given headers and the body. */
export function expectRequest(captured: Captured | undefined, shape: RequestShape): void {
  expect(captured).toBeDefined();
  const req = captured!;
  expect(req.method).toBe(shape.method);
  if (shape.origin !== undefined) expect(req.origin).toBe(shape.origin);
  expect(req.path).toBe(shape.path);
  expect(req.search).toBe(shape.search ?? '');
  for (const [name, value] of [...Object.entries(shape.headers), ...Object.entries(shape.more ?? {})]) {
    expect(req.headers.get(name)).toBe(value);
  }
  if (shape.json === undefined) {
    expect(req.text).toBe('');
    if (!shape.anyContentTypeWithoutBody) expect(req.headers.get('content-type')).toBeNull();
  } else {
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.json).toEqual(shape.json);
  }
}

/** What a backend's `expectRequest` derives from a test's arguments after the request line. */
export type ShapeOf<A extends unknown[]> = (...args: A) => Omit<RequestShape, 'method' | 'path'>;

/**
 * An `expectRequest(captured, method, path, ...args)` for one backend: `shape` turns the test's
 * further arguments into the headers, query and body that backend's requests must carry.
 */
export function expectRequestOf<A extends unknown[]>(
  shape: ShapeOf<A>,
): (captured: Captured | undefined, method: string, path: string, ...args: A) => void {
  return (captured, method, path, ...args) => expectRequest(captured, { method, path, ...shape(...args) });
}

/**
 * An `expectNoLeak(value, extra?)` for one backend: asserts that neither the serialized value nor
 * its message nor its serialized `details` shows any of `secrets` (or of `extra`).
 */
export function expectNoLeakOf(
  secrets: readonly string[],
): (value: unknown, extra?: readonly string[]) => void {
  return (value, extra = []) => {
    const serialized = JSON.stringify(value);
    const message = value instanceof Error ? value.message : '';
    const details =
      typeof value === 'object' && value !== null && 'details' in value
        ? (JSON.stringify((value as { details?: unknown }).details) ?? '')
        : '';
    for (const secret of [...secrets, ...extra]) {
      expect(serialized).not.toContain(secret);
      expect(message).not.toContain(secret);
      expect(details).not.toContain(secret);
    }
  };
}
