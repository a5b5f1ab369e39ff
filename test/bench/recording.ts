/**
 * Records what the SDK sends for one fake target and turns it into a template the replays (ky
 * alone, raw fetch) send on any other user: two SDK runs on two fresh users, every request seen
 * at the adapter's `fetch` (exact method, URL, headers, body, and the answer) and at the fake
 * server (what reached the wire). A value is a placeholder when it is one user's own (it differs
 * between the two users): a field of the fake's user record, the number, the code from the
 * outbox, or a leaf of an earlier answer that a later request carries (Clerk's phone-number id,
 * ETNA's token id, a returned code). The two runs, placeholderized, must be equal: that proves
 * those values explain every difference, or the bench throws.
 */
import type { FakeBackends, FakeServer, FakeTarget, RecordedRequest } from '../../src/testing/index.js';
import { attachBindings, prepareSlot, type Slot, takeCode } from './slots.js';
import {
  canonical,
  compile,
  containsToken,
  leafAt,
  leaves,
  matcher,
  type Part,
  placeholderize,
  whereDiffers,
} from './template.js';

/** One operation of a flow. `bind` with `verified` where the adapter sends no codes. */
export interface Op {
  name: 'bind' | 'verify';
  verified: boolean;
}

/** How the adapter signs (AWS SigV4), read from its own requests: the replay signs the same way. */
export interface SigningSpec {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  service: string;
  /** Headers of the request handed to the signer (the signer adds host and its date). */
  signed: string[];
}

/** One request of the template, compiled. */
export interface RequestTemplate {
  method: string;
  url: Part[];
  /** Without the signature headers, which the replay makes anew. */
  headers: Array<[string, Part[]]>;
  body: Part[] | undefined;
  /** The status the SDK got; a replay answered otherwise is a broken flow. */
  status: number;
  /** Answer leaves later requests carry: stored under `name` in the slot's values. */
  extract: Array<{ name: string; path: Array<string | number> }>;
  signed: boolean;
}

/** One operation's requests and what the fake server must see for it. */
export interface OpTemplate {
  op: Op;
  requests: RequestTemplate[];
  /** Canonical server-side records, one per request, answer ids as wildcards. */
  expected: Array<(actual: string) => boolean>;
  /** The same records as text, to say where a request differs. */
  expectedText: string[];
}

/** A target's flow as a template. */
export interface Template {
  target: FakeTarget;
  ops: OpTemplate[];
  /** Every placeholder name the template uses. */
  names: ReadonlySet<string>;
  signing: SigningSpec | undefined;
}

interface Capture {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number;
  answer: unknown;
}

interface Run {
  slot: Slot;
  ops: Op[];
  captures: Capture[];
  /** Capture index range of each op. */
  opRanges: Array<[number, number]>;
  server: RecordedRequest[][];
}

const SIGNATURE_HEADERS = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

function parseAnswer(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The SDK's call of `op` on `slot`; throws when the flow does not end as it must. */
export async function sdkOp(op: Op, slot: Slot): Promise<void> {
  const binding = slot.binding;
  if (!binding) throw new Error('bench: slot has no adapter');
  if (op.name === 'bind') {
    const user = slot.userId === undefined ? {} : { userId: slot.userId };
    const result = await binding.bind({
      ...user,
      phoneNumber: slot.input,
      ...(op.verified ? { verified: true } : {}),
    });
    const want = op.verified ? 'verified' : 'pending';
    if (result.state !== want) throw new Error(`bench: SDK bind answered ${result.state}, not ${want}`);
    if (result.state === 'pending') {
      slot.ticket = result.ticket;
      if (result.code !== undefined) slot.code = result.code;
    }
    return;
  }
  const { ticket, code } = slot;
  if (!ticket || code === undefined) throw new Error('bench: verify without a pending ticket and code');
  const result = await binding.verify({ ticket, code });
  if (result.state !== 'verified') throw new Error(`bench: SDK verify answered ${result.state}`);
}

/** Readies a slot for `op` (untimed): before verify, the code from the outbox. */
export function beforeOp(op: Op, slot: Slot, fakes: FakeBackends): void {
  if (op.name !== 'verify') return;
  takeCode(slot, fakes);
  slot.code ??= slot.values.get('code');
}

function capturing(log: Capture[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? await request.clone().text() : undefined;
    const response = await fetch(request);
    const text = await response.clone().text();
    log.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body,
      status: response.status,
      answer: parseAnswer(text),
    });
    return response;
  };
}

async function recordRun(target: FakeTarget, fakes: FakeBackends, server: FakeServer): Promise<Run> {
  const slot = prepareSlot(target, fakes, server);
  const captures: Capture[] = [];
  attachBindings([slot], { fetch: capturing(captures) });
  const codes = slot.binding?.capabilities.codeVerification ?? false;
  const ops: Op[] = codes
    ? [
        { name: 'bind', verified: false },
        { name: 'verify', verified: false },
      ]
    : [{ name: 'bind', verified: true }];
  const opRanges: Array<[number, number]> = [];
  const records: RecordedRequest[][] = [];
  for (const op of ops) {
    beforeOp(op, slot, fakes);
    const from = captures.length;
    const serverFrom = fakes.requests.length;
    await sdkOp(op, slot);
    opRanges.push([from, captures.length]);
    records.push(fakes.requests.slice(serverFrom));
  }
  return { slot, ops, captures, opRanges, server: records };
}

function signingOf(run: Run): SigningSpec | undefined {
  const auth = run.captures
    .map((c) => c.headers.authorization ?? '')
    .find((a) => a.startsWith('AWS4-HMAC-SHA256 '));
  if (auth === undefined) return undefined;
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+)/.exec(auth);
  if (!match) throw new Error('bench: an AWS signature the bench cannot read');
  const [, accessKeyId = '', region = '', service = '', signedHeaders = ''] = match;
  // The signing key is never sent: it is the config's credentials object with that key id.
  const credentials = Object.values(run.slot.config).find(
    (value): value is { accessKeyId: string; secretAccessKey: string; sessionToken?: string } =>
      typeof value === 'object' &&
      value !== null &&
      (value as { accessKeyId?: unknown }).accessKeyId === accessKeyId,
  );
  if (!credentials) throw new Error('bench: no credentials in the config sign these requests');
  return {
    accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    region,
    service,
    signed: signedHeaders.split(';').filter((name) => name !== 'host' && !SIGNATURE_HEADERS.includes(name)),
  };
}

/** The request of a capture, without its answer. */
function sent({ method, url, headers, body }: Capture) {
  return { method, url, headers, body };
}

function requestText(capture: Capture): string {
  return [capture.url, ...Object.values(capture.headers), capture.body ?? ''].join('\n');
}

/** The per-user values of run `a` and run `b`: names whose values differ between the two users. */
function ownValues(a: Run, b: Run): { names: Set<string>; extract: Map<number, RequestTemplate['extract']> } {
  const names = new Set<string>();
  for (const [name, value] of a.slot.values) {
    const other = b.slot.values.get(name);
    if (other !== undefined && other !== value) names.add(name);
  }
  const known = new Set([...names].map((name) => a.slot.values.get(name)));
  const extract = new Map<number, RequestTemplate['extract']>();
  a.captures.forEach((capture, k) => {
    const later = a.captures
      .slice(k + 1)
      .map(requestText)
      .join('\n');
    for (const [path, value] of leaves(capture.answer)) {
      const other = leafAt(b.captures[k]?.answer, path);
      // Short leaves (a sequence number, a count) are no ids; a value already known is not new.
      if (other === undefined || other === value || value.length < 4 || known.has(value)) continue;
      if (!containsToken(later, value)) continue;
      const name = `answer.${k}.${path.join('.')}`;
      names.add(name);
      a.slot.values.set(name, value);
      b.slot.values.set(name, other);
      extract.set(k, [...(extract.get(k) ?? []), { name, path }]);
    }
  });
  return { names, extract };
}

function restrict(values: ReadonlyMap<string, string>, names: ReadonlySet<string>): Map<string, string> {
  return new Map([...values].filter(([name]) => names.has(name)));
}

/** The canonical string of a server-side record. */
export function canonicalRecord(record: RecordedRequest, values: ReadonlyMap<string, string>): string {
  return canonical({ ...record, headers: record.headers }, values);
}

/** Records `target` twice and builds its template, or throws where the runs cannot be explained. */
export async function recordTemplate(
  target: FakeTarget,
  fakes: FakeBackends,
  server: FakeServer,
): Promise<Template> {
  const a = await recordRun(target, fakes, server);
  const b = await recordRun(target, fakes, server);
  const where = `bench: ${target.name}`;
  if (a.captures.length !== b.captures.length)
    throw new Error(`${where}: two users got different request counts`);
  const { names, extract } = ownValues(a, b);
  const va = restrict(a.slot.values, names);
  const vb = restrict(b.slot.values, names);
  a.captures.forEach((capture, k) => {
    const other = b.captures[k] as Capture;
    const diff = whereDiffers(canonical(sent(capture), va), canonical(sent(other), vb));
    if (diff)
      throw new Error(`${where}: request ${k} differs between two users beyond their own values, ${diff}`);
  });
  a.server.forEach((records, i) => {
    const other = b.server[i] ?? [];
    if (records.length !== other.length) throw new Error(`${where}: the server saw different request counts`);
    records.forEach((record, k) => {
      const diff = whereDiffers(
        canonicalRecord(record, va),
        canonicalRecord(other[k] as RecordedRequest, vb),
      );
      if (diff) throw new Error(`${where}: server-side request ${k} differs between two users, ${diff}`);
    });
  });
  const signing = signingOf(a);
  const ph = (text: string) => compile(placeholderize(text, va));
  const ops = a.ops.map((op, i): OpTemplate => {
    const [from, to] = a.opRanges[i] ?? [0, 0];
    const requests = a.captures.slice(from, to).map((capture, j): RequestTemplate => {
      const signed = (capture.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ');
      return {
        method: capture.method,
        url: ph(capture.url),
        headers: Object.entries(capture.headers)
          .filter(([name]) => !(signed && SIGNATURE_HEADERS.includes(name)))
          .map(([name, value]): [string, Part[]] => [name, ph(value)]),
        body: capture.body === undefined ? undefined : ph(capture.body),
        status: capture.status,
        extract: extract.get(from + j) ?? [],
        signed,
      };
    });
    const expectedText = (a.server[i] ?? []).map((record) => canonicalRecord(record, va));
    const expected = expectedText.map((text) => matcher(text, (name) => name.startsWith('answer.')));
    return { op, requests, expected, expectedText };
  });
  return { target, ops, names, signing };
}

/**
 * Checks what the fake server saw for one call of `op` against the template, with the slot's
 * own values; throws on any difference (the message names the target and request, no value).
 */
export function checkCall(
  template: Template,
  op: OpTemplate,
  slot: Slot,
  seen: readonly RecordedRequest[],
  side: string,
): void {
  const where = `bench: ${template.target.name} ${op.op.name} (${side})`;
  if (seen.length !== op.expected.length) {
    throw new Error(
      `${where}: ${seen.length} requests reached the server, the SDK's template has ${op.expected.length}`,
    );
  }
  const values = restrict(slot.values, template.names);
  seen.forEach((record, k) => {
    const actual = canonicalRecord(record, values);
    if (!op.expected[k]?.(actual)) {
      const diff = whereDiffers(op.expectedText[k] ?? '', actual) ?? 'in an answer id';
      throw new Error(
        `${where}: request ${k} is not identical to the SDK's (apart from the user's own values), ${diff}`,
      );
    }
  });
}
